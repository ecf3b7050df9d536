//! The machine's common change between a saved baseline and this run,
//! and each benchmark's change judged relative to it.
//!
//! Every test of one run shares the machine's state: other load, the
//! frequency, the temperature. Against a saved baseline that state moves
//! every benchmark alike, so a machine busier than at save time reads as
//! a slowdown of every test and widens every interval until a real
//! slowdown of one test is "within noise". The run's other benchmarks are
//! its controls, and so is the calibration benchmark, a fixed workload
//! timed in every benchmark process (see [`perf_record::calibration`]).
//!
//! The statistics, on the log scale. Control `j`'s change is
//! `d_j = s + e_j`: the common shift `s` and what is the control's own
//! (its measurement noise, its own drift, and how much more or less than
//! others the machine's state moves it). Test `i` is judged on
//! `d_i − ŝ_i`, where `ŝ_i` is the median of the *other* controls'
//! changes (so a real change of `i` neither moves its own reference nor
//! widens its own noise, and one or two other tests that really changed
//! move the median little). Its variance adds:
//! - the test's own: the larger of its processes' spread (the interval
//!   the two runs measured) and `τ²`, the variance of one control's
//!   change around the shift;
//! - the reference's: `τ²/m` for the mean of `m ≤ 2` controls, `π/2·τ²/m`
//!   for the median of more.
//!
//! `τ²` is the sample variance of the other controls' changes (`m − 1`
//! degrees of freedom), pooled with the baseline's history when it has
//! one: the spread of each saved run's benchmarks around that run's own
//! level, pooled over tests (see [`PooledDrift`]), which gives many more
//! degrees of freedom than one metric's few saved runs. When this run's
//! controls spread more than the history allows (an F test at 5%: the
//! machine's state moved the tests unevenly), the history is left out and
//! the interval takes the fewer degrees of freedom of its two parts; the
//! shift then counts as measured even where no test's controls give two
//! degrees of freedom, so that an uneven machine reads as noise rather
//! than falling back to judging without controls.
//!
//! The correction is made only where the machine moved: where the
//! interval of every control's median change excludes zero, or where the
//! controls spread unevenly. Otherwise the shift is reported, and each
//! test keeps its own processes' verdict: taking out a shift the controls
//! cannot tell from none would only add `τ²` (every test's own drift) to
//! every test, and lose a real slowdown of one in it.
//!
//! A test is judged this way with at least [`MIN_OTHERS`] other
//! controls, once some test's `τ²` rests on at least [`MIN_DF`] degrees
//! of freedom (the shift is measured then); otherwise the verdicts are
//! made as they were without controls. Paired
//! rounds (`--compare-ref`) are not corrected: base and candidate already
//! share each round's machine state. Only benchmarks' medians are: load
//! tests' figures depend on a server, instruction counts do not depend on
//! the machine's speed, and the error rate is a difference.

use std::collections::BTreeMap;
use std::f64::consts::FRAC_PI_2;

use perf_record::calibration::Calibration;
use perf_record::distribution::f_upper_tail;
use perf_record::metric::Metric;

use super::comparison::{CompareMode, Comparison, TestComparison};
use super::estimate::ChangeEstimate;
pub use super::machine::{CommonShift, PooledDrift};
use super::machine::{LogMean, Reference};

/// Fewest other controls a test's reference is taken from.
pub const MIN_OTHERS: usize = 2;

/// Fewest degrees of freedom of the controls' spread: one gives a t
/// quantile of 12.7, an interval too wide to judge anything.
pub const MIN_DF: f64 = 2.0;

/// The F test's level for "this run's controls spread more than the
/// history's".
const UNEVEN_ALPHA: f64 = 0.05;

/// One control: a benchmark's or the calibration's change, log.
#[derive(Debug, Clone, Copy)]
struct Control {
    /// The test's index in the comparison, or `None` for the calibration.
    test: Option<usize>,
    diff: f64,
}

/// Judges the benchmarks' medians of a comparison with a saved baseline
/// relative to the machine's common change (see the module docs), given
/// both runs' calibrations and the history's pooled drift, then judges the
/// comparison again. Leaves a comparison it cannot correct as it was.
pub fn apply(
    comparison: &mut Comparison,
    calibrations: [Option<&Calibration>; 2],
    history: Option<&PooledDrift>,
) {
    if comparison.mode != CompareMode::Baseline {
        return;
    }
    if let Some(shift) = estimate(&mut comparison.tests, calibrations, history) {
        comparison.shift = Some(shift);
        comparison.judge();
    }
}

/// The calibration's change between the runs, when both timed the same
/// workload.
fn calibration_change(calibrations: [Option<&Calibration>; 2]) -> Option<(LogMean, LogMean)> {
    let [Some(base), Some(now)] = calibrations else {
        return None;
    };
    if base.workload != now.workload {
        return None;
    }
    Some((
        LogMean::of(&base.process_medians_ns)?,
        LogMean::of(&now.process_medians_ns)?,
    ))
}

/// A benchmark median's change, log, when both sides measured it.
fn median_change(test: &TestComparison) -> Option<f64> {
    if test.metric != Metric::MEDIAN {
        return None;
    }
    let (Some(base), Some(now)) = (test.baseline_value, test.current_value) else {
        return None;
    };
    if !(base > 0.0 && now > 0.0) {
        return None;
    }
    Some(match test.estimate {
        Some(e) => (1.0 + e.change_pct / 100.0).ln(),
        None => (now / base).ln(),
    })
}

/// The variance of the median (or, for two, the mean) of `m` controls
/// whose own variance is `var`.
fn reference_var(var: f64, m: usize) -> f64 {
    let factor = if m <= 2 { 1.0 } else { FRAC_PI_2 };
    factor * var / m as f64
}

/// Satterthwaite's degrees of freedom of a sum of variances.
fn satterthwaite(parts: &[(f64, f64)]) -> f64 {
    let total: f64 = parts.iter().map(|(v, _)| v).sum();
    let denominator: f64 = parts
        .iter()
        .filter(|(v, _)| *v > 0.0)
        .map(|(v, df)| v * v / df)
        .sum();
    if denominator > 0.0 {
        total * total / denominator
    } else {
        1e6
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        f64::midpoint(values[n / 2 - 1], values[n / 2])
    }
}

/// The sample variance of `values` around their mean.
fn sample_var(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// The spread of one control's change around the shift: `others`'
/// sample variance, pooled with the history's unless they disagree.
/// Returns the variance, its df, the history's runs when pooled, and
/// whether the run's controls spread unevenly.
fn spread(others: &[f64], history: Option<&PooledDrift>) -> (f64, f64, Option<usize>, bool) {
    let (var, df) = (sample_var(others), others.len() as f64 - 1.0);
    let Some(h) = history.filter(|h| h.df >= 1 && h.sd_log > 0.0 && h.sd_log.is_finite()) else {
        return (var, df, None, false);
    };
    // Two runs' difference: twice one run's variance.
    let (h_var, h_df) = (2.0 * h.sd_log * h.sd_log, h.df as f64);
    if df >= 1.0 && f_upper_tail(var / h_var, df, h_df) < UNEVEN_ALPHA {
        return (var, df, None, true);
    }
    let pooled_df = df + h_df;
    (
        (df * var + h_df * h_var) / pooled_df,
        pooled_df,
        Some(h.runs),
        false,
    )
}

/// Re-estimates each benchmark median of `tests` relative to the shift;
/// returns the shift when it judged any.
fn estimate(
    tests: &mut [TestComparison],
    calibrations: [Option<&Calibration>; 2],
    history: Option<&PooledDrift>,
) -> Option<CommonShift> {
    let calibration = calibration_change(calibrations);
    let mut controls: Vec<Control> = tests
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            median_change(t).map(|diff| Control {
                test: Some(i),
                diff,
            })
        })
        .collect();
    let test_count = controls.len();
    if let Some((base, now)) = calibration {
        controls.push(Control {
            test: None,
            diff: now.mean - base.mean,
        });
    }
    // Each test's reference, from the controls other than itself.
    let mut candidates = Vec::new();
    for control in &controls {
        let Some(index) = control.test else { continue };
        let others: Vec<f64> = controls
            .iter()
            .filter(|c| c.test != Some(index))
            .map(|c| c.diff)
            .collect();
        if others.len() < MIN_OTHERS {
            continue;
        }
        let (spread_var, spread_df, history_runs, uneven) = spread(&others, history);
        if spread_df < 1.0 || !(spread_var > 0.0 && spread_var.is_finite()) {
            continue;
        }
        let reference = Reference {
            shift: median(&mut others.clone()),
            shift_var: reference_var(spread_var, others.len()),
            spread_var,
            spread_df,
            history_runs,
            uneven,
        };
        candidates.push((index, control.diff, reference));
    }
    // The machine's shift is measured when some test's reference rests on
    // enough degrees of freedom, or when the history shows that the
    // machine moved the tests unevenly (then that is what is measured);
    // every test that has a reference is judged against it, however wide
    // (one whose few controls disagree reads as noise, not as the
    // machine's slowdown, nor as its own).
    let any_usable = candidates.iter().any(|(.., r)| r.spread_df >= MIN_DF);
    let uneven = candidates.iter().any(|(.., r)| r.uneven);
    if !any_usable && !uneven {
        return None;
    }
    // The machine's change itself: the median of every control's, with
    // the interval of the tightest reference's spread.
    let (spread_var, df) = candidates
        .iter()
        .filter(|(.., r)| r.spread_df >= MIN_DF || !any_usable)
        .map(|(.., r)| (r.spread_var, r.spread_df))
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    let mut all: Vec<f64> = controls.iter().map(|c| c.diff).collect();
    let centre = median(&mut all);
    let half = perf_record::distribution::t_quantile(0.975, df)
        * reference_var(spread_var, controls.len()).sqrt();
    // A change of the machine that the controls cannot tell from none is
    // not taken out: judging against it would only add its uncertainty
    // (and the controls' spread, which holds every test's own drift) to
    // every test, and a real slowdown of one test would be lost in it.
    // Controls that spread more than the baseline's saved runs did are a
    // machine that moved too, unevenly: taken out, it reads as noise.
    let moved = uneven || !(centre - half <= 0.0 && 0.0 <= centre + half);
    let mut references = BTreeMap::new();
    if moved {
        for (index, diff, reference) in candidates {
            let test = &mut tests[index];
            judge(test, diff, &reference, 0.0);
            references.insert(test.id.clone(), reference);
        }
    }
    let mut test_diffs: Vec<f64> = controls
        .iter()
        .filter(|c| c.test.is_some())
        .map(|c| c.diff)
        .collect();
    let pct = |l: f64| (l.exp() - 1.0) * 100.0;
    let pooled = references.values().find_map(|r| r.history_runs);
    Some(CommonShift {
        change_pct: pct(centre),
        ci_pct: [pct(centre - half), pct(centre + half)],
        calibration_pct: calibration.map(|(b, n)| pct(n.mean - b.mean)),
        calibration_processes: calibration.map(|(b, n)| [b.n, n.n]),
        tests_median_pct: (!test_diffs.is_empty()).then(|| pct(median(&mut test_diffs))),
        tests: test_count,
        judged: references.len(),
        spread_pct: spread_var.sqrt() * 100.0,
        df,
        history_runs: pooled,
        history_df: pooled.and(history.map(|h| h.df)),
        uneven,
        references,
        calibration: calibration.map(|(_, now)| now),
    })
}

/// Replaces `test`'s estimate by its change `diff` relative to
/// `reference`, whose shift moved by `moved_var` more variance since (a
/// re-run's).
fn judge(test: &mut TestComparison, diff: f64, reference: &Reference, moved_var: f64) {
    let own = test
        .estimate
        .filter(|e| e.se_log > 0.0 && e.se_log.is_finite())
        .map(|e| (e.se_log * e.se_log, e.df.max(1.0)));
    let spread = (reference.spread_var, reference.spread_df);
    let noise = match own {
        Some(own) if own.0 > spread.0 => own,
        _ => spread,
    };
    let reference_part = (reference.shift_var + moved_var, reference.spread_df);
    let se = (noise.0 + reference_part.0).sqrt();
    // Controls that disagree beyond the history: their few degrees of
    // freedom bound the whole interval's (Satterthwaite's mix would let a
    // test's own tight processes hide how little its reference is known).
    let df = if reference.uneven {
        noise.1.min(reference.spread_df)
    } else {
        satterthwaite(&[noise, reference_part])
    };
    let n = test.estimate.map_or(1, |e| e.n);
    let mut estimate = ChangeEstimate::from_log(diff - reference.shift, se, df, n);
    estimate.history_runs = reference.history_runs;
    estimate.shift_pct = Some((reference.shift.exp() - 1.0) * 100.0);
    test.change_pct = Some(estimate.change_pct);
    test.estimate = Some(estimate);
}

/// Judges a confirming re-run's benchmark medians against the shift the
/// first pass measured, moved by how far the calibration moved between
/// the passes when both timed it (the machine's state may have changed
/// since); the move's uncertainty adds.
pub fn rerun(tests: &mut [TestComparison], shift: &CommonShift, calibration: Option<&Calibration>) {
    let moved = match (shift.calibration, calibration) {
        (Some(first), Some(again)) if again.workload == perf_record::calibration::WORKLOAD => {
            LogMean::of(&again.process_medians_ns).map(|again| {
                let var = first.var.unwrap_or(0.0) + again.var.unwrap_or(0.0);
                (again.mean - first.mean, var)
            })
        }
        _ => None,
    };
    for test in tests.iter_mut() {
        let Some(mut reference) = shift.references.get(&test.id).copied() else {
            continue;
        };
        let Some(diff) = median_change(test) else {
            continue;
        };
        let (by, var) = moved.unwrap_or((0.0, 0.0));
        reference.shift += by;
        judge(test, diff, &reference, var);
    }
}

#[cfg(test)]
mod tests;
