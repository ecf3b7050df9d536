use perf_runtime::perf_test;

#[perf_test]
fn no_args() {}

perf_runtime::main!();
