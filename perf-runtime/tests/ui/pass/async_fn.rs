use perf_runtime::{Bencher, perf_test};

#[perf_test]
async fn add_async(b: &mut Bencher) {
    b.iter_async(|| async { 1 + 1 }).await;
}

perf_runtime::main!();
