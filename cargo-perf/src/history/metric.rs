//! The metrics a history follows, how each is read from a run's record,
//! and the scale its steps are judged on.

use perf_record::TestRecord;

use super::trend::Detector;

/// The scale a metric's steps are found on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Log of the value: a step is a ratio (times, latency, throughput).
    Log,
    /// The value itself: a step is a difference (the error rate, whose
    /// healthy value is zero).
    Difference,
}

impl Scale {
    /// A value on this scale.
    pub fn of(self, value: f64) -> f64 {
        match self {
            Self::Log => value.ln(),
            Self::Difference => value,
        }
    }

    /// How steps on this scale are detected.
    pub fn detector(self) -> Detector {
        match self {
            Self::Log => Detector::RATIO,
            Self::Difference => Detector::DIFFERENCE,
        }
    }
}

/// A metric's value in one run, and its interval when it has one.
pub type Reading = (f64, Option<[f64; 2]>);

/// A metric a history follows.
#[derive(Debug)]
pub struct Metric {
    /// Its key, as comparisons name it.
    pub key: &'static str,
    /// Its name in tables.
    pub label: &'static str,
    /// The unit of its values.
    pub unit: &'static str,
    /// Whether a higher value is better.
    pub higher_is_better: bool,
    /// The scale its steps are found on.
    pub scale: Scale,
    /// Whether its interval is a confidence interval (used as each run's
    /// own noise) rather than a range.
    pub interval_is_ci: bool,
    /// Its value and interval in a test's record, when it has one.
    pub value: fn(&TestRecord) -> Option<Reading>,
}

/// Every metric a history follows: a benchmark's median time and its
/// instructions when counted; a load test's p95 and p99 latency,
/// throughput and error rate.
pub const METRICS: &[Metric] = &[
    Metric {
        key: "median_ns",
        label: "median",
        unit: "ns",
        higher_is_better: false,
        scale: Scale::Log,
        interval_is_ci: true,
        value: |t| {
            let s = t.stats.as_ref()?;
            Some((s.median_ns, Some([s.median_ci_low_ns, s.median_ci_high_ns])))
        },
    },
    Metric {
        key: "instructions",
        label: "instructions",
        unit: "instructions",
        higher_is_better: false,
        scale: Scale::Log,
        interval_is_ci: false,
        value: |t| Some((t.instructions.as_ref()?.per_iteration, None)),
    },
    Metric {
        key: "p95_us",
        label: "p95",
        unit: "µs",
        higher_is_better: false,
        scale: Scale::Log,
        interval_is_ci: false,
        value: |t| {
            let load = t.load.as_ref()?;
            Some((load.latency.p95_us as f64, range(load, |p| p.p95_us as f64)))
        },
    },
    Metric {
        key: "p99_us",
        label: "p99",
        unit: "µs",
        higher_is_better: false,
        scale: Scale::Log,
        interval_is_ci: false,
        value: |t| {
            let load = t.load.as_ref()?;
            Some((load.latency.p99_us as f64, range(load, |p| p.p99_us as f64)))
        },
    },
    Metric {
        key: "rps",
        label: "rps",
        unit: "requests/s",
        higher_is_better: true,
        scale: Scale::Log,
        interval_is_ci: false,
        value: |t| {
            let load = t.load.as_ref()?;
            Some((load.rps, range(load, |p| p.rps)))
        },
    },
    Metric {
        key: "error_rate_pct",
        label: "errors",
        unit: "%",
        higher_is_better: false,
        scale: Scale::Difference,
        interval_is_ci: false,
        value: |t| Some((t.load.as_ref()?.error_rate_pct, None)),
    },
];

/// The metric with this key.
pub fn by_key(key: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.key == key)
}

/// The range of a figure across a load test's processes, when it ran in
/// several.
fn range(
    load: &perf_record::load::LoadStats,
    pick: fn(&perf_record::load::ProcessFigures) -> f64,
) -> Option<[f64; 2]> {
    if load.processes.len() < 2 {
        return None;
    }
    let values = load.processes.iter().map(pick);
    let low = values.clone().fold(f64::INFINITY, f64::min);
    let high = values.fold(f64::NEG_INFINITY, f64::max);
    Some([low, high])
}
