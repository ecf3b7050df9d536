use perf_runtime::{User, perf_test};

#[perf_test(load(users = 1, hold = "5s", think = "2s..1s"))]
async fn think(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
