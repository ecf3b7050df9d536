use perf_runtime::{User, perf_test};

#[perf_test(pool(users = [1, 2]), threshold(speedup = ">= 2"))]
async fn test(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
