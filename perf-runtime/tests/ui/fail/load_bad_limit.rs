use perf_runtime::{User, perf_test};

#[perf_test(load = "baseline", threshold(p95 = "fast"))]
async fn limit(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
