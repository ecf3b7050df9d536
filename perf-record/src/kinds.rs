//! The figures each kind of catalogue test measures: what a threshold on
//! one is called, where the result keeps it, its unit, which way is
//! better, and how a change between two runs is judged. One table, read by
//! the macro (compile-time checks and defaults), the thresholds, the
//! comparison and the reports.

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
    /// The kinds that measure it.
    pub kinds: &'static [&'static str],
    /// How a threshold on it is written.
    pub unit: Unit,
    /// Whether more is better (a floor) or less (a ceiling).
    pub higher_is_better: bool,
    /// How a change is judged in `--compare`.
    pub change: Change,
    /// Its label in reports.
    pub label: &'static str,
}

const fn m(
    threshold: &'static str,
    key: &'static str,
    kinds: &'static [&'static str],
    unit: Unit,
    higher_is_better: bool,
    change: Change,
    label: &'static str,
) -> KindMetric {
    KindMetric {
        threshold,
        key,
        kinds,
        unit,
        higher_is_better,
        change,
        label,
    }
}

/// Every kind's figures.
#[rustfmt::skip]
pub const KIND_METRICS: &[KindMetric] = &[
    m("breaking_point", "breaking_point", &["stress"], Unit::Number, true, Change::Relative, "breaking point"),
    m("efficiency", "efficiency_pct", &["scalability"], Unit::Percent, true, Change::Relative, "efficiency"),
    m("growth", "growth", &["volume", "pagination"], Unit::Number, false, Change::Absolute(0.3), "growth"),
    m("recovery", "recovery_us", &["spike"], Unit::Duration, false, Change::Relative, "recovery"),
    m("rss_growth", "rss_growth_bytes_per_s", &["soak"], Unit::BytesPerSecond, false, Change::Absolute(16_384.0), "rss growth"),
    m("admitted", "admitted_pct", &["rate_limit"], Unit::Percent, false, Change::Absolute(20.0), "admitted"),
    m("limited_below", "limited_below_pct", &["rate_limit"], Unit::Percent, false, Change::Absolute(5.0), "429s below limit"),
    m("limit_headers", "limit_headers_pct", &["rate_limit"], Unit::Percent, true, Change::Absolute(5.0), "limit headers"),
    m("speedup", "warm_speedup", &["caching"], Unit::Number, true, Change::Shown, "warm speedup"),
    m("cache_headers", "cache_headers_pct", &["caching"], Unit::Percent, true, Change::Absolute(5.0), "cache headers"),
    m("revalidated", "revalidated_pct", &["caching"], Unit::Percent, true, Change::Absolute(5.0), "304s"),
    m("query_growth", "query_growth", &["n_plus_one"], Unit::Number, false, Change::Absolute(0.3), "query growth"),
    m("queries", "queries_per_request", &["n_plus_one"], Unit::Number, false, Change::Relative, "queries/request"),
    m("pool_errors", "pool_error_pct", &["pool"], Unit::Percent, false, Change::Absolute(1.0), "pool errors"),
    m("knee", "knee_users", &["pool"], Unit::Number, true, Change::Shown, "latency knee"),
    m("timeouts", "timeout_pct", &["timeout"], Unit::Percent, false, Change::Absolute(1.0), "timeouts"),
    m("served_after", "served_after_pct", &["timeout"], Unit::Percent, true, Change::Absolute(1.0), "served after"),
    m("spread", "query_spread", &["search"], Unit::Number, false, Change::Shown, "query spread"),
    m("slowest", "slowest_p95_us", &["search"], Unit::Duration, false, Change::Shown, "slowest p95"),
    m("rtt_growth", "rtt_growth", &["websocket"], Unit::Number, false, Change::Absolute(0.3), "rtt growth"),
    m("connected", "connected_pct", &["websocket"], Unit::Percent, true, Change::Absolute(1.0), "connected"),
];

/// The figure a threshold name stands for.
pub fn by_threshold(name: &str) -> Option<&'static KindMetric> {
    KIND_METRICS.iter().find(|m| m.threshold == name)
}

/// The figure kept under `key` in a result.
pub fn by_key(key: &str) -> Option<&'static KindMetric> {
    KIND_METRICS.iter().find(|m| m.key == key)
}

/// The thresholds a kind gets when the test gives none on that figure:
/// the limits that make the kind's verdict.
pub fn default_thresholds(kind: &str) -> &'static [(&'static str, &'static str)] {
    match kind {
        "scalability" => &[("efficiency", ">= 50%")],
        "volume" => &[("growth", "<= 1.2")],
        "pagination" => &[("growth", "<= 0.5")],
        "spike" => &[("recovery", "<= 1s")],
        "soak" => &[("rss_growth", "<= 16KB/s")],
        "rate_limit" => &[
            ("admitted", "<= 120%"),
            ("limited_below", "<= 5%"),
            ("limit_headers", ">= 99%"),
        ],
        "caching" => &[("speedup", ">= 2")],
        "n_plus_one" => &[("query_growth", "<= 0.5")],
        "pool" => &[("pool_errors", "<= 1%")],
        "timeout" => &[("timeouts", "<= 1%"), ("served_after", ">= 100%")],
        "search" => &[("spread", "<= 5")],
        "websocket" => &[("rtt_growth", "<= 0.5"), ("connected", ">= 99%")],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys_are_unique_and_defaults_name_real_figures() {
        for (i, a) in KIND_METRICS.iter().enumerate() {
            for b in &KIND_METRICS[i + 1..] {
                assert_ne!(a.threshold, b.threshold);
                assert_ne!(a.key, b.key);
            }
        }
        for kind in KIND_METRICS.iter().flat_map(|m| m.kinds) {
            for (name, value) in default_thresholds(kind) {
                let metric = by_threshold(name).expect(name);
                assert!(
                    metric.kinds.contains(kind),
                    "{name} is not measured by {kind}"
                );
                crate::threshold::Threshold::parse(name, value).expect(value);
            }
        }
    }
}
