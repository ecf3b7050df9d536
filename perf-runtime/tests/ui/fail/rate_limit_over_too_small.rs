use perf_runtime::{User, perf_test};

#[perf_test(rate_limit(limit = 50, over = 1.1))]
async fn test(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
