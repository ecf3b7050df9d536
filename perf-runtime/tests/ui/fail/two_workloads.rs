use perf_runtime::{User, perf_test};

#[perf_test(load(users = 2, hold = "1s"), scalability(users = [1, 2]))]
async fn both(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
