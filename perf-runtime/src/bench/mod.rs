//! Micro-benchmarks: the [`Bencher`] a `#[perf_test]` function times its
//! routine with, and the sampling engine behind it.

pub(crate) mod bencher;
pub(crate) mod engine;

pub use bencher::Bencher;
