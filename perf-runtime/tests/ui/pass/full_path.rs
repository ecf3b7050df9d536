#[perf_runtime::perf_test]
fn full_path(b: &mut perf_runtime::Bencher) {
    b.iter(|| 1 + 1);
}

#[perf_runtime::perf_test]
fn leading_colons(b: &mut ::perf_runtime::Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
