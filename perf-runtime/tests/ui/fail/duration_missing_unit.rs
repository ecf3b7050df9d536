use perf_runtime::{Bencher, perf_test};

#[perf_test(warm_up_time = "200")]
fn missing_unit(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
