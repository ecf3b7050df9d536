use perf_runtime::{Bencher, perf_test};

#[perf_test(threshold = "5%")]
fn typo_threshold(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
