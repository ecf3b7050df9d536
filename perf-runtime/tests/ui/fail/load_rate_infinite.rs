use perf_runtime::{User, perf_test};

#[perf_test(load(rate = 1e400, duration = "10s"))]
async fn endless_rate(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
