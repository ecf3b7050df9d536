use perf_runtime::{Bencher, perf_test};

#[perf_test(warmup = "1s")]
fn typo_warmup(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
