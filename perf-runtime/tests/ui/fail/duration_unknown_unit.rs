use perf_runtime::{Bencher, perf_test};

#[perf_test(measurement_time = "2x")]
fn unknown_unit(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
