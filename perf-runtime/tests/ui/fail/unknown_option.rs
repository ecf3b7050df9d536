use perf_runtime::{Bencher, perf_test};

#[perf_test(foo = "1")]
fn unknown_option(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
