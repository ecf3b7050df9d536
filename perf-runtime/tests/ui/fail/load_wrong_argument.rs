use perf_runtime::{User, perf_test};

#[perf_test(load = "baseline")]
async fn bencher(user: &mut perf_runtime::Bencher) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
