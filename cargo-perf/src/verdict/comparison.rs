//! Comparing a candidate with a base: one verdict per metric of each test.
//!
//! The rule (README, "How verdicts are made"):
//! 1. Each metric's change is estimated with a 95% confidence interval:
//!    from the per-round ratios when base and candidate ran in paired
//!    rounds (`--compare-ref`), from the two runs' process medians when
//!    comparing with a saved baseline.
//! 2. A change is *real* when its one-sided p-value passes Holm's
//!    correction over every metric compared (5% family-wise), i.e. the
//!    interval excludes zero even after allowing for the number of tests.
//! 3. A metric *regressed* when its change is real and the estimate is
//!    beyond the threshold, and a re-run of the test confirms both (see
//!    [`Comparison::confirm`]); beyond the threshold but not real, or not
//!    confirmed, is *within noise*; inside the threshold is *unchanged*.
//!
//! Instruction counts and a load test's metrics against a saved baseline
//! have no interval (they are one number a side): there the threshold
//! alone decides, still subject to the confirming re-run.

use perf_record::TestId;
use perf_record::metric::{Change, Metric};
use serde::Serialize;

use super::estimate::{ALPHA, ChangeEstimate, holm};
use super::machine::CommonShift;
use super::noise::NoiseWarning;

/// The verdict on one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Better beyond the threshold, and the change is real.
    Improved,
    /// Worse beyond the threshold, real, and confirmed: fails the run.
    Regressed,
    /// The change is inside the threshold.
    Unchanged,
    /// Beyond the threshold, but not distinguishable from noise (or not
    /// confirmed by a re-run).
    WithinNoise,
    /// A side has no measurement (the test failed), or the sides ran
    /// different loads (see `config_diff`).
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

/// How the two sides were measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CompareMode {
    /// Against a saved baseline: two separate runs.
    Baseline,
    /// `--compare-ref`: base and candidate built from two commits and run
    /// in paired rounds in this run.
    Paired {
        /// The revision as the user gave it.
        base_ref: String,
        /// Rounds per test.
        rounds: u32,
    },
}

/// What a confirming re-run of a flagged metric found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Confirmation {
    /// The change the re-run measured, in percent.
    pub change_pct: Option<f64>,
    /// Its interval, when it has one.
    pub ci_pct: Option<[f64; 2]>,
    /// Whether it was again real and beyond the threshold.
    pub confirmed: bool,
}

/// One metric of one test on both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestComparison {
    /// Which test.
    pub id: TestId,
    /// The metric compared (written as its key: `median_ns`, `p95_us`,
    /// a kind's figure's key).
    pub metric: Metric,
    /// The verdict.
    pub verdict: Verdict,
    /// Whether a higher value is better (throughput): the metric's
    /// direction, written for the JSON report's readers.
    pub higher_is_better: bool,
    /// The base's value, in the metric's unit: ns for the median,
    /// instructions per iteration, µs for latencies, requests per second
    /// for throughput, percent for the error rate.
    pub baseline_value: Option<f64>,
    /// The candidate's value, in the same unit.
    pub current_value: Option<f64>,
    /// The change in percent (the estimate of the change when there is
    /// one; for a metric held to a difference, such as the error rate, the
    /// difference in its unit).
    pub change_pct: Option<f64>,
    /// The change's 95% interval, in percent, and its p-values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<ChangeEstimate>,
    /// The base median's 95% confidence interval, ns.
    pub baseline_interval: Option<[f64; 2]>,
    /// The candidate median's 95% confidence interval, ns.
    pub current_interval: Option<[f64; 2]>,
    /// The threshold that applied, in percent.
    pub threshold_pct: f64,
    /// What the confirming re-run found, when the metric was flagged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Confirmation>,
    /// A unified diff of the test's configuration, when it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_diff: Option<String>,
    /// Why a benchmark's paired rounds stopped: decided (its change
    /// clearly on one side of the threshold) or the time limit (the most
    /// rounds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<perf_record::StopReason>,
}

impl TestComparison {
    /// How much worse the candidate is, in percent (negative: better).
    pub fn worse_pct(&self) -> Option<f64> {
        self.change_pct
            .map(|c| if self.higher_is_better { -c } else { c })
    }

    /// The p-value of "the candidate is worse".
    fn p_worse(&self) -> Option<f64> {
        self.estimate.map(|e| {
            if self.higher_is_better {
                e.p_lower
            } else {
                e.p_higher
            }
        })
    }

    fn p_better(&self) -> Option<f64> {
        self.estimate.map(|e| {
            if self.higher_is_better {
                e.p_higher
            } else {
                e.p_lower
            }
        })
    }

    /// A load test's latency or throughput from one run a side (against a
    /// saved baseline): a single number each, whose drift between runs
    /// nothing in either run measures.
    fn is_one_load_run_a_side(&self) -> bool {
        self.estimate.is_none() && self.metric.change == Change::Shown
    }

    /// The limit `worse_pct` is held to: the threshold, one percentage
    /// point for the error rate, or a kind's fixed limit on a difference
    /// (a growth exponent higher by 0.3: from linear to about level^1.3).
    pub fn limit(&self) -> f64 {
        self.metric.absolute_limit().unwrap_or(self.threshold_pct)
    }
}

/// A whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// How the sides were measured.
    pub mode: CompareMode,
    /// The baseline file, or the base revision and its commit.
    pub baseline_path: String,
    /// When the baseline was made.
    pub baseline_created_utc: String,
    /// Its git commit.
    pub baseline_git_commit: Option<String>,
    /// How the baseline's environment differs from this one.
    pub environment_differences: Vec<String>,
    /// Every metric of the tests on both sides.
    pub tests: Vec<TestComparison>,
    /// Tests in the baseline that did not run now.
    pub only_in_baseline: Vec<TestId>,
    /// Tests that ran now but are not in the baseline.
    pub only_in_current: Vec<TestId>,
    /// The median of the metrics' interval half-widths, in percent: the
    /// smallest change this run could tell from noise.
    pub noise_floor_pct: Option<f64>,
    /// Metrics whose noise is larger than their threshold.
    pub noise_warnings: Vec<NoiseWarning>,
    /// The machine's common change between the runs, which benchmarks'
    /// medians were judged relative to (see [`super::shift`]); absent
    /// where there were too few controls to measure it, and in paired
    /// rounds, which share the machine's state already.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shift: Option<CommonShift>,
}

impl Comparison {
    /// The tests with a metric that is flagged and not yet confirmed.
    pub fn unconfirmed_tests(&self) -> Vec<TestId> {
        let mut ids: Vec<TestId> = self
            .tests
            .iter()
            .filter(|t| t.verdict == Verdict::Regressed && t.confirmation.is_none())
            .map(|t| t.id.clone())
            .collect();
        ids.dedup();
        ids
    }

    /// Applies the verdict rule (see the module docs) to every metric,
    /// before confirmation, and works out the noise floor.
    pub fn judge(&mut self) {
        let worse: Vec<f64> = self
            .tests
            .iter()
            .filter_map(TestComparison::p_worse)
            .collect();
        let better: Vec<f64> = self
            .tests
            .iter()
            .filter_map(TestComparison::p_better)
            .collect();
        // One-sided at 2.5%: a change is real exactly when the two-sided
        // 95% interval shown in the report excludes zero.
        let (worse, better) = (holm(&worse, ALPHA / 2.0), holm(&better, ALPHA / 2.0));
        let (mut worse, mut better) = (worse.into_iter(), better.into_iter());
        for test in &mut self.tests {
            let (real_worse, real_better) = if test.estimate.is_some() {
                (
                    worse.next().unwrap_or(false),
                    better.next().unwrap_or(false),
                )
            } else if test.is_one_load_run_a_side() {
                // Nothing says how far separate runs drift: not real.
                (false, false)
            } else {
                (true, true)
            };
            test.verdict = match test.worse_pct() {
                None => Verdict::NotComparable,
                Some(w) if w > test.limit() && real_worse => Verdict::Regressed,
                Some(w) if w < -test.limit() && real_better => Verdict::Improved,
                Some(w) if w.abs() > test.limit() => Verdict::WithinNoise,
                Some(_) => Verdict::Unchanged,
            };
        }
        let mut noise: Vec<f64> = self
            .tests
            .iter()
            .filter_map(|t| t.estimate.map(|e| e.noise_pct()))
            .collect();
        noise.sort_by(f64::total_cmp);
        self.noise_floor_pct = noise.get(noise.len() / 2).copied();
        self.noise_warnings = self
            .tests
            .iter()
            .filter_map(|t| {
                let noise_pct = t.estimate?.noise_pct();
                (noise_pct >= t.threshold_pct).then(|| NoiseWarning::NoisierThanThreshold {
                    id: t.id.clone(),
                    metric: t.metric,
                    noise_pct,
                    threshold_pct: t.threshold_pct,
                    // A benchmark can fall back on instruction counts; a
                    // load test's figures steady only when both sides run
                    // alike.
                    instructions_help: t.metric == Metric::MEDIAN
                        || t.metric == Metric::INSTRUCTIONS,
                })
            })
            .collect();
        let drifting: Vec<String> = self
            .tests
            .iter()
            .filter(|t| t.is_one_load_run_a_side() && t.verdict == Verdict::WithinNoise)
            .map(|t| format!("{} {}", t.id, t.metric))
            .collect();
        if !drifting.is_empty() {
            self.noise_warnings
                .push(NoiseWarning::LoadRunDrift { metrics: drifting });
        }
    }

    /// Takes a confirming re-run's comparison of the tests that
    /// [`Self::unconfirmed_tests`] named: a flagged metric stays
    /// regressed only when the re-run finds it again beyond the threshold
    /// and real (its 95% interval excludes zero, uncorrected: it is one
    /// planned test). A re-run that measured nothing (the test failed this
    /// time) cannot clear it.
    pub fn confirm(&mut self, rerun: &[TestComparison]) {
        for test in &mut self.tests {
            if test.verdict != Verdict::Regressed || test.confirmation.is_some() {
                continue;
            }
            let again = rerun
                .iter()
                .find(|r| r.id == test.id && r.metric == test.metric);
            let confirmed = again.is_none_or(|r| match r.worse_pct() {
                None => true,
                Some(w) => w > r.limit() && r.p_worse().is_none_or(|p| p <= ALPHA / 2.0),
            });
            test.confirmation = Some(Confirmation {
                change_pct: again.and_then(|r| r.change_pct),
                ci_pct: again.and_then(|r| r.estimate.map(|e| e.ci_pct)),
                confirmed,
            });
            if !confirmed {
                test.verdict = Verdict::WithinNoise;
            }
        }
    }
}
