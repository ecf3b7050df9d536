//! The commented example `cargo perf init` writes: two micro-benchmarks
//! that run as they are, and a load test in comments (it needs a server).

/// The example bench file.
pub const EXAMPLE: &str = r#"//! Perf tests of this package, written by `cargo perf init`.
//!
//! `cargo perf` builds this target optimised, runs each `#[perf_test]` in
//! turn and prints a table; `cargo perf --save-baseline main` keeps the
//! results and `cargo perf --compare main` fails (exit 12) when a test got
//! slower than its threshold. `cargo test --benches` runs each test once,
//! as a smoke test.

use perf_runtime::{Bencher, perf_test};

/// A micro-benchmark: the closure given to `b.iter` is what is timed, run
/// in batches until the measurement time is spent. Set up its input
/// outside the closure; replace the work by a call into your crate, e.g.
/// `b.iter(|| my_crate::parse(&input))`.
#[perf_test]
fn sum_of_squares(b: &mut Bencher) {
    let input: Vec<u64> = (0..10_000).collect();
    b.iter(|| input.iter().map(|x| x * x).sum::<u64>());
}

/// Options: a regression threshold of its own (the package's default is
/// `regression-threshold` in `[package.metadata.perf]`, else 10%), and the
/// warm-up and measurement times. `iter_with_setup` keeps the setup (here
/// a copy to sort) and the dropping of the result out of the timing.
#[perf_test(regression_threshold = "5%", warm_up_time = "500ms", measurement_time = "2s")]
fn sort_10k(b: &mut Bencher) {
    let input: Vec<u64> = (0..10_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40).collect();
    b.iter_with_setup(
        || input.clone(),
        |mut values| {
            values.sort_unstable();
            values
        },
    );
}

// A load test: one iteration of a virtual user, against the server that
// `[package.metadata.perf.server]` in Cargo.toml starts for the run:
//
//     [package.metadata.perf.server]
//     bin = "my-server"             # a binary of this workspace
//     args = ["--port", "{port}"]   # {port}: a free loopback port
//     ready = "/health"             # GET until it answers 2xx
//
// Uncomment it once the server is configured (add `User` to the `use`
// above), or write load tests from an OpenAPI document with
// `cargo perf init --openapi openapi.yaml --bench api`.
//
// #[perf_test(
//     load(users = 10, ramp_up = "5s", hold = "30s", think = "0.5s..1.5s"),
//     threshold(p95 = "500ms", error_rate = "1%")
// )]
// async fn browse(user: &mut User) -> perf_runtime::Result<()> {
//     user.get("/items?page=1").await?.expect_status(200)?;
//     user.think().await;
//     Ok(())
// }

perf_runtime::main!();
"#;
