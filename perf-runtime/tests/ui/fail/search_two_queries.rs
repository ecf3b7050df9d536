use perf_runtime::{User, perf_test};

#[perf_test(search(queries = ["a", "b"]))]
async fn test(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
