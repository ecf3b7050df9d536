use perf_runtime::{User, perf_test};

#[perf_test(soak(users = 4, warm_up = "1m"))]
async fn soak(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
