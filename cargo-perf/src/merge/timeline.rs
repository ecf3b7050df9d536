//! Per-second timelines merged: a test's processes on one machine end to
//! end, each second marked with its part so that a chart draws each over
//! its own time; shards of one test on several machines aligned on the
//! wall clock and added, their seconds' histograms summed exactly.

use std::collections::BTreeMap;

use perf_record::load::Second;

/// How many seconds a timeline covers: its last second's end.
pub(crate) fn length(seconds: &[Second]) -> u32 {
    seconds
        .iter()
        .map(|s| s.t.saturating_add(1))
        .max()
        .unwrap_or(0)
}

/// The parts' timelines one after the other, in order, each second's
/// `part` set to its part's index.
pub(crate) fn end_to_end<'a>(parts: impl IntoIterator<Item = &'a [Second]>) -> Vec<Second> {
    let mut merged = Vec::new();
    let mut offset = 0u32;
    for (index, seconds) in parts.into_iter().enumerate() {
        let part = u32::try_from(index).unwrap_or(u32::MAX);
        let len = length(seconds);
        merged.extend(seconds.iter().map(|second| Second {
            t: second.t.saturating_add(offset),
            part,
            ..second.clone()
        }));
        offset = offset.saturating_add(len);
    }
    merged
}

/// Where each part's second 0 falls on the merged timeline: the parts'
/// wall-clock starts (ms since the epoch) to the nearest second after the
/// earliest, or all at 0 where one start is unknown.
pub(crate) fn offsets(starts: &[Option<u64>]) -> Vec<u32> {
    let known: Option<Vec<u64>> = starts.iter().copied().collect();
    match known {
        Some(starts) if !starts.is_empty() => {
            let first = starts.iter().copied().min().unwrap_or(0);
            starts
                .iter()
                .map(|start| u32::try_from((start - first + 500) / 1000).unwrap_or(u32::MAX))
                .collect()
        }
        _ => vec![0; starts.len()],
    }
}

/// The parts' timelines as one, each shifted by its offset (see
/// [`offsets`]) and the seconds that fall together added: counts and
/// users summed, percentiles from the sum of the seconds' histograms
/// (where a part's second has none, from an older record, the highest of
/// the parts' percentiles, never an average).
pub(crate) fn aligned(parts: &[(u32, &[Second])]) -> Vec<Second> {
    let mut by_second: BTreeMap<u32, Vec<&Second>> = BTreeMap::new();
    for (offset, seconds) in parts {
        for second in *seconds {
            by_second
                .entry(second.t.saturating_add(*offset))
                .or_default()
                .push(second);
        }
    }
    by_second
        .into_iter()
        .map(|(t, seconds)| add_seconds(t, &seconds))
        .collect()
}

fn add_seconds(t: u32, seconds: &[&Second]) -> Second {
    let answered: Vec<&str> = seconds
        .iter()
        .filter(|s| s.requests > 0)
        .map(|s| s.histogram.as_str())
        .collect();
    let merged = if answered.iter().all(|h| !h.is_empty()) {
        crate::histogram::merge(answered)
    } else {
        None
    };
    let highest = |f: fn(&Second) -> u64| seconds.iter().map(|s| f(s)).max().unwrap_or(0);
    let (p50_us, p95_us, p99_us, histogram) = match &merged {
        Some(h) => (
            h.value_at_quantile(0.5),
            h.value_at_quantile(0.95),
            h.value_at_quantile(0.99),
            crate::histogram::encode(h).unwrap_or_default(),
        ),
        None => (
            highest(|s| s.p50_us),
            highest(|s| s.p95_us),
            highest(|s| s.p99_us),
            String::new(),
        ),
    };
    Second {
        t,
        requests: seconds.iter().map(|s| s.requests).sum(),
        errors: seconds.iter().map(|s| s.errors).sum(),
        p50_us,
        p95_us,
        p99_us,
        active: seconds.iter().map(|s| s.active).sum(),
        histogram,
        part: 0,
    }
}

#[cfg(test)]
mod tests {
    use hdrhistogram::Histogram;

    use super::*;

    fn second(t: u32, active: u64, latencies: &[u64]) -> Second {
        let mut h = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 2).unwrap();
        for &us in latencies {
            h.record(us).unwrap();
        }
        Second {
            t,
            requests: latencies.len() as u64,
            errors: 0,
            p50_us: h.value_at_quantile(0.5),
            p95_us: h.value_at_quantile(0.95),
            p99_us: h.value_at_quantile(0.99),
            active,
            histogram: crate::histogram::encode(&h).unwrap(),
            part: 0,
        }
    }

    #[test]
    fn processes_lie_end_to_end_each_marked_with_its_part() {
        let a = [second(0, 8, &[10]), second(1, 8, &[10])];
        let b = [
            second(0, 8, &[20]),
            second(1, 8, &[20]),
            second(2, 8, &[20]),
        ];
        let merged = end_to_end([&a[..], &b[..]]);
        let shape: Vec<(u32, u32, u64)> = merged.iter().map(|s| (s.t, s.part, s.active)).collect();
        assert_eq!(
            shape,
            [(0, 0, 8), (1, 0, 8), (2, 1, 8), (3, 1, 8), (4, 1, 8)]
        );
    }

    #[test]
    fn shards_add_up_second_by_second_on_the_wall_clock() {
        // Two shards started 1.2 s apart: the second's second 0 is the
        // first's second 1.
        assert_eq!(offsets(&[Some(10_000), Some(11_200)]), [0, 1]);
        assert_eq!(offsets(&[Some(10_000), None]), [0, 0]);
        let a = [second(0, 4, &[100, 200]), second(1, 4, &[300])];
        let b = [second(0, 4, &[1_000; 9])];
        let merged = aligned(&[(0, &a[..]), (1, &b[..])]);
        assert_eq!(merged.len(), 2);
        assert_eq!((merged[1].requests, merged[1].active), (10, 8));
        // p50 of {300, 1000 x 9} is 1000 (to the histogram's two
        // significant digits): the sum's, not an average of the shards'
        // p50s (about 650).
        let whole = second(
            1,
            8,
            &[
                300, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000,
            ],
        );
        assert_eq!(
            (merged[1].p50_us, merged[1].p95_us),
            (whole.p50_us, whole.p95_us)
        );
        assert!(
            (995..=1_010).contains(&merged[1].p50_us),
            "{}",
            merged[1].p50_us
        );
        assert_eq!(
            merged[0],
            Second {
                t: 0,
                ..a[0].clone()
            }
        );
    }
}
