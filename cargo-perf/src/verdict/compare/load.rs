//! A load test's metrics on both sides: latency, throughput, errors, and
//! the catalogue kinds' own figures.

use perf_record::TestRecord;
use perf_record::load::ProcessFigures;

use super::{ChangeEstimate, Side, TestComparison, metric};

/// Per-round ratios of a load test's metrics, when both sides ran in
/// paired rounds.
#[derive(Debug, Clone, Default)]
pub struct LoadRatios {
    /// p95 latency, candidate over base, per round.
    pub p95: Vec<f64>,
    /// p99 latency.
    pub p99: Vec<f64>,
    /// Throughput.
    pub rps: Vec<f64>,
}

/// A load test's metrics, each with its direction: latency percentiles
/// and the error rate are better lower, throughput higher.
pub fn load_metrics(
    old: &TestRecord,
    new: &TestRecord,
    paired: Option<&LoadRatios>,
) -> Vec<TestComparison> {
    let (Some(before), Some(after)) = (&old.load, &new.load) else {
        return vec![metric(new, "p95_us", (None, None), None, false)];
    };
    // Paired rounds give ratios; two separate runs of several processes
    // each give their processes' spread, the noise between runs.
    let spread = |pick: fn(&ProcessFigures) -> f64| {
        let side = |stats: &perf_record::load::LoadStats| {
            let values: Vec<f64> = stats.processes.iter().map(pick).collect();
            Side::from_medians(&values, [0.0, 0.0])
        };
        side(before)
            .zip(side(after))
            .and_then(|(b, a)| ChangeEstimate::unpaired(b, a))
    };
    let estimate = |ratios: Option<&Vec<f64>>, pick: fn(&ProcessFigures) -> f64| match ratios {
        Some(ratios) => ChangeEstimate::paired(ratios),
        None => spread(pick),
    };
    // A sweep's own figures, where both sides measured them.
    let sweep_metric = |key: &str| {
        let get = |stats: &perf_record::load::LoadStats| {
            stats
                .sweep
                .as_ref()
                .and_then(|s| s.metrics.get(key).copied())
        };
        get(before).zip(get(after))
    };
    let sweeps = perf_record::kinds::figures().filter_map(|figure| {
        sweep_metric(figure.key).map(|(b, a)| {
            metric(
                new,
                figure.key,
                (Some(b), Some(a)),
                None,
                figure.higher_is_better,
            )
        })
    });
    let mut metrics = vec![
        metric(
            new,
            "p95_us",
            (
                Some(before.latency.p95_us as f64),
                Some(after.latency.p95_us as f64),
            ),
            estimate(paired.map(|p| &p.p95), |p| p.p95_us as f64),
            false,
        ),
        metric(
            new,
            "p99_us",
            (
                Some(before.latency.p99_us as f64),
                Some(after.latency.p99_us as f64),
            ),
            estimate(paired.map(|p| &p.p99), |p| p.p99_us as f64),
            false,
        ),
        metric(
            new,
            "rps",
            (Some(before.rps), Some(after.rps)),
            estimate(paired.map(|p| &p.rps), |p| p.rps),
            true,
        ),
        metric(
            new,
            "error_rate_pct",
            (Some(before.error_rate_pct), Some(after.error_rate_pct)),
            None,
            false,
        ),
    ];
    metrics.extend(sweeps);
    metrics
}
