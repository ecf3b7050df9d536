use perf_runtime::{Bencher, perf_test};

#[perf_test(threshold(p95 = "200ms"))]
fn bench(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
