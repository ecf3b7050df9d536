use perf_runtime::perf_test;

#[perf_test(load = "baseline")]
async fn bencher(_user: &mut perf_runtime::Bencher) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
