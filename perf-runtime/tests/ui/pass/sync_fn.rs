use perf_runtime::{Bencher, perf_test};

#[perf_test]
fn sum_squares(b: &mut Bencher) {
    b.iter(|| (0..100u64).map(|x| x * x).sum::<u64>());
}

perf_runtime::main!();
