//! Step changes in a series of saved runs: where a metric moved, found by
//! binary segmentation with a two-sample t-test at each candidate.
//!
//! The rule, for a segment of runs (at first the whole series):
//! 1. The candidates are every split (the runs from some point on against
//!    those before) and every block in the middle (a metric that moved and
//!    came back, against the runs on both sides), each part at least
//!    [`MIN_SEGMENT`] runs long, a block at least [`MIN_BLOCK`]. Each is tested with a pooled two-sample t
//!    statistic: the difference of the two groups' means over the
//!    run-to-run noise σ, where σ² is the pooled variance of the runs
//!    around their own group's mean (n − 2 degrees of freedom), but never
//!    less than the mean squared standard error of the runs' own intervals
//!    (a run's median cannot be known better than its interval says).
//! 2. In each family (splits, blocks) the candidate with the largest |t| is
//!    taken, and its two-sided p-value multiplied by the number of
//!    candidates of its family and by the number of families tried
//!    (Bonferroni: the largest of m statistics is tested). The better of
//!    the two is a step (a block: two steps) when that p-value is at most
//!    [`Detector::alpha`] and the move is large enough to matter: at least
//!    [`Detector::min_effect`] σ and [`Detector::min_change`].
//! 3. The steps cut the segment into parts; each is searched again.
//!
//! On a flat series no candidate passes step 2 with probability at least
//! 1 − alpha whatever the number of runs (the Bonferroni bound), and the
//! later searches only happen after a first step: the false-alarm rate of
//! a whole series is at most alpha. A block is searched for because a
//! split alone misses a regression that was later fixed: against a single
//! split the runs on the far side mix two levels and hide both steps.
//!
//! Why not a rank test such as Mann–Whitney: with three runs before a step
//! and two after, its smallest two-sided p-value is 2/10 = 0.2, so it could
//! never flag a step in a short history; the t-test uses the size of the
//! difference, and each run's own interval, which a history of a few runs
//! needs.

use perf_record::distribution::student_t_cdf;

/// Fewest runs on each side of a step: a single outlying run is not a
/// step.
pub const MIN_SEGMENT: usize = 2;

/// Fewest runs of a block that moved and came back: two runs hit by the
/// same burst of other work are not a change.
pub const MIN_BLOCK: usize = 3;

/// How sure and how large a step must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detector {
    /// False-alarm rate of a whole series with no step.
    pub alpha: f64,
    /// Smallest step, in units of the run-to-run noise σ.
    pub min_effect: f64,
    /// Smallest step on the analysed scale (log for ratios: ln 1.02 is
    /// 2%; percentage points for the error rate).
    pub min_change: f64,
}

impl Detector {
    /// The detector `cargo perf history` uses for a metric compared as a
    /// ratio (times, latencies, throughput), on the log scale: 1% false
    /// alarms per series, steps of at least 2σ and 2%.
    pub const RATIO: Self = Self {
        alpha: 0.01,
        min_effect: 2.0,
        min_change: 0.019_802_627, // ln(1.02)
    };
    /// For a metric compared as a difference (the error rate, in
    /// percentage points): steps of at least 2σ and half a point.
    pub const DIFFERENCE: Self = Self {
        alpha: 0.01,
        min_effect: 2.0,
        min_change: 0.5,
    };
}

/// A step found in a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    /// The index of the first run after the step.
    pub at: usize,
    /// Mean after minus mean before, on the analysed scale.
    pub delta: f64,
    /// The run-to-run noise σ of the segment it was found in.
    pub sigma: f64,
    /// The Bonferroni-corrected two-sided p-value.
    pub p_value: f64,
}

/// The steps in `values` (on the analysed scale, oldest first), given
/// each run's own standard error `se` (0 where a run has no interval),
/// sorted by position.
pub fn detect(values: &[f64], se: &[f64], detector: &Detector) -> Vec<Split> {
    let mut found = Vec::new();
    let mut segments = vec![(0, values.len())];
    while let Some((start, end)) = segments.pop() {
        let Some(best) = best_partition(values, se, start, end) else {
            continue;
        };
        let large = best.delta.abs() >= detector.min_change
            && best.delta.abs() >= detector.min_effect * best.sigma;
        if best.p_value > detector.alpha || !large {
            continue;
        }
        // The block's edges are the steps: one for a split, two for a
        // block that moved and came back.
        let inside = mean(&values[best.from..best.to]);
        let mut step = |at: usize, delta: f64| {
            found.push(Split {
                at,
                delta,
                sigma: best.sigma,
                p_value: best.p_value,
            });
        };
        step(best.from, inside - mean(&values[start..best.from]));
        if best.to < end {
            step(best.to, mean(&values[best.to..end]) - inside);
            segments.push((best.to, end));
            segments.push((best.from, best.to));
        } else {
            segments.push((best.from, end));
        }
        segments.push((start, best.from));
    }
    found.sort_by_key(|s| s.at);
    found
}

/// The runs `[from, to)` of a segment against the rest of it.
#[derive(Debug, Clone, Copy)]
struct Partition {
    from: usize,
    to: usize,
    delta: f64,
    sigma: f64,
    p_value: f64,
}

/// The most significant partition of `values[start..end]`: a split (the
/// runs from some point on against those before) or a block in the middle
/// that moved and came back (against the runs on both sides of it), each
/// family with Bonferroni's correction for its candidates and the two
/// families tested.
fn best_partition(values: &[f64], se: &[f64], start: usize, end: usize) -> Option<Partition> {
    let n = end.checked_sub(start)?;
    if n < 2 * MIN_SEGMENT || n < 3 {
        return None;
    }
    let splits: Vec<(usize, usize)> = (start + MIN_SEGMENT..=end - MIN_SEGMENT)
        .map(|at| (at, end))
        .collect();
    let blocks: Vec<(usize, usize)> = (start + MIN_SEGMENT..end)
        .flat_map(|from| (from + MIN_BLOCK..=end - MIN_SEGMENT).map(move |to| (from, to)))
        .collect();
    let families = if blocks.is_empty() { 1.0 } else { 2.0 };
    let split = best_of(values, se, start, end, &splits, families);
    let block = best_of(values, se, start, end, &blocks, families);
    // Each family's corrected p-value is below alpha with probability at
    // most alpha / families on a flat series: the smaller of the two too,
    // at most alpha.
    match (split, block) {
        (Some(s), Some(b)) => Some(if b.p_value < s.p_value { b } else { s }),
        (s, b) => s.or(b),
    }
}

/// Of the `candidates` (blocks `[from, to)` of `values[start..end]`), the
/// one with the largest |t|, its p-value corrected for the candidates and
/// the `families` tested.
fn best_of(
    values: &[f64],
    se: &[f64],
    start: usize,
    end: usize,
    candidates: &[(usize, usize)],
    families: f64,
) -> Option<Partition> {
    let n = end - start;
    let df = (n - 2) as f64;
    let floor = se[start..end].iter().map(|s| s * s).sum::<f64>() / n as f64;
    let mut best: Option<(f64, Partition)> = None;
    for &(from, to) in candidates {
        let inside = &values[from..to];
        let outside: Vec<f64> = values[start..from]
            .iter()
            .chain(&values[to..end])
            .copied()
            .collect();
        let (mean_in, mean_out) = (mean(inside), mean(&outside));
        let squares = sum_sq(inside, mean_in) + sum_sq(&outside, mean_out);
        let sigma = (squares / df).max(floor).sqrt();
        let delta = mean_in - mean_out;
        let scale = sigma * (1.0 / inside.len() as f64 + 1.0 / outside.len() as f64).sqrt();
        let t = if scale > 0.0 {
            delta.abs() / scale
        } else if delta == 0.0 {
            0.0
        } else {
            f64::INFINITY
        };
        if best.as_ref().is_none_or(|(best_t, _)| t > *best_t) {
            let p = 2.0 * (1.0 - student_t_cdf(t, df));
            let corrected = p * candidates.len() as f64 * families;
            best = Some((
                t,
                Partition {
                    from,
                    to,
                    delta,
                    sigma,
                    p_value: corrected.min(1.0),
                },
            ));
        }
    }
    best.map(|(_, partition)| partition)
}

/// The run-to-run noise of a series with the given steps: the standard
/// deviation of the runs around their own segment's mean (the segments
/// between steps), and its degrees of freedom (runs − segments). `None`
/// with fewer than one degree of freedom.
pub fn spread(values: &[f64], steps: &[Split]) -> Option<(f64, usize)> {
    let mut bounds: Vec<usize> = steps.iter().map(|s| s.at).collect();
    bounds.insert(0, 0);
    bounds.push(values.len());
    let squares: f64 = bounds
        .windows(2)
        .map(|w| {
            let part = &values[w[0]..w[1]];
            sum_sq(part, mean(part))
        })
        .sum();
    let df = values.len().checked_sub(bounds.len() - 1)?;
    (df >= 1).then(|| ((squares / df as f64).sqrt(), df))
}

/// Beyond this many robust standard deviations from its segment's median
/// a run is an outlier (Iglewicz and Hoaglin's modified z-score cut-off).
const OUTLIER_Z: f64 = 3.5;

/// [`spread`], robust to a stray run: a run further than [`OUTLIER_Z`]
/// robust standard deviations (1.4826 x the median absolute deviation from
/// its segment's median) from its segment is left out first, so that one
/// bad run, which can be no step, does not widen every later comparison.
/// Leaving runs out can only narrow the spread, and a comparison keeps the
/// wider of this and its own interval, so its own stays the floor.
pub fn robust_spread(values: &[f64], steps: &[Split]) -> Option<(f64, usize)> {
    let mut bounds: Vec<usize> = steps.iter().map(|s| s.at).collect();
    bounds.insert(0, 0);
    bounds.push(values.len());
    let segments: Vec<&[f64]> = bounds.windows(2).map(|w| &values[w[0]..w[1]]).collect();
    let centres: Vec<f64> = segments.iter().map(|part| median(part)).collect();
    let deviations: Vec<f64> = segments
        .iter()
        .zip(&centres)
        .flat_map(|(part, centre)| part.iter().map(move |v| (v - centre).abs()))
        .collect();
    let scale = 1.4826 * median(&deviations);
    if scale.is_nan() || scale <= 0.0 {
        return spread(values, steps);
    }
    let (mut squares, mut kept, mut parts) = (0.0, 0, 0);
    for (part, centre) in segments.iter().zip(&centres) {
        let inliers: Vec<f64> = part
            .iter()
            .copied()
            .filter(|v| (v - centre).abs() <= OUTLIER_Z * scale)
            .collect();
        if !inliers.is_empty() {
            squares += sum_sq(&inliers, mean(&inliers));
            kept += inliers.len();
            parts += 1;
        }
    }
    let df = kept.checked_sub(parts)?;
    (df >= 1).then(|| ((squares / df as f64).sqrt(), df))
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn sum_sq(values: &[f64], mean: f64) -> f64 {
    values.iter().map(|v| (v - mean).powi(2)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A standard normal draw (Box–Muller) from a seeded generator.
    fn normal(rng: &mut fastrand::Rng) -> f64 {
        let u1 = rng.f64().max(1e-300);
        let u2 = rng.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A series of `n` runs of a metric with log-noise `sigma` and the
    /// given `(at, factor)` steps, and each run's own standard error (a
    /// third of the run-to-run noise: within-run sampling error is the
    /// smaller part of it).
    fn series(
        rng: &mut fastrand::Rng,
        n: usize,
        sigma: f64,
        steps: &[(usize, f64)],
    ) -> (Vec<f64>, Vec<f64>) {
        let values = (0..n)
            .map(|i| {
                let level: f64 = steps
                    .iter()
                    .filter(|(at, _)| i >= *at)
                    .map(|(_, f)| f64::ln(*f))
                    .sum();
                1000f64.ln() + level + sigma * normal(rng)
            })
            .collect();
        (values, vec![sigma / 3.0; n])
    }

    #[test]
    fn a_flat_noisy_series_has_no_step() {
        let mut rng = fastrand::Rng::with_seed(13);
        let (mut alarms, mut trials) = (0, 0);
        for n in [4, 5, 6, 8, 12, 20, 40, 100] {
            for _ in 0..250 {
                let (values, se) = series(&mut rng, n, 0.05, &[]);
                alarms += usize::from(!detect(&values, &se, &Detector::RATIO).is_empty());
                trials += 1;
            }
        }
        // At most alpha (1%) in expectation; the bound is conservative.
        assert!(
            alarms * 100 <= trials,
            "{alarms} false alarms in {trials} flat series"
        );
        // Heavy tails: every tenth run hit by other work (+30%).
        let mut alarms = 0;
        for _ in 0..500 {
            let (mut values, se) = series(&mut rng, 20, 0.03, &[]);
            for v in &mut values {
                if rng.f64() < 0.1 {
                    *v += 1.3f64.ln();
                }
            }
            alarms += usize::from(!detect(&values, &se, &Detector::RATIO).is_empty());
        }
        assert!(
            alarms <= 25,
            "{alarms} false alarms in 500 series with outliers"
        );
    }

    #[test]
    fn a_planted_step_is_found_where_it_is() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut missed = 0;
        for _ in 0..200 {
            // Five runs, the last two twice as slow: the e2e test's case.
            let (values, se) = series(&mut rng, 5, 0.05, &[(3, 2.0)]);
            match detect(&values, &se, &Detector::RATIO).as_slice() {
                [] => missed += 1,
                [step] => {
                    assert_eq!(step.at, 3, "{values:?}");
                    assert!((step.delta - 2f64.ln()).abs() < 0.2, "{step:?}");
                }
                more => panic!("one step planted, found {more:?} in {values:?}"),
            }
        }
        assert!(missed <= 10, "missed {missed} of 200 doubled runs");
        // A 20% step in 30 runs with 2% noise: found, at its run.
        // The parts on each side are searched again, each with alpha: an
        // extra step is a rare false alarm, the planted one always found.
        let mut extra = 0;
        for _ in 0..50 {
            let (values, se) = series(&mut rng, 30, 0.02, &[(17, 1.2)]);
            let at: Vec<usize> = detect(&values, &se, &Detector::RATIO)
                .iter()
                .map(|s| s.at)
                .collect();
            assert!(at.contains(&17), "{at:?} in {values:?}");
            extra += at.len() - 1;
        }
        assert!(extra <= 2, "{extra} false steps beside 50 planted ones");
    }

    #[test]
    fn several_steps_are_found_by_segmentation() {
        let mut rng = fastrand::Rng::with_seed(99);
        for _ in 0..50 {
            let (values, se) = series(&mut rng, 24, 0.02, &[(8, 1.3), (16, 0.8)]);
            let at: Vec<usize> = detect(&values, &se, &Detector::RATIO)
                .iter()
                .map(|s| s.at)
                .collect();
            assert_eq!(at, [8, 16], "{values:?}");
        }
    }

    #[test]
    fn runs_own_intervals_and_the_minimum_size_hold_back_small_steps() {
        // Identical runs but wide intervals: a 5% move is inside them.
        let values = [0.0, 0.0, 0.0, 0.05, 0.05, 0.05].map(|v: f64| v + 7.0);
        assert!(detect(&values, &[0.05; 6], &Detector::RATIO).is_empty());
        // The same runs with tight intervals: a step at the fourth run.
        let steps = detect(&values, &[0.001; 6], &Detector::RATIO);
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].at, 3);
        // A real but tiny move (1%) is below the 2% minimum.
        let tiny = [0.0, 0.0, 0.0, 0.01, 0.01, 0.01];
        assert!(detect(&tiny, &[0.0001; 6], &Detector::RATIO).is_empty());
        // Too short to split, or no noise at all.
        assert!(detect(&[1.0, 2.0, 3.0], &[0.0; 3], &Detector::RATIO).is_empty());
        assert!(detect(&[1.0; 8], &[0.0; 8], &Detector::RATIO).is_empty());
    }

    #[test]
    fn the_spread_leaves_the_steps_out() {
        let values = [1.0, 1.2, 1.0, 1.2, 5.0, 5.2, 5.0, 5.2];
        let step = Split {
            at: 4,
            delta: 4.0,
            sigma: 0.1,
            p_value: 0.0,
        };
        let (sd, df) = spread(&values, &[step]).unwrap();
        assert_eq!(df, 6);
        assert!((sd - (0.08f64 / 6.0).sqrt()).abs() < 1e-9, "{sd}");
        let (whole, _) = spread(&values, &[]).unwrap();
        assert!(whole > 1.5, "{whole}");
        assert!(spread(&[1.0], &[]).is_none());
    }

    #[test]
    fn one_stray_run_does_not_widen_the_spread() {
        // Ten runs at 1% noise and one 30% off: the plain spread is
        // several times the noise, the robust one about the noise.
        let mut values: Vec<f64> = [1.0, 0.99, 1.01, 1.0, 1.02, 0.98, 1.0, 1.01, 0.99, 1.0]
            .iter()
            .map(|v: &f64| v.ln())
            .collect();
        values.insert(6, 1.3f64.ln());
        let (plain, _) = spread(&values, &[]).unwrap();
        let (robust, df) = robust_spread(&values, &[]).unwrap();
        assert!(plain > 0.07, "{plain}");
        assert!(robust < 0.015, "{robust}");
        assert_eq!(df, 9);
        // Without an outlier the two agree.
        values.remove(6);
        assert_eq!(robust_spread(&values, &[]), spread(&values, &[]));
        // Identical runs have no deviation to judge by.
        assert_eq!(robust_spread(&[1.0; 4], &[]), Some((0.0, 3)));
    }
}
