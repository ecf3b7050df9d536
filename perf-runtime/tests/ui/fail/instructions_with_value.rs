use perf_runtime::{Bencher, perf_test};

#[perf_test(instructions = true)]
fn counted(b: &mut Bencher) {
    b.iter(|| 1 + 1);
}

perf_runtime::main!();
