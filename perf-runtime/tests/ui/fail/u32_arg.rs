use perf_runtime::perf_test;

#[perf_test]
fn takes_a_number(n: u32) {
    let _ = n;
}

perf_runtime::main!();
