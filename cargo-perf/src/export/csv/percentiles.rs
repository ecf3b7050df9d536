//! Locust's percentile columns, computed from the HDR histograms a load
//! test's latency summaries carry (the summary itself holds only p50,
//! p90, p95, p99, p99.9 and max).

use hdrhistogram::Histogram;
use perf_record::load::LatencySummary;

/// Locust's percentile columns and their quantiles.
pub(super) const COLUMNS: [(&str, f64); 11] = [
    ("50%", 0.5),
    ("66%", 0.66),
    ("75%", 0.75),
    ("80%", 0.8),
    ("90%", 0.9),
    ("95%", 0.95),
    ("98%", 0.98),
    ("99%", 0.99),
    ("99.9%", 0.999),
    ("99.99%", 0.9999),
    ("100%", 1.0),
];

/// Locust's word for a percentile it cannot give.
pub(super) const NA: &str = "N/A";

/// The histogram a summary carries, when it has a readable one that holds
/// every request the summary counts.
pub(super) fn histogram(summary: &LatencySummary) -> Option<Histogram<u64>> {
    let hist = crate::histogram::decode(&summary.histogram)?;
    (hist.len() == summary.count).then_some(hist)
}

/// Several summaries' histograms added: the exact distribution of all
/// their requests. `None` when one of them has no readable histogram.
pub(super) fn merged<'a>(
    summaries: impl IntoIterator<Item = &'a LatencySummary>,
) -> Option<Histogram<u64>> {
    let mut total: Option<Histogram<u64>> = None;
    for summary in summaries {
        if summary.count == 0 {
            continue;
        }
        let hist = histogram(summary)?;
        match &mut total {
            None => total = Some(hist),
            Some(total) => total.add(&hist).ok()?,
        }
    }
    total
}

/// The percentile columns of `summary`, in ms: from `hist` when given,
/// else the summary's own percentiles and `N/A` for the rest.
pub(super) fn fields(summary: &LatencySummary, hist: Option<&Histogram<u64>>) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|&(_, q)| {
            if summary.count == 0 {
                return NA.to_owned();
            }
            let us = match hist {
                Some(hist) => Some(hist.value_at_quantile(q)),
                None => own(summary, q),
            };
            us.map_or_else(|| NA.to_owned(), |us| super::ms(us as f64))
        })
        .collect()
}

/// A percentile the summary holds itself.
fn own(summary: &LatencySummary, q: f64) -> Option<u64> {
    let s = summary;
    [
        (0.5, s.p50_us),
        (0.9, s.p90_us),
        (0.95, s.p95_us),
        (0.99, s.p99_us),
        (0.999, s.p999_us),
        (1.0, s.max_us),
    ]
    .into_iter()
    .find(|(own, _)| (own - q).abs() < 1e-9)
    .map(|(_, us)| us)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn percentiles_come_from_the_histogram_or_the_summary() {
        let summary = sample::latency(&sample::one_to_hundred_ms());
        let hist = histogram(&summary).unwrap();
        let from_hist = fields(&summary, Some(&hist));
        // 1..=100 ms: the q quantile is about q * 100 ms.
        assert_eq!(from_hist[1], "66.047");
        assert_eq!(from_hist[10], "100.031");
        let mut bare = summary.clone();
        bare.histogram = String::new();
        assert!(histogram(&bare).is_none());
        // The first of several processes' histogram: not all the requests.
        let mut partial = summary.clone();
        partial.count *= 3;
        assert!(histogram(&partial).is_none());
        let own = fields(&bare, None);
        assert_eq!(own[0], from_hist[0]);
        assert_eq!(own[1], NA);
        assert_eq!(own[4], super::super::ms(summary.p90_us as f64));
    }

    #[test]
    fn merged_histograms_count_every_request() {
        let fast = sample::latency(&[1_000; 10]);
        let slow = sample::latency(&[9_000; 30]);
        let both = merged([&fast, &slow]).unwrap();
        assert_eq!(both.len(), 40);
        assert!(both.value_at_quantile(0.25) < 1_100);
        assert!(both.value_at_quantile(0.26) > 8_900);
        let mut bare = slow.clone();
        bare.histogram = String::new();
        assert!(merged([&fast, &bare]).is_none());
    }
}
