use perf_runtime::{Bencher, perf_test};

#[perf_test]
unsafe fn unsafe_test(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
