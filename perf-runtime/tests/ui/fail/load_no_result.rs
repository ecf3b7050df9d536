use perf_runtime::{User, perf_test};

#[perf_test(load = "baseline")]
async fn no_result(user: &mut User) {
    let _ = user.get("/").await;
}

perf_runtime::main!();
