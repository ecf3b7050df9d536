//! A latency distribution as HdrHistogram's plotter draws it: each
//! percentile's latency against `1 / (1 - q)` on a log axis, so that the
//! tail (99%, 99.9%, 99.99%) gets as much room as the median.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hdrhistogram::Histogram;
use perf_record::load::LatencySummary;

/// Points per halving of the distance to 100% (HdrHistogram's own
/// percentile output uses 5).
const TICKS_PER_HALF_DISTANCE: u32 = 5;

/// The highest `1 / (1 - q)` drawn: the 99.9999th percentile.
pub(super) const MAX_INVERSE: f64 = 1e6;

/// `(1 / (1 - q), latency µs)` for the percentiles of `summary`'s
/// histogram, from the median's left to its maximum; empty when the
/// summary has no readable histogram (a record from before they were
/// kept, or none recorded).
pub(super) fn percentile_curve(summary: &LatencySummary) -> Vec<(f64, f64)> {
    let Some(hist) = decode(summary) else {
        return Vec::new();
    };
    if hist.is_empty() {
        return Vec::new();
    }
    let mut points: Vec<(f64, f64)> = Vec::new();
    for step in hist.iter_quantiles(TICKS_PER_HALF_DISTANCE) {
        let q = step.quantile_iterated_to();
        // The maximum (q = 1) sits where one request in all of them is:
        // the plotter's last point, at 1 / (1 - q) = the count.
        let x = if q >= 1.0 {
            hist.len() as f64
        } else {
            1.0 / (1.0 - q)
        }
        .min(MAX_INVERSE);
        let y = hist.highest_equivalent(step.value_iterated_to()) as f64;
        if points.last().is_some_and(|&(px, _)| px >= x) {
            // The last step (q = 1) and steps past the cap share an x:
            // keep the highest latency there.
            if let Some(last) = points.last_mut() {
                last.1 = last.1.max(y);
            }
        } else {
            points.push((x, y));
        }
    }
    points
}

/// The histogram a summary carries.
fn decode(summary: &LatencySummary) -> Option<Histogram<u64>> {
    if summary.histogram.is_empty() {
        return None;
    }
    let bytes = STANDARD.decode(&summary.histogram).ok()?;
    hdrhistogram::serialization::Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .ok()
}

/// The labels of a percentile axis: 0%, 90%, 99%, ... at 1, 10, 100, ...
pub(super) fn percentile_ticks(max_inverse: f64) -> Vec<(f64, String)> {
    let mut ticks = vec![(1.0, "0%".to_owned())];
    let mut nines = 1;
    let mut x = 10.0;
    while x <= max_inverse * 1.0001 {
        let label = match nines {
            1 => "90%".to_owned(),
            2 => "99%".to_owned(),
            n => format!("99.{}%", "9".repeat(n - 2)),
        };
        ticks.push((x, label));
        nines += 1;
        x *= 10.0;
    }
    ticks
}

#[cfg(test)]
pub(super) mod tests {
    use hdrhistogram::serialization::{Serializer as _, V2DeflateSerializer};

    use super::*;

    /// A summary whose histogram holds `latencies_us`.
    pub(crate) fn summary_of(latencies_us: &[u64]) -> LatencySummary {
        let mut hist = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3).unwrap();
        for &us in latencies_us {
            hist.record(us).unwrap();
        }
        let mut bytes = Vec::new();
        V2DeflateSerializer::new()
            .serialize(&hist, &mut bytes)
            .unwrap();
        LatencySummary {
            count: hist.len(),
            p50_us: hist.value_at_quantile(0.5),
            p95_us: hist.value_at_quantile(0.95),
            p99_us: hist.value_at_quantile(0.99),
            max_us: hist.max(),
            histogram: STANDARD.encode(&bytes),
            ..LatencySummary::default()
        }
    }

    #[test]
    fn the_curve_rises_from_the_median_to_the_tail() {
        let mut latencies = vec![100; 990];
        latencies.extend([10_000; 10]);
        let curve = percentile_curve(&summary_of(&latencies));
        assert!(curve.len() > 10, "{curve:?}");
        assert_eq!(curve[0], (1.0, 100.0));
        assert!(
            curve
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1),
            "{curve:?}"
        );
        let last = curve.last().unwrap();
        assert!((10_000.0..10_010.0).contains(&last.1), "{curve:?}");
        // Up to the 99th percentile, x = 100, the latency is the median's.
        assert!(
            curve.iter().filter(|p| p.0 < 99.0).all(|p| p.1 < 101.0),
            "{curve:?}"
        );
    }

    #[test]
    fn no_histogram_draws_nothing() {
        assert!(percentile_curve(&LatencySummary::default()).is_empty());
        let garbage = LatencySummary {
            histogram: "not base64!".into(),
            ..LatencySummary::default()
        };
        assert!(percentile_curve(&garbage).is_empty());
    }

    #[test]
    fn the_axis_reads_in_nines() {
        let labels: Vec<String> = percentile_ticks(1e4).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["0%", "90%", "99%", "99.9%", "99.99%"]);
    }
}
