//! A timeline in parts: a test measured in several processes lays their
//! seconds end to end, and each chart draws each part over its own time,
//! with the boundaries marked, rather than a line across the gap (a ramp
//! to zero users the workload never had).

use perf_record::load::{LoadStats, Second};

use super::svg::{Chart, GREY};

/// One part of a timeline.
pub(super) struct Part<'a> {
    /// Its seconds.
    pub(super) seconds: &'a [Second],
    /// Where it begins on the timeline, seconds.
    pub(super) start: f64,
    /// How long it ran, where known: its last second may be cut short.
    pub(super) ran_s: Option<f64>,
}

/// The parts of `load`'s timeline, in order.
pub(super) fn parts(load: &LoadStats) -> Vec<Part<'_>> {
    let chunks: Vec<&[Second]> = load.timeline.chunk_by(|a, b| a.part == b.part).collect();
    let single = chunks.len() == 1;
    chunks
        .into_iter()
        .map(|seconds| {
            let part = seconds.first().map_or(0, |s| s.part);
            let ran_s = if single {
                Some(load.duration_s)
            } else {
                usize::try_from(part)
                    .ok()
                    .and_then(|p| load.processes.get(p))
                    .map(|p| p.duration_s)
            };
            Part {
                seconds,
                start: seconds.first().map_or(0.0, |s| f64::from(s.t)),
                ran_s: ran_s.filter(|d| *d > 0.0),
            }
        })
        .collect()
}

impl Part<'_> {
    /// How much of the second at `t` ran: all of it but the last, which
    /// the end of the part cuts short.
    pub(super) fn ran(&self, t: u32) -> f64 {
        self.ran_s
            .map_or(1.0, |d| (d - (f64::from(t) - self.start)).min(1.0))
    }
}

/// Marks where each part after the first begins.
pub(super) fn mark(chart: &mut Chart, parts: &[f64]) {
    for (index, start) in parts.iter().enumerate().skip(1) {
        chart.vline(*start, &format!("run {}", index + 1), GREY);
    }
}

/// `points` cut where each part begins (`starts`, ascending), so that no
/// line joins one part to the next.
pub(super) fn cut(points: &[(f64, f64)], starts: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new(); starts.len().max(1)];
    for &point in points {
        let index = starts.iter().rposition(|s| point.0 >= *s).unwrap_or(0);
        pieces[index].push(point);
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

#[cfg(test)]
mod tests {
    use perf_record::load::ProcessFigures;

    use super::*;

    #[test]
    fn processes_are_parts_each_with_its_own_end() {
        let second = |t, part| Second {
            t,
            part,
            ..Second::default()
        };
        let load = LoadStats {
            timeline: vec![second(0, 0), second(1, 0), second(2, 1), second(3, 1)],
            processes: vec![
                ProcessFigures {
                    duration_s: 1.5,
                    ..ProcessFigures::default()
                },
                ProcessFigures {
                    duration_s: 2.0,
                    ..ProcessFigures::default()
                },
            ],
            duration_s: 3.5,
            ..LoadStats::default()
        };
        let parts = parts(&load);
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].start, parts[1].start), (0.0, 2.0));
        assert_eq!((parts[0].ran(0), parts[0].ran(1)), (1.0, 0.5));
        assert_eq!((parts[1].ran(2), parts[1].ran(3)), (1.0, 1.0));
        assert_eq!(
            cut(&[(0.5, 1.0), (1.9, 2.0), (2.0, 3.0)], &[0.0, 2.0]),
            [vec![(0.5, 1.0), (1.9, 2.0)], vec![(2.0, 3.0)]]
        );
    }
}
