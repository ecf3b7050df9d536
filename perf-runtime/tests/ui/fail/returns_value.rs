use perf_runtime::{Bencher, perf_test};

#[perf_test]
fn returns_value(b: &mut Bencher) -> u32 {
    b.iter(|| 1 + 1);
    2
}

perf_runtime::main!();
