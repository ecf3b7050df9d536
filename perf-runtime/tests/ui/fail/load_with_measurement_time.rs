use perf_runtime::{User, perf_test};

#[perf_test(load = "baseline", measurement_time = "5s")]
async fn timed(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
