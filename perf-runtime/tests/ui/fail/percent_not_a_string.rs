use perf_runtime::{Bencher, perf_test};

#[perf_test(regression_threshold = 10)]
fn not_a_string(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
