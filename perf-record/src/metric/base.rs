//! The base metrics: a benchmark's time and instructions, a load test's
//! latency, throughput, errors and transfer. The kinds' figures are the
//! rest of the vocabulary (each in its kind's module).

use super::spec::{Change, MetricSpec, Scale, Source, Unit};

/// A latency percentile of a load test (`p95_us`, threshold `p95`).
const fn latency(key: &'static str, threshold: &'static str, source: Source) -> MetricSpec {
    MetricSpec {
        key,
        threshold: Some(threshold),
        label: threshold,
        prose: threshold,
        unit: Unit::Latency,
        higher_is_better: false,
        change: Change::Shown,
        scale: Scale::Log,
        source,
        interval: None,
    }
}

/// A benchmark's median time per iteration, ns.
pub(super) const MEDIAN: MetricSpec = MetricSpec {
    key: "median_ns",
    threshold: None,
    label: "median",
    prose: "median",
    unit: Unit::Nanos,
    higher_is_better: false,
    change: Change::Relative,
    scale: Scale::Log,
    source: Source::Median,
    interval: None,
};

/// Instructions per iteration (`--instructions`).
pub(super) const INSTRUCTIONS: MetricSpec = MetricSpec {
    key: "instructions",
    threshold: None,
    label: "instructions",
    prose: "instructions",
    unit: Unit::Count,
    higher_is_better: false,
    change: Change::Relative,
    scale: Scale::Log,
    source: Source::Instructions,
    interval: None,
};

/// Median latency, µs.
pub(super) const P50: MetricSpec = latency("p50_us", "p50", Source::P50);
/// 90th percentile latency, µs.
pub(super) const P90: MetricSpec = latency("p90_us", "p90", Source::P90);
/// 95th percentile latency, µs.
pub(super) const P95: MetricSpec = latency("p95_us", "p95", Source::P95);
/// 99th percentile latency, µs.
pub(super) const P99: MetricSpec = latency("p99_us", "p99", Source::P99);
/// 99.9th percentile latency, µs.
pub(super) const P999: MetricSpec = latency("p999_us", "p999", Source::P999);
/// Mean latency, µs.
pub(super) const MEAN: MetricSpec = latency("mean_us", "mean", Source::Mean);
/// The slowest request, µs.
pub(super) const MAX: MetricSpec = latency("max_us", "max", Source::Max);

/// Failed requests in percent of those sent.
pub(super) const ERROR_RATE: MetricSpec = MetricSpec {
    key: "error_rate_pct",
    threshold: Some("error_rate"),
    label: "errors",
    prose: "error rate",
    unit: Unit::PercentOfRequests,
    higher_is_better: false,
    change: Change::Absolute(1.0),
    scale: Scale::Difference,
    source: Source::ErrorRate,
    interval: None,
};

/// Requests per second.
pub(super) const THROUGHPUT: MetricSpec = MetricSpec {
    key: "rps",
    threshold: Some("rps"),
    label: "rps",
    prose: "throughput",
    unit: Unit::RequestsPerSecond,
    higher_is_better: true,
    change: Change::Shown,
    scale: Scale::Log,
    source: Source::Throughput,
    interval: None,
};

/// Bytes received per second.
pub(super) const RECEIVED: MetricSpec = MetricSpec {
    key: "received_per_s",
    threshold: Some("received"),
    label: "received",
    prose: "bytes received",
    unit: Unit::Transfer,
    higher_is_better: true,
    change: Change::Shown,
    scale: Scale::Log,
    source: Source::Received,
    interval: None,
};

/// Bytes sent per second.
pub(super) const SENT: MetricSpec = MetricSpec {
    key: "sent_per_s",
    threshold: Some("sent"),
    label: "sent",
    prose: "bytes sent",
    unit: Unit::Transfer,
    higher_is_better: true,
    change: Change::Shown,
    scale: Scale::Log,
    source: Source::Sent,
    interval: None,
};

/// Every base metric, in the order messages list them.
pub(super) const BASE: [&MetricSpec; 13] = [
    &MEDIAN,
    &INSTRUCTIONS,
    &P50,
    &P90,
    &P95,
    &P99,
    &P999,
    &MEAN,
    &MAX,
    &ERROR_RATE,
    &THROUGHPUT,
    &RECEIVED,
    &SENT,
];
