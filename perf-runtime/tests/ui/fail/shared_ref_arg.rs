use perf_runtime::{Bencher, perf_test};

#[perf_test]
fn shared_ref(b: &Bencher) {
    let _ = b;
}

perf_runtime::main!();
