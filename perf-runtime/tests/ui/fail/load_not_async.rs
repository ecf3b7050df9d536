use perf_runtime::{User, perf_test};

#[perf_test(load = "baseline")]
fn not_async(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
