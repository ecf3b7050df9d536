//! A baseline's history as the noise between runs: when `--compare NAME`
//! finds at least [`MIN_RUNS`] saved runs of NAME, the spread of each
//! metric across them widens the comparison's interval.
//!
//! The statistics. Let `l` be the log of a metric in one run. Across saved
//! runs of unchanged code, `l` varies with everything that differs between
//! runs: the processes' memory layout and hash seeds, the machine's state
//! (other load, frequency, temperature), and the run's own sampling error.
//! The standard deviation `s` of the runs around their mean, pooled over
//! the history's segments between step changes (so that a past change is
//! not taken for noise), with `df` = runs − segments degrees of freedom,
//! estimates the standard deviation of one run's `l`. The baseline and the
//! candidate are two such runs, independent, so under "no change" the
//! difference of their logs has a standard error of √2·s, and
//! `diff / (√2·s)` follows Student's t with `df` degrees of freedom.
//!
//! That interval replaces the one from the two runs' process medians when
//! it is wider: the processes of one run share its machine state, so their
//! spread can only understate the drift between runs. Where the runs give
//! no interval (one process a side, or a load test's single figures), it is
//! the only interval there is, and the metric is gated instead of merely
//! shown. The centre, the change measured, stays as it was. Instruction
//! counts (near-deterministic, held to the plain threshold) and the error
//! rate (a difference with a fixed limit) are left alone.

use std::collections::BTreeMap;

use perf_record::TestId;
use perf_record::metric::Metric;

use super::comparison::{Comparison, TestComparison};
use super::estimate::ChangeEstimate;

/// Fewest saved runs whose spread is used: two give one degree of
/// freedom, whose t quantile (12.7) makes an interval too wide to use.
pub const MIN_RUNS: usize = 3;

/// The metrics whose interval a history widens.
pub const METRICS: [Metric; 4] = [Metric::MEDIAN, Metric::P95, Metric::P99, Metric::THROUGHPUT];

/// How far one metric drifts between runs, as a baseline's history
/// measured it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunDrift {
    /// Standard deviation of the log of one run's value.
    pub sd_log: f64,
    /// Its degrees of freedom.
    pub df: usize,
    /// The saved runs behind it.
    pub runs: usize,
}

/// Each test's metrics' drift, by test and metric key.
pub type Drift = BTreeMap<(TestId, Metric), RunDrift>;

/// Widens the interval of every metric `drift` knows (see the module
/// docs), then judges the comparison again.
pub fn apply(comparison: &mut Comparison, drift: &Drift) {
    if widen(&mut comparison.tests, drift) {
        comparison.judge();
    }
}

/// Widens the intervals of `tests` (a comparison's, or a confirming
/// re-run's) where the history's drift is the larger noise; returns whether
/// any changed.
pub fn widen(tests: &mut [TestComparison], drift: &Drift) -> bool {
    let mut changed = false;
    for test in tests.iter_mut() {
        if !METRICS.contains(&test.metric) {
            continue;
        }
        // Judged relative to the machine's common change already, on the
        // history's spread around each run's level (see `super::shift`):
        // this metric's own history holds the machine's drift too.
        if test.estimate.is_some_and(|e| e.shift_pct.is_some()) {
            continue;
        }
        let Some(run) = drift.get(&(test.id.clone(), test.metric)) else {
            continue;
        };
        let (Some(base), Some(current)) = (test.baseline_value, test.current_value) else {
            continue;
        };
        // Runs that never moved say nothing of the noise: a zero-width
        // interval would call any change real.
        if run.runs < MIN_RUNS
            || run.df < 2
            || !(run.sd_log > 0.0 && run.sd_log.is_finite())
            || !(base > 0.0 && current > 0.0)
        {
            continue;
        }
        let diff = match test.estimate {
            Some(e) => (1.0 + e.change_pct / 100.0).ln(),
            None => (current / base).ln(),
        };
        let mut wide = ChangeEstimate::from_log(
            diff,
            std::f64::consts::SQRT_2 * run.sd_log,
            run.df as f64,
            run.runs,
        );
        wide.history_runs = Some(run.runs);
        if test
            .estimate
            .is_none_or(|e| wide.noise_pct() > e.noise_pct())
        {
            test.change_pct = Some(wide.change_pct);
            test.estimate = Some(wide);
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::comparison::{CompareMode, Verdict};

    fn id() -> TestId {
        TestId {
            package: "demo".into(),
            target: "perf".into(),
            name: "checksum".into(),
        }
    }

    fn comparison(
        metric: Metric,
        base: f64,
        current: f64,
        estimate: Option<ChangeEstimate>,
    ) -> Comparison {
        let mut comparison = Comparison {
            mode: CompareMode::Baseline,
            baseline_path: "main.json".into(),
            baseline_created_utc: String::new(),
            baseline_git_commit: None,
            environment_differences: Vec::new(),
            tests: vec![TestComparison {
                id: id(),
                metric,
                verdict: Verdict::NotComparable,
                higher_is_better: metric.higher_is_better,
                baseline_value: Some(base),
                current_value: Some(current),
                change_pct: Some((current / base - 1.0) * 100.0),
                estimate,
                baseline_interval: None,
                current_interval: None,
                threshold_pct: 10.0,
                confirmation: None,
                config_diff: None,
                stopped: None,
            }],
            only_in_baseline: Vec::new(),
            only_in_current: Vec::new(),
            noise_floor_pct: None,
            noise_warnings: Vec::new(),
            shift: None,
        };
        comparison.judge();
        comparison
    }

    fn drift(metric: Metric, sd_log: f64, runs: usize) -> Drift {
        Drift::from([(
            (id(), metric),
            RunDrift {
                sd_log,
                df: runs - 1,
                runs,
            },
        )])
    }

    #[test]
    fn a_drifting_history_turns_a_tight_regression_into_noise() {
        // Three processes a side, tight: +15% looks real.
        let tight = ChangeEstimate::from_log(1.15f64.ln(), 0.01, 4.0, 3);
        let mut c = comparison(Metric::MEDIAN, 100.0, 115.0, Some(tight));
        assert_eq!(c.tests[0].verdict, Verdict::Regressed);
        // But the saved runs drift by 8% (sd of the log) from run to run:
        // two runs differ by ±(1.96..2.4)·√2·8% ≈ ±25% without any change.
        apply(&mut c, &drift(Metric::MEDIAN, 0.08, 8));
        let e = c.tests[0].estimate.unwrap();
        assert_eq!(e.history_runs, Some(8));
        assert!(
            (e.change_pct - 15.0).abs() < 1e-9,
            "the centre stays: {e:?}"
        );
        // se = √2·0.08 = 0.113; t(7) 97.5% = 2.365: ±0.268 in log.
        let expected =
            [(0.1398 - 0.2676f64).exp(), (0.1398 + 0.2676f64).exp()].map(|r| (r - 1.0) * 100.0);
        assert!(
            (e.ci_pct[0] - expected[0]).abs() < 0.5,
            "{e:?} vs {expected:?}"
        );
        assert!(
            (e.ci_pct[1] - expected[1]).abs() < 0.5,
            "{e:?} vs {expected:?}"
        );
        assert_eq!(c.tests[0].verdict, Verdict::WithinNoise);
    }

    #[test]
    fn a_quiet_history_keeps_the_tighter_interval_and_gates_one_run_a_side() {
        let tight = ChangeEstimate::from_log(1.15f64.ln(), 0.01, 4.0, 3);
        let mut c = comparison(Metric::MEDIAN, 100.0, 115.0, Some(tight));
        apply(&mut c, &drift(Metric::MEDIAN, 0.001, 8));
        assert_eq!(c.tests[0].estimate, Some(tight));
        assert_eq!(c.tests[0].verdict, Verdict::Regressed);
        // A load test's p95, one figure a side: shown, not gated, until a
        // history says how far it drifts; then a 60% rise is real.
        let mut c = comparison(Metric::P95, 1000.0, 1600.0, None);
        assert_eq!(c.tests[0].verdict, Verdict::WithinNoise);
        apply(&mut c, &drift(Metric::P95, 0.05, 6));
        assert_eq!(c.tests[0].verdict, Verdict::Regressed);
        // Too few runs, or another metric: untouched.
        let mut c = comparison(Metric::P95, 1000.0, 1600.0, None);
        apply(&mut c, &drift(Metric::P95, 0.05, 2));
        assert!(c.tests[0].estimate.is_none());
        apply(&mut c, &drift(Metric::P99, 0.05, 6));
        assert!(c.tests[0].estimate.is_none());
        // Saved runs that never moved give no interval, not a zero-wide one.
        apply(&mut c, &drift(Metric::P95, 0.0, 6));
        assert!(c.tests[0].estimate.is_none());
        assert_eq!(c.tests[0].verdict, Verdict::WithinNoise);
    }
}
