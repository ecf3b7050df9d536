//! Latency summaries added through their serialized histograms: every
//! percentile of the sum is that of one histogram of all the requests.

use hdrhistogram::Histogram;
use perf_record::load::LatencySummary;

/// The percentiles and the serialized histogram of `histogram`.
pub(crate) fn summary_of(histogram: &Histogram<u64>) -> LatencySummary {
    if histogram.is_empty() {
        return LatencySummary::default();
    }
    LatencySummary {
        count: histogram.len(),
        min_us: histogram.min(),
        mean_us: histogram.mean(),
        p50_us: histogram.value_at_quantile(0.5),
        p90_us: histogram.value_at_quantile(0.9),
        p95_us: histogram.value_at_quantile(0.95),
        p99_us: histogram.value_at_quantile(0.99),
        p999_us: histogram.value_at_quantile(0.999),
        max_us: histogram.max(),
        histogram: crate::histogram::encode(histogram).unwrap_or_default(),
    }
}

/// Several summaries as one: their histograms added. `None` when one that
/// counted requests carries no readable histogram (a record too old to
/// have one): its percentiles cannot be added, only averaged, which this
/// never does.
pub(crate) fn add<'a>(
    parts: impl IntoIterator<Item = &'a LatencySummary>,
) -> Option<LatencySummary> {
    let counted: Vec<&str> = parts
        .into_iter()
        .filter(|s| s.count > 0)
        .map(|s| s.histogram.as_str())
        .collect();
    if counted.is_empty() {
        return Some(LatencySummary::default());
    }
    crate::histogram::merge(counted).map(|h| summary_of(&h))
}
