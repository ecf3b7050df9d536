use perf_runtime::{User, perf_test};

#[perf_test(scalability(users = [1, 2, 4]), threshold(growth = "<= 1.2"))]
async fn wrong_metric(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
