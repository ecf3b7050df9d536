use perf_runtime::{User, perf_test};

#[perf_test(load(stages = [("10s", 5), ("10s", -5)]))]
async fn negative(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
