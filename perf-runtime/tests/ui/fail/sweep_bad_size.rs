use perf_runtime::{User, perf_test};

#[perf_test(volume(sizes = ["1KB", "64"]))]
async fn sizes(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
