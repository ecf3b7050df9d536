use perf_runtime::{Bencher, perf_test};

#[perf_test]
fn sort(b: &mut Bencher) {
    b.iter_with_setup(
        || vec![5, 3, 1, 4, 2],
        |mut v| {
            v.sort_unstable();
            v
        },
    );
}

perf_runtime::main!();
