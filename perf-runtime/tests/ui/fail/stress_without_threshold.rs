use perf_runtime::{User, perf_test};

#[perf_test(stress(users = [1, 2, 4]))]
async fn no_break(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
