use perf_runtime::{User, perf_test};

#[perf_test(load(rate = 0, duration = "10s"))]
async fn zero_rate(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
