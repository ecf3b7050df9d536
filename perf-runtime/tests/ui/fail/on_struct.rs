use perf_runtime::perf_test;

#[perf_test]
struct NotAFunction {
    field: u32,
}

perf_runtime::main!();
