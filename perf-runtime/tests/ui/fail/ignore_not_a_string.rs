use perf_runtime::{Bencher, perf_test};

#[perf_test(ignore = 5)]
fn ignore_number(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
