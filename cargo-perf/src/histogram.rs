//! The HDR histograms a load test's latency summaries carry (V2 + deflate,
//! base64, as the runtime writes them): read back, merged, written again.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer as _, V2DeflateSerializer};

/// The histogram serialized in `text`; `None` when there is none readable.
pub(crate) fn decode(text: &str) -> Option<Histogram<u64>> {
    if text.is_empty() {
        return None;
    }
    let bytes = STANDARD.decode(text).ok()?;
    Deserializer::new().deserialize(&mut bytes.as_slice()).ok()
}

/// `histogram` serialized as the runtime does.
pub(crate) fn encode(histogram: &Histogram<u64>) -> Option<String> {
    let mut bytes = Vec::new();
    V2DeflateSerializer::new()
        .serialize(histogram, &mut bytes)
        .ok()?;
    Some(STANDARD.encode(&bytes))
}

/// Several serialized histograms added into one: the exact distribution
/// of all their values. `None` when one of them is missing or unreadable
/// (an empty string stands for an empty histogram only where it counted
/// nothing, which the caller knows: pass only histograms that counted).
pub(crate) fn merge<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Histogram<u64>> {
    let mut total: Option<Histogram<u64>> = None;
    for text in texts {
        let histogram = decode(text)?;
        match &mut total {
            None => total = Some(histogram),
            Some(total) => total.add(&histogram).ok()?,
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_round_trip_and_merge_exactly() {
        let mut a = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
        let mut b = a.clone();
        for us in 1..=100 {
            a.record(us).unwrap();
            b.record(us * 1000).unwrap();
        }
        let (ta, tb) = (encode(&a).unwrap(), encode(&b).unwrap());
        assert_eq!(decode(&ta).unwrap(), a);
        let both = merge([ta.as_str(), tb.as_str()]).unwrap();
        assert_eq!(both.len(), 200);
        assert_eq!(both.value_at_quantile(0.5), 100);
        assert!(merge([ta.as_str(), "not base64!"]).is_none());
        assert!(decode("").is_none());
    }
}
