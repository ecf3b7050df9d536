use perf_runtime::{User, perf_test};

#[perf_test(pagination(pages = [1, 100, 10]))]
async fn pages(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
