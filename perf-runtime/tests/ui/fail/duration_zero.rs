use perf_runtime::{Bencher, perf_test};

#[perf_test(measurement_time = "0s")]
fn zero(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
