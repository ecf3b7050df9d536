use perf_runtime::{Bencher, perf_test};

#[perf_test(
    ignore = "slow on CI",
    regression_threshold = "10%",
    warm_up_time = "1s",
    measurement_time = "3s",
    time_limit = "2m",
    instructions
)]
fn every_option(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

// Fractions and other units are accepted too.
#[perf_test(
    regression_threshold = "2.5%",
    warm_up_time = "250ms",
    measurement_time = "1.5s"
)]
fn fractional_options(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
