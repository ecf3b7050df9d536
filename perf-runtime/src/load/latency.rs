//! Latency in HDR histograms: their bounds, the summary a result carries
//! (percentiles and the serialized histogram), and merging summaries
//! exactly through their histograms.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Serializer as _, V2DeflateSerializer};
use perf_record::load::LatencySummary;

/// Latencies are recorded in microseconds, from 1 µs to an hour.
const MAX_US: u64 = 3_600_000_000;

/// An empty histogram over the recorded range.
pub(crate) fn histogram(sigfig: u8) -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_US, sigfig)
        .expect("1 µs to 1 h with 2 or 3 significant figures are valid bounds")
}

/// A duration in whole microseconds, clamped to the recorded range.
pub(crate) fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros())
        .unwrap_or(MAX_US)
        .clamp(1, MAX_US)
}

/// The histogram serialized (V2 + deflate, base64); empty when it holds
/// nothing or cannot be serialized.
pub(crate) fn encode(hist: &Histogram<u64>) -> String {
    let mut bytes = Vec::new();
    if hist.is_empty()
        || V2DeflateSerializer::new()
            .serialize(hist, &mut bytes)
            .is_err()
    {
        return String::new();
    }
    STANDARD.encode(&bytes)
}

/// Percentiles and the serialized histogram.
pub(crate) fn summarize(hist: &Histogram<u64>) -> LatencySummary {
    if hist.is_empty() {
        return LatencySummary::default();
    }
    LatencySummary {
        count: hist.len(),
        min_us: hist.min(),
        mean_us: hist.mean(),
        p50_us: hist.value_at_quantile(0.5),
        p90_us: hist.value_at_quantile(0.9),
        p95_us: hist.value_at_quantile(0.95),
        p99_us: hist.value_at_quantile(0.99),
        p999_us: hist.value_at_quantile(0.999),
        max_us: hist.max(),
        histogram: encode(hist),
    }
}

/// The histogram a summary carries; `None` when it has none readable.
fn decode(summary: &LatencySummary) -> Option<Histogram<u64>> {
    let bytes = STANDARD.decode(&summary.histogram).ok()?;
    hdrhistogram::serialization::Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .ok()
}

/// Merges latency summaries through their serialized histograms: the
/// percentiles of the union, not an average of percentiles. A summary
/// without its histogram is skipped.
pub(crate) fn merge_summaries<'a>(
    summaries: impl IntoIterator<Item = &'a LatencySummary>,
) -> LatencySummary {
    let mut total = histogram(3);
    for hist in summaries.into_iter().filter_map(decode) {
        // Both span 1 µs to an hour, so adding cannot overflow.
        let _ = total.add(&hist);
    }
    summarize(&total)
}

/// Every latency of a summary as its histogram's buckets, `(lowest µs,
/// highest µs, requests)`: each bucket's requests lie between the two
/// (a recorded value of 13 is a latency from 13 to 14 µs, whole µs being
/// truncated), the whole distribution, for statistics over all of it
/// (`perf_record::ratio`). Empty without a readable histogram.
pub(crate) fn buckets(summary: &LatencySummary) -> Vec<(f64, f64, u64)> {
    decode(summary).map_or_else(Vec::new, |hist| {
        hist.iter_recorded()
            .map(|bucket| {
                let value = bucket.value_iterated_to();
                (
                    hist.lowest_equivalent(value) as f64,
                    hist.next_non_equivalent(value) as f64,
                    bucket.count_at_value(),
                )
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_summaries_are_the_union_of_the_histograms() {
        let mut fast = histogram(3);
        let mut slow = histogram(3);
        for _ in 0..90 {
            fast.record(100).unwrap();
        }
        for _ in 0..10 {
            slow.record(10_000).unwrap();
        }
        let merged = merge_summaries([&summarize(&fast), &summarize(&slow)]);
        assert_eq!(merged.count, 100);
        assert_eq!(merged.p50_us, 100);
        assert!((9_990..=10_010).contains(&merged.p95_us), "{merged:?}");
    }

    #[test]
    fn a_summary_carries_its_histogram_as_padded_standard_base64() {
        let mut hist = histogram(3);
        for us in [120, 250, 4_000] {
            hist.record(us).unwrap();
        }
        let summary = summarize(&hist);
        // The format baselines already hold (RFC 4648, standard alphabet,
        // padded): a URL-safe or unpadded engine would make them unreadable.
        let text = &summary.histogram;
        assert!(!text.is_empty() && text.len().is_multiple_of(4), "{text}");
        assert!(
            text.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c)),
            "{text}"
        );
        let bytes = STANDARD.decode(text).unwrap();
        let back: Histogram<u64> = hdrhistogram::serialization::Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .unwrap();
        assert_eq!(back, hist);
    }

    #[test]
    fn buckets_hold_every_request_of_the_histogram() {
        let mut hist = histogram(3);
        for us in [120, 120, 250, 4_000] {
            hist.record(us).unwrap();
        }
        let buckets = buckets(&summarize(&hist));
        assert_eq!(buckets.iter().map(|(_, _, n)| n).sum::<u64>(), 4);
        assert_eq!(buckets.len(), 3, "{buckets:?}");
        // Below 2048 µs a bucket is one whole µs: 120 is 120 to 121 µs.
        assert_eq!(buckets[..2], [(120.0, 121.0, 2), (250.0, 251.0, 1)]);
        // Above, three significant figures: a few µs wide, round 4000.
        let (low, high, _) = buckets[2];
        assert!(
            low <= 4_000.0 && 4_000.0 < high && high - low <= 4.0,
            "{buckets:?}"
        );
        assert!(super::buckets(&LatencySummary::default()).is_empty());
    }

    #[test]
    fn summaries_without_a_readable_histogram_are_skipped() {
        let mut hist = histogram(3);
        hist.record(100).unwrap();
        let good = summarize(&hist);
        let broken = |histogram: &str| LatencySummary {
            count: 7,
            histogram: histogram.to_owned(),
            ..good.clone()
        };
        // Empty, not base64, and base64 of something that is no histogram.
        let bad = [broken(""), broken("Zm9v!A=="), broken("Zm9vYmFy")];
        let merged = merge_summaries(std::iter::once(&good).chain(&bad));
        assert_eq!(merged.count, 1);
        assert_eq!(merged.p50_us, 100);
    }
}
