//! A load test's metrics on both sides: latency, throughput, errors, and
//! the catalogue kinds' own figures.

use perf_record::TestRecord;
use perf_record::load::LoadStats;
use perf_record::metric::Metric;

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

impl LoadRatios {
    /// The ratios of `metric`, where rounds keep them.
    fn of(&self, metric: Metric) -> Option<&[f64]> {
        if metric == Metric::P95 {
            Some(&self.p95)
        } else if metric == Metric::P99 {
            Some(&self.p99)
        } else if metric == Metric::THROUGHPUT {
            Some(&self.rps)
        } else {
            None
        }
    }
}

/// A load test's metrics, each with its direction: latency percentiles
/// and the error rate are better lower, throughput higher.
pub fn load_metrics(
    old: &TestRecord,
    new: &TestRecord,
    paired: Option<&LoadRatios>,
) -> Vec<TestComparison> {
    let (Some(before), Some(after)) = (&old.load, &new.load) else {
        return vec![metric(new, Metric::P95, (None, None), None)];
    };
    if let Some(difference) = different_load(old, new) {
        // Figures of another load are not a change of this one.
        let mut not_comparable = metric(new, Metric::P95, (None, None), None);
        not_comparable.baseline_value = Metric::P95.read_load(before);
        not_comparable.current_value = Metric::P95.read_load(after);
        not_comparable.config_diff = Some(difference);
        return vec![not_comparable];
    }
    // Paired rounds give ratios; two separate runs of several processes
    // each give their processes' spread, the noise between runs.
    let spread = |measured: Metric| {
        let side = |stats: &LoadStats| {
            let values: Option<Vec<f64>> = stats
                .processes
                .iter()
                .map(|p| measured.read_process(p))
                .collect();
            Side::from_medians(&values?, [0.0, 0.0])
        };
        side(before)
            .zip(side(after))
            .and_then(|(b, a)| ChangeEstimate::unpaired(b, a))
    };
    let estimate = |measured: Metric| match paired.and_then(|p| p.of(measured)) {
        Some(ratios) => ChangeEstimate::paired(ratios),
        None => spread(measured),
    };
    let both = |measured: Metric| (measured.read_load(before), measured.read_load(after));
    let mut metrics: Vec<TestComparison> = [Metric::P95, Metric::P99, Metric::THROUGHPUT]
        .into_iter()
        .map(|measured| metric(new, measured, both(measured), estimate(measured)))
        .collect();
    metrics.push(metric(
        new,
        Metric::ERROR_RATE,
        both(Metric::ERROR_RATE),
        None,
    ));
    // A sweep's own figures, where both sides measured them.
    metrics.extend(Metric::figures().filter_map(|figure| match both(figure) {
        (Some(b), Some(a)) => Some(metric(new, figure, (Some(b), Some(a)), None)),
        _ => None,
    }));
    metrics
}

/// How the two sides' loads differ, when they do: the model, the users or
/// rates of the stages, or the command line's workload flags. Durations
/// are left out: `--duration-scale`, `--quick` and paired rounds shorten a
/// workload without changing its load.
fn different_load(old: &TestRecord, new: &TestRecord) -> Option<String> {
    let load = |t: &TestRecord| {
        let workload = t.load.as_ref().map(|l| &l.workload);
        let targets: Vec<f64> = workload
            .map(|w| w.stages.iter().map(|&(_, target)| target).collect())
            .unwrap_or_default();
        let model = workload.map_or("", |w| w.model.as_str()).to_owned();
        let flags = t.config.load_overrides.as_ref().map(|f| f.command_line());
        (model, targets, flags)
    };
    let (before, after) = (load(old), load(new));
    if before == after {
        return None;
    }
    let show = |(model, targets, flags): &(String, Vec<f64>, Option<String>)| {
        let targets: Vec<String> = targets.iter().map(|t| format!("{t}")).collect();
        let unit = if model == "open" {
            "arrivals/s"
        } else {
            "users"
        };
        let flags = flags.as_ref().map_or_else(
            || "its code's workload".to_owned(),
            |f| format!("flags `{f}`"),
        );
        format!(
            "{model}, stages to {} {unit}, {flags}",
            targets.join(" -> ")
        )
    };
    Some(format!(
        "  its load differs, so its figures are not compared:\n  baseline: {}\n  current:  {}\n",
        show(&before),
        show(&after)
    ))
}
