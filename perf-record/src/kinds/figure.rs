//! The figures a kind measures: what a threshold on one is called, where
//! the result keeps it, its unit, which way is better, and how a change
//! between two runs is judged. Each kind lists its own.

/// How a kind's figure is written in a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A plain number: `"<= 1.2"`, `">= 16"`.
    Number,
    /// A percentage: `">= 50%"`.
    Percent,
    /// A duration, kept in µs: `"<= 1s"`.
    Duration,
    /// Bytes per second: `"<= 16KB/s"`.
    BytesPerSecond,
}

/// How a change of the figure between two runs is judged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// In percent of the baseline, against the test's regression threshold.
    Relative,
    /// As a difference, against this fixed limit (for figures whose healthy
    /// value is near zero, where a percentage means nothing).
    Absolute(f64),
    /// In percent, shown but not gated against a saved baseline: a ratio of
    /// latencies from one run a side, which drifts between runs as much as
    /// the latencies do (`--compare-ref` and thresholds gate it).
    Shown,
}

/// One figure of a kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KindMetric {
    /// Its name in `threshold(...)`.
    pub threshold: &'static str,
    /// Its key in the result's `sweep.metrics`.
    pub key: &'static str,
    /// How a threshold on it is written.
    pub unit: Unit,
    /// Whether more is better (a floor) or less (a ceiling).
    pub higher_is_better: bool,
    /// How a change is judged in `--compare`.
    pub change: Change,
    /// Its label in reports.
    pub label: &'static str,
}

impl KindMetric {
    /// A figure (`const`, for the kinds' tables).
    pub const fn new(
        threshold: &'static str,
        key: &'static str,
        unit: Unit,
        higher_is_better: bool,
        change: Change,
        label: &'static str,
    ) -> Self {
        Self {
            threshold,
            key,
            unit,
            higher_is_better,
            change,
            label,
        }
    }
}
