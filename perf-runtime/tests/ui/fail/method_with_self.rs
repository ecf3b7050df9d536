use perf_runtime::{Bencher, perf_test};

struct Suite;

impl Suite {
    #[perf_test]
    fn method(&self, b: &mut Bencher) {
        b.iter(|| 1 + 1);
    }
}

perf_runtime::main!();
