use perf_runtime::{Bencher, perf_test};

#[perf_test(ignore)]
fn ignored(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
