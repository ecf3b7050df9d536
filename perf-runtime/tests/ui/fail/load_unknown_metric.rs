use perf_runtime::{User, perf_test};

#[perf_test(load = "baseline", threshold(p42 = "1s"))]
async fn metric(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
