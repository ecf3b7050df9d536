use perf_runtime::{User, perf_test};

#[perf_test(load(users = 4294967296, hold = "10s"))]
async fn crowd(_user: &mut User) -> perf_runtime::Result<()> {
    Ok(())
}

perf_runtime::main!();
