//! The figures a kind measures: what a threshold on one is called, where
//! the result keeps it, its unit, which way is better, and how a change
//! between two runs is judged. Each kind lists its own; this module finds
//! them by name for the thresholds, the comparison and the reports.

use super::Kind;

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

    /// The kinds that measure it.
    pub fn kinds(&self) -> Vec<Kind> {
        Kind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.figures().iter().any(|f| f.threshold == self.threshold))
            .collect()
    }

    /// The kinds that measure it, as written (`volume and pagination`).
    pub fn kind_names(&self, separator: &str) -> String {
        self.kinds()
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(separator)
    }
}

/// Every kind's figures, each once (a figure two kinds share comes first
/// with the first of them).
pub fn figures() -> impl Iterator<Item = &'static KindMetric> {
    Kind::ALL
        .iter()
        .flat_map(|kind| kind.figures().iter().map(move |f| (*kind, f)))
        .filter(|(kind, figure)| figure.kinds().first() == Some(kind))
        .map(|(_, figure)| figure)
}

/// The figure a threshold name stands for.
pub fn by_threshold(name: &str) -> Option<&'static KindMetric> {
    figures().find(|m| m.threshold == name)
}

/// The figure kept under `key` in a result.
pub fn by_key(key: &str) -> Option<&'static KindMetric> {
    figures().find(|m| m.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys_are_unique_and_shared_figures_agree() {
        let all: Vec<_> = figures().collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a.threshold, b.threshold);
                assert_ne!(a.key, b.key);
            }
        }
        // A figure two kinds share is the same figure in both.
        for kind in Kind::ALL {
            for figure in kind.figures() {
                assert_eq!(by_threshold(figure.threshold), Some(figure));
            }
        }
        assert_eq!(
            by_threshold("growth").map(KindMetric::kinds),
            Some(vec![Kind::Volume, Kind::Pagination])
        );
        assert_eq!(
            by_key("admitted_pct").map(|f| f.threshold),
            Some("admitted")
        );
    }
}
