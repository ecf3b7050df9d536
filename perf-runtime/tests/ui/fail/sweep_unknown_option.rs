use perf_runtime::{User, perf_test};

#[perf_test(stress(users = [1, 2], rate = 10), threshold(p95 = "10ms"))]
async fn typo(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
