use perf_runtime::{Bencher, perf_test};

#[perf_test]
fn generic<T: Default>(b: &mut Bencher) {
    b.iter(T::default);
}

perf_runtime::main!();
