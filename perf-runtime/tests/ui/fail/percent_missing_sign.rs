use perf_runtime::{Bencher, perf_test};

#[perf_test(regression_threshold = "10")]
fn missing_sign(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
