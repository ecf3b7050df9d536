use perf_runtime::{User, perf_test};

#[perf_test(load(stages = []))]
async fn no_stages(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
