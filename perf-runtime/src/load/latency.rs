//! Latency in HDR histograms: their bounds, the summary a result carries
//! (percentiles and the serialized histogram), and merging summaries
//! exactly through their histograms.

use std::time::Duration;

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

/// Percentiles and the serialized histogram.
pub(crate) fn summarize(hist: &Histogram<u64>) -> LatencySummary {
    if hist.is_empty() {
        return LatencySummary::default();
    }
    let mut bytes = Vec::new();
    let serialized = V2DeflateSerializer::new()
        .serialize(hist, &mut bytes)
        .is_ok();
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
        histogram: if serialized {
            base64_encode(&bytes)
        } else {
            String::new()
        },
    }
}

/// Merges latency summaries through their serialized histograms: the
/// percentiles of the union, not an average of percentiles. A summary
/// without its histogram is skipped.
pub(crate) fn merge_summaries<'a>(
    summaries: impl IntoIterator<Item = &'a LatencySummary>,
) -> LatencySummary {
    let mut total = histogram(3);
    for summary in summaries {
        let Some(bytes) = base64_decode(&summary.histogram) else {
            continue;
        };
        let decoded: Result<Histogram<u64>, _> =
            hdrhistogram::serialization::Deserializer::new().deserialize(&mut bytes.as_slice());
        if let Ok(hist) = decoded {
            // Both span 1 µs to an hour, so adding cannot overflow.
            let _ = total.add(&hist);
        }
    }
    summarize(&total)
}

/// Decodes standard base64 (RFC 4648, padded); `None` for anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pad;
        let [_, a, b, c] = n.to_be_bytes();
        out.extend_from_slice(&[a, b, c][..3 - pad]);
    }
    Some(out)
}

/// Standard base64 (RFC 4648, padded).
fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let encoded = base64_encode(text.as_bytes());
            if text.is_empty() {
                assert_eq!(base64_decode(&encoded), None);
            } else {
                assert_eq!(base64_decode(&encoded).unwrap(), text.as_bytes());
            }
        }
        assert_eq!(base64_decode("Zm9v!A=="), None);
    }

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
    fn base64_matches_rfc4648() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
    }
}
