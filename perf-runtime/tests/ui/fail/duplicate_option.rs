use perf_runtime::{Bencher, perf_test};

#[perf_test(warm_up_time = "1s", warm_up_time = "2s")]
fn duplicate(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
