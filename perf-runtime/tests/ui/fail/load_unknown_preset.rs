use perf_runtime::{User, perf_test};

#[perf_test(load = "huge_load")]
async fn preset(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
