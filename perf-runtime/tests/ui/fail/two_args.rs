use perf_runtime::{Bencher, perf_test};

#[perf_test]
fn two_args(b: &mut Bencher, n: u64) {
    b.iter(|| n * 2);
}

perf_runtime::main!();
