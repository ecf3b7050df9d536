//! How perf-runtime runs each kind: the [`KindRun`] every kind's runner
//! implements, and [`runner`], the one line per kind that picks it.

use std::time::Duration;

use perf_record::kinds::KindOptions;
use perf_record::load::LoadStats;
use perf_record::threshold::Threshold;

use super::catalog;
use super::smoke::Smoke;
use super::sweep::{Single, Sweep};
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

/// The runner of a kind, handed its own options: the one place that says
/// which runner each kind goes to.
pub(crate) fn runner(options: &'static KindOptions) -> Box<dyn KindRun> {
    match options {
        KindOptions::Stress(o) => Box::new(Sweep::Stress(o)),
        KindOptions::Scalability(o) => Box::new(Sweep::Scalability(o)),
        KindOptions::Volume(o) => Box::new(Sweep::Volume(o)),
        KindOptions::Pagination(o) => Box::new(Sweep::Pagination(o)),
        KindOptions::Spike(o) => Box::new(Sweep::Spike(o)),
        KindOptions::ResponseTime(o) => Box::new(Single::ResponseTime(o)),
        KindOptions::Soak(o) => Box::new(Single::Soak(o)),
        KindOptions::RateLimit(o) => Box::new(catalog::rate_limit::RateLimit(o)),
        KindOptions::Caching(o) => Box::new(catalog::caching::Caching(o)),
        KindOptions::NPlusOne(o) => Box::new(catalog::n_plus_one::NPlusOne(o)),
        KindOptions::Pool(o) => Box::new(catalog::pool::Pool(o)),
        KindOptions::Timeout(o) => Box::new(catalog::timeout::Timeout(o)),
        KindOptions::Search(o) => Box::new(catalog::search::Search(o)),
        KindOptions::WebSocket(o) => Box::new(catalog::websocket::WebSocket(o)),
    }
}
