use perf_runtime::{User, perf_test};

#[perf_test(load(users = 5, rate = 10, duration = "5s"))]
async fn both(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
