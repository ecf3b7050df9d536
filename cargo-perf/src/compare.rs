//! Comparing a run with a baseline: one verdict per test.
//!
//! The rule (README, "How verdicts are made"): a test *regressed* when its
//! median got slower by more than its threshold **and** the uncertainty
//! intervals of the two medians do not overlap; *improved* is the mirror
//! image. A median's interval is its 95% confidence interval widened to
//! take in the median of every process that measured it. A change beyond the threshold whose intervals overlap is *within
//! noise* and does not fail the run; a change inside the threshold is
//! *unchanged*.

use std::collections::BTreeMap;
use std::path::Path;

use perf_record::{RunRecord, TestConfig, TestId, TestRecord};
use serde::Serialize;

use crate::environment;

/// The verdict on one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Faster beyond the threshold, and the intervals are apart.
    Improved,
    /// Slower beyond the threshold, and the intervals are apart: fails the run.
    Regressed,
    /// The change is inside the threshold.
    Unchanged,
    /// Beyond the threshold, but the intervals overlap: could be noise.
    WithinNoise,
    /// A side has no measurement (the test failed).
    NotComparable,
}

impl Verdict {
    /// The word in the table.
    pub fn label(self) -> &'static str {
        match self {
            Self::Improved => "improved",
            Self::Regressed => "REGRESSED",
            Self::Unchanged => "unchanged",
            Self::WithinNoise => "within noise",
            Self::NotComparable => "not comparable",
        }
    }
}

/// One test in both runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestComparison {
    /// Which test.
    pub id: TestId,
    /// The metric compared.
    pub metric: &'static str,
    /// The verdict.
    pub verdict: Verdict,
    /// The baseline's value: ns for `median_ns`, µs for `p95_us` and
    /// `p99_us`, requests per second for `rps`, percent for `error_rate_pct`.
    pub baseline_ns: Option<f64>,
    /// The current value, in the same unit.
    pub current_ns: Option<f64>,
    /// `(current - baseline) / baseline`, in percent (for
    /// `error_rate_pct`: the difference in percentage points).
    pub change_pct: Option<f64>,
    /// The baseline median's uncertainty interval, ns (see [`uncertainty`]).
    pub baseline_interval_ns: Option<[f64; 2]>,
    /// The current median's uncertainty interval, ns.
    pub current_interval_ns: Option<[f64; 2]>,
    /// The threshold that applied, in percent.
    pub threshold_pct: f64,
    /// A unified diff of the test's configuration, when it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_diff: Option<String>,
}

/// A whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The baseline file.
    pub baseline_path: String,
    /// When the baseline was made.
    pub baseline_created_utc: String,
    /// Its git commit.
    pub baseline_git_commit: Option<String>,
    /// How the baseline's environment differs from this one.
    pub environment_differences: Vec<String>,
    /// Tests in both.
    pub tests: Vec<TestComparison>,
    /// Tests in the baseline that did not run now.
    pub only_in_baseline: Vec<TestId>,
    /// Tests that ran now but are not in the baseline.
    pub only_in_current: Vec<TestId>,
}

impl Comparison {
    /// The tests that regressed.
    pub fn regressions(&self) -> impl Iterator<Item = &TestComparison> {
        self.tests
            .iter()
            .filter(|t| t.verdict == Verdict::Regressed)
    }

    /// The tests with at least one regressed metric, each once.
    pub fn regressed_tests(&self) -> Vec<&TestId> {
        let mut ids: Vec<&TestId> = self.regressions().map(|t| &t.id).collect();
        ids.dedup();
        ids
    }
}

/// Compares `current` with `baseline`. Each current test carries the
/// threshold that applies to it in `config.regression_threshold_pct`.
pub fn compare(baseline: &RunRecord, baseline_path: &Path, current: &RunRecord) -> Comparison {
    let before: BTreeMap<&TestId, &TestRecord> =
        baseline.tests.iter().map(|t| (&t.id, t)).collect();
    let now: BTreeMap<&TestId, &TestRecord> = current.tests.iter().map(|t| (&t.id, t)).collect();
    let tests = now
        .iter()
        .filter_map(|(id, test)| before.get(id).map(|old| (old, test)))
        .flat_map(|(old, test)| {
            if test.kind == perf_record::TestKind::Load {
                compare_load(old, test)
            } else {
                vec![compare_test(old, test)]
            }
        })
        .collect();
    Comparison {
        baseline_path: baseline_path.display().to_string(),
        baseline_created_utc: baseline.created_utc.clone(),
        baseline_git_commit: baseline.environment.git_commit.clone(),
        environment_differences: environment::differences(
            &baseline.environment,
            &current.environment,
        ),
        tests,
        only_in_baseline: before
            .keys()
            .filter(|id| !now.contains_key(*id))
            .map(|id| (*id).clone())
            .collect(),
        only_in_current: now
            .keys()
            .filter(|id| !before.contains_key(*id))
            .map(|id| (*id).clone())
            .collect(),
    }
}

fn compare_test(old: &TestRecord, new: &TestRecord) -> TestComparison {
    let threshold = new
        .config
        .regression_threshold_pct
        .unwrap_or(crate::DEFAULT_THRESHOLD_PCT);
    let interval = |t: &TestRecord| {
        t.stats
            .as_ref()
            .map(|s| uncertainty(s, &t.process_medians_ns))
    };
    let (baseline_ns, current_ns) = (
        old.stats.as_ref().map(|s| s.median_ns),
        new.stats.as_ref().map(|s| s.median_ns),
    );
    let (baseline_ci, current_ci) = (interval(old), interval(new));
    let (change_pct, verdict) = match (baseline_ns, current_ns, baseline_ci, current_ci) {
        (Some(before), Some(after), Some(ci_before), Some(ci_after)) if before > 0.0 => {
            let change = (after / before - 1.0) * 100.0;
            (
                Some(change),
                verdict(change, threshold, ci_before, ci_after),
            )
        }
        _ => (None, Verdict::NotComparable),
    };
    TestComparison {
        id: new.id.clone(),
        metric: "median_ns",
        verdict,
        baseline_ns,
        current_ns,
        change_pct,
        baseline_interval_ns: baseline_ci,
        current_interval_ns: current_ci,
        threshold_pct: threshold,
        config_diff: config_diff(&old.config, &new.config),
    }
}

/// A load test's metrics, each with its direction: latency percentiles
/// and the error rate are better lower, throughput higher. There is one
/// run on each side, so the verdict is the threshold alone.
fn compare_load(old: &TestRecord, new: &TestRecord) -> Vec<TestComparison> {
    let threshold = new
        .config
        .regression_threshold_pct
        .unwrap_or(crate::DEFAULT_THRESHOLD_PCT);
    let (Some(before), Some(after)) = (&old.load, &new.load) else {
        return vec![TestComparison {
            id: new.id.clone(),
            metric: "p95_us",
            verdict: Verdict::NotComparable,
            baseline_ns: None,
            current_ns: None,
            change_pct: None,
            baseline_interval_ns: None,
            current_interval_ns: None,
            threshold_pct: threshold,
            config_diff: None,
        }];
    };
    let metrics: [(&'static str, f64, f64, bool); 4] = [
        (
            "p95_us",
            before.latency.p95_us as f64,
            after.latency.p95_us as f64,
            false,
        ),
        (
            "p99_us",
            before.latency.p99_us as f64,
            after.latency.p99_us as f64,
            false,
        ),
        ("rps", before.rps, after.rps, true),
        (
            "error_rate_pct",
            before.error_rate_pct,
            after.error_rate_pct,
            false,
        ),
    ];
    metrics
        .into_iter()
        .map(|(metric, base, current, higher_is_better)| {
            let (change, verdict) = if metric == "error_rate_pct" {
                // A rate that starts at zero has no relative change: more
                // than one percentage point up is a regression.
                let points = current - base;
                let verdict = if points > 1.0 {
                    Verdict::Regressed
                } else if points < -1.0 {
                    Verdict::Improved
                } else {
                    Verdict::Unchanged
                };
                (Some(points), verdict)
            } else if base > 0.0 {
                let change = (current / base - 1.0) * 100.0;
                let worse = if higher_is_better { -change } else { change };
                let verdict = if worse > threshold {
                    Verdict::Regressed
                } else if worse < -threshold {
                    Verdict::Improved
                } else {
                    Verdict::Unchanged
                };
                (Some(change), verdict)
            } else {
                (None, Verdict::NotComparable)
            };
            TestComparison {
                id: new.id.clone(),
                metric,
                verdict,
                baseline_ns: Some(base),
                current_ns: Some(current),
                change_pct: change,
                baseline_interval_ns: None,
                current_interval_ns: None,
                threshold_pct: threshold,
                config_diff: None,
            }
        })
        .collect()
}

/// How far a test's median could be from the truth: the 95% interval of
/// the pooled median, widened to take in every process's own median. The
/// processes' spread is usually the larger part: it is the variation
/// between runs that a single process cannot see.
pub fn uncertainty(stats: &perf_record::BenchStats, process_medians: &[f64]) -> [f64; 2] {
    process_medians.iter().fold(
        [stats.median_ci_low_ns, stats.median_ci_high_ns],
        |[low, high], &m| [low.min(m), high.max(m)],
    )
}

/// The verdict rule; see the module documentation.
pub fn verdict(change_pct: f64, threshold_pct: f64, before: [f64; 2], after: [f64; 2]) -> Verdict {
    let overlap = after[0] <= before[1] && before[0] <= after[1];
    if change_pct > threshold_pct {
        if overlap {
            Verdict::WithinNoise
        } else {
            Verdict::Regressed
        }
    } else if change_pct < -threshold_pct {
        if overlap {
            Verdict::WithinNoise
        } else {
            Verdict::Improved
        }
    } else {
        Verdict::Unchanged
    }
}

/// A readable diff of what was configured differently, ignoring the
/// threshold (which may be changed freely without making runs
/// incomparable).
fn config_diff(old: &TestConfig, new: &TestConfig) -> Option<String> {
    let show = |config: &TestConfig| {
        let mut config = config.clone();
        config.regression_threshold_pct = None;
        serde_json::to_string_pretty(&config).unwrap_or_default()
    };
    let (old, new) = (show(old), show(new));
    if old == new {
        return None;
    }
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_lines(&old, &new);
    Some(
        diff.unified_diff()
            .context_radius(1)
            .header("baseline", "current")
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_needs_both_the_threshold_and_separate_intervals() {
        let base = [99.0, 101.0];
        assert_eq!(
            verdict(20.0, 10.0, base, [119.0, 121.0]),
            Verdict::Regressed
        );
        assert_eq!(
            verdict(20.0, 10.0, base, [100.5, 140.0]),
            Verdict::WithinNoise
        );
        assert_eq!(verdict(5.0, 10.0, base, [104.0, 106.0]), Verdict::Unchanged);
        assert_eq!(verdict(-20.0, 10.0, base, [79.0, 81.0]), Verdict::Improved);
        assert_eq!(
            verdict(-20.0, 10.0, base, [60.0, 100.0]),
            Verdict::WithinNoise
        );
    }

    #[test]
    fn configuration_changes_are_diffed() {
        let config = TestConfig {
            warm_up_ns: 1,
            measurement_ns: 2,
            quick: false,
            processes: 3,
            regression_threshold_pct: Some(10.0),
        };
        let mut quick = config.clone();
        quick.quick = true;
        quick.regression_threshold_pct = Some(5.0);
        assert_eq!(config_diff(&config, &config), None);
        let diff = config_diff(&config, &quick).unwrap();
        assert!(
            diff.contains("-  \"quick\": false") && diff.contains("+  \"quick\": true"),
            "{diff}"
        );
        assert!(!diff.contains("threshold"), "{diff}");
    }
}
