use perf_runtime::{User, perf_test};

#[perf_test(websocket(step = "1s"))]
async fn test(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
