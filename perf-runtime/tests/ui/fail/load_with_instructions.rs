use perf_runtime::{User, perf_test};

#[perf_test(load = "baseline", instructions)]
async fn counted(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
