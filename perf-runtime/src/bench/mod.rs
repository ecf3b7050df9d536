//! Micro-benchmarks: the [`Bencher`] a `#[perf_test]` function times its
//! routine with, the sampling engine behind it, and the calibration
//! benchmark timed beside each one.

pub(crate) mod bencher;
pub(crate) mod calibration;
pub(crate) mod engine;
pub(crate) mod stopping;

pub use bencher::Bencher;
