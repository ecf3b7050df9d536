use perf_runtime::{User, perf_test};

#[perf_test(timeout(after = "5s", step = "2s"))]
async fn test(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
