use perf_runtime::{User, perf_test};

#[perf_test(n_plus_one(sizes = [1, 10], header = "x-queries", metric = "queries_total"))]
async fn test(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
