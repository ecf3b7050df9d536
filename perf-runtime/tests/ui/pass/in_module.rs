mod parsing {
    use perf_runtime::{Bencher, perf_test};

    #[perf_test]
    fn parse_number(b: &mut Bencher) {
        b.iter(|| "12345".parse::<u64>());
    }

    #[perf_test]
    async fn parse_number_async(b: &mut Bencher) {
        b.iter_async(|| async { "12345".parse::<u64>() }).await;
    }
}

perf_runtime::main!();
