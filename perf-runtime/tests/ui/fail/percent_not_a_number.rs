use perf_runtime::{Bencher, perf_test};

#[perf_test(regression_threshold = "ten%")]
fn not_a_number(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
