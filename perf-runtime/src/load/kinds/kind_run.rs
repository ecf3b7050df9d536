//! What every kind's runner does: the [`KindRun`] that `runner.rs` hands
//! each kind's options to.

use std::time::Duration;

use perf_record::load::LoadStats;
use perf_record::threshold::Threshold;

use super::smoke::Smoke;
use crate::load::engine::Generator;

/// A kind as perf-runtime runs it, with its options.
pub(crate) trait KindRun {
    /// Runs a test of the kind: its figures with the kind's analysis, and
    /// how long the workload was meant to take.
    fn run(
        &self,
        generator: Generator<'_>,
        scale: f64,
        thresholds: &[Threshold],
    ) -> Result<(LoadStats, Duration), String>;

    /// The few iterations of a smoke run under `cargo test`, as the kind
    /// would first run them.
    fn smoke(&self) -> Smoke;

    /// Whether its requests time out on purpose (its analysis reads them),
    /// so that a test with no response measured is no failure.
    fn times_out_on_purpose(&self) -> bool {
        false
    }
}
