use perf_runtime::{User, perf_test};

#[perf_test(load = "baseline", threshold(p95 = "5s" as Requirement))]
async fn named(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
