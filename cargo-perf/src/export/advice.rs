//! What a run found, in plain words with what to do about it: failures,
//! missed thresholds, regressions, tests that could not be compared, and
//! the signs that a figure is not to be trusted (a saturated generator,
//! noise wider than the threshold) or that the server has a problem (a
//! leak, a breaking point below the target). Independent of any format:
//! the HTML report shows them, and other reports can.

use perf_record::finding::{self, GENERATOR_SATURATED_PCT, LeakRate, Warning};
use perf_record::kinds::Kind;
use perf_record::metric::{Metric, Unit};
use perf_record::{RunRecord, TestId, TestKind, TestOutcome};

use super::Source;
use crate::report::comparison::metric_cells;
use crate::verdict::comparison::Verdict;

/// How bad a finding is, worst first (they sort that way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    /// A test failed, or missed a threshold: the run fails.
    Failure,
    /// A metric regressed beyond its threshold: the run fails.
    Regression,
    /// A figure may not mean what it says, or a test was not compared.
    Warning,
    /// Worth knowing; nothing is wrong.
    Note,
}

impl Severity {
    /// The word for it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Failure => "failure",
            Self::Regression => "regression",
            Self::Warning => "warning",
            Self::Note => "note",
        }
    }
}

/// One thing the run found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    /// How bad.
    pub(crate) severity: Severity,
    /// The test it is about, if it is about one.
    pub(crate) test: Option<TestId>,
    /// What was found.
    pub(crate) text: String,
    /// What to do about it.
    pub(crate) recommendation: String,
}

/// Every finding of the run, worst first, in the record's test order
/// within a severity.
pub(crate) fn findings(source: &Source<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for test in &source.record.tests {
        let id = Some(test.id.clone());
        let mut add = |severity, text: String, recommendation: &str| {
            out.push(Finding {
                severity,
                test: id.clone(),
                text,
                recommendation: recommendation.to_owned(),
            });
        };
        if let TestOutcome::Failed { message } = &test.outcome {
            add(
                Severity::Failure,
                format!("{} failed: {message}", test.id),
                "fix the failure first: its figures are missing or describe a broken run",
            );
        }
        for result in test.thresholds.iter().filter(|r| !r.passed) {
            let t = &result.threshold;
            let measured = match (&result.unmeasured_why, result.unmeasured) {
                (Some(why), _) => format!("not measurable ({why})"),
                (None, true) => "nothing was measured".to_owned(),
                (None, false) => format!("measured {}", result.value_text()),
            };
            let text = match (t.metric.threshold_name(), result.unmeasured) {
                ("breaking_point", false) => format!(
                    "{}: the server breaks at {:.0} users, below the {:.0} it must hold ({})",
                    test.id,
                    result.value,
                    t.limit,
                    t.label()
                ),
                _ => format!(
                    "{} missed its threshold {}: {measured}, limit {}",
                    test.id,
                    t.label(),
                    t.metric.threshold_text(t.limit)
                ),
            };
            add(Severity::Failure, text, advice(t.metric));
        }
        let Some(load) = &test.load else {
            continue;
        };
        let saturated = |w: &Warning| matches!(w, Warning::GeneratorSaturated { .. });
        if load.generator_cpu_pct > GENERATOR_SATURATED_PCT || load.warnings.iter().any(saturated) {
            add(
                Severity::Warning,
                format!(
                    "{}: the load generator used {:.0}% of its threads, so the figures may describe the generator \
                     rather than the server",
                    test.id, load.generator_cpu_pct
                ),
                "give the generator more threads (CARGO_PERF_GENERATOR_THREADS), or fewer users per process, \
                 or run it on a machine apart from the server",
            );
        }
        for warning in load.warnings.iter().filter(|w| !saturated(w)) {
            add(
                Severity::Warning,
                format!("{}: {warning}", test.id),
                "read the figures of this test with care; fix the cause and run it again",
            );
        }
        let Some(sweep) = &load.sweep else {
            continue;
        };
        match sweep.kind {
            Kind::Soak => {
                // A missed `rss_growth` threshold already says it, above.
                let gated = test
                    .thresholds
                    .iter()
                    .any(|r| r.threshold.metric.threshold_name() == "rss_growth" && !r.passed);
                let leak = sweep.findings.iter().find_map(|f| match f {
                    finding::Finding::Leak { bytes_per_s } => Some(*bytes_per_s),
                    _ => None,
                });
                let step = sweep
                    .findings
                    .iter()
                    .find(|f| matches!(f, finding::Finding::MemoryStep { .. }));
                match (leak, step) {
                    _ if gated => {}
                    (Some(rate), _) => add(
                        Severity::Warning,
                        format!("{}: {}", test.id, LeakRate(rate)),
                        figure_advice("rss_growth"),
                    ),
                    (None, Some(step)) => add(
                        Severity::Note,
                        format!("{}: {step}", test.id),
                        "hold longer to tell a leak from a one-off step",
                    ),
                    (None, None) => {}
                }
            }
            Kind::Stress => {
                let Some(&point) = sweep.metrics.get("breaking_point") else {
                    continue;
                };
                let target = test
                    .thresholds
                    .iter()
                    .find(|r| r.threshold.metric.threshold_name() == "breaking_point")
                    .map(|r| r.threshold.limit);
                // A target it missed is a failure above.
                if target.is_none() {
                    add(
                        Severity::Note,
                        format!(
                            "{}: the server held every threshold up to {point:.0} users",
                            test.id
                        ),
                        "set a `breaking_point` threshold to keep it there",
                    );
                }
            }
            _ => {}
        }
    }
    if let Some(comparison) = source.comparison {
        for metric in comparison
            .tests
            .iter()
            .filter(|t| t.verdict == Verdict::Regressed)
        {
            // In the comparison table's words and units.
            let cells = metric_cells(metric);
            let interval = match cells.interval.as_str() {
                "-" => String::new(),
                interval => format!(" (95% interval {interval})"),
            };
            out.push(Finding {
                severity: Severity::Regression,
                test: Some(metric.id.clone()),
                text: format!(
                    "{} {} regressed: {} -> {}, {}{interval}, beyond its {} threshold",
                    metric.id,
                    cells.metric,
                    cells.baseline,
                    cells.current,
                    cells.change,
                    cells.threshold
                ),
                recommendation:
                    "find the change that caused it (`cargo perf --compare-ref <commit>` runs both \
                                 sides in paired rounds); if it is intended, save a new baseline"
                        .to_owned(),
            });
        }
        for metric in comparison
            .tests
            .iter()
            .filter(|t| t.verdict == Verdict::NotComparable)
        {
            out.push(Finding {
                severity: Severity::Warning,
                test: Some(metric.id.clone()),
                text: format!(
                    "{} {} was not comparable: a side has no measurement",
                    metric.id, metric.metric
                ),
                recommendation: "make the test pass on both sides".to_owned(),
            });
        }
        for (ids, side, what) in [
            (
                &comparison.only_in_baseline,
                "the baseline",
                "did not run now",
            ),
            (
                &comparison.only_in_current,
                "this run",
                "is not in the baseline",
            ),
        ] {
            for id in ids {
                out.push(Finding {
                    severity: Severity::Warning,
                    test: Some(id.clone()),
                    text: format!("{id} is only in {side}: it {what}, so it was not compared"),
                    recommendation: "save the baseline again once the set of tests is settled"
                        .to_owned(),
                });
            }
        }
        for warning in &comparison.noise_warnings {
            // A load test's figures have no instruction count to fall
            // back on: what steadies them is measuring both sides alike.
            let recommendation = if !warning.instructions_help() {
                "compare with `--compare-ref REV` (base and candidate in paired rounds, under the same \
                 conditions), gate the load test with SLA thresholds, or keep saving the baseline: three \
                 or more saved runs lend it their run-to-run spread"
            } else {
                "raise the threshold above the noise, or compare instruction counts \
                 (`--instructions`), which do not depend on a busy machine"
            };
            out.push(Finding {
                severity: Severity::Warning,
                test: None,
                text: warning.to_string(),
                recommendation: recommendation.to_owned(),
            });
        }
        for difference in &comparison.environment_differences {
            out.push(Finding {
                severity: Severity::Note,
                test: None,
                text: format!("the baseline was made elsewhere: {difference}"),
                recommendation:
                    "compare runs made on the same machine and toolchain, or expect differences \
                                 that no code change caused"
                        .to_owned(),
            });
        }
    } else {
        noisy_benchmarks(source.record, &mut out);
    }
    out.sort_by_key(|f| f.severity);
    out
}

/// What to do about a missed threshold on `metric`.
fn advice(metric: Metric) -> &'static str {
    match metric.unit {
        Unit::PercentOfRequests => {
            "read the errors table of the test (each kind with its first messages) and fix their cause"
        }
        Unit::RequestsPerSecond | Unit::Transfer => {
            "the server could not keep up with the rate: look at its CPU chart (near 100% of a core: find the \
             hot code; far below: a lock, a pool or a slow dependency), and check the generator was not saturated"
        }
        _ => figure_advice(metric.threshold_name()),
    }
}

/// What to do about a missed threshold on a kind's figure or a latency,
/// by the threshold's name.
fn figure_advice(name: &str) -> &'static str {
    match name {
        "breaking_point" => {
            "find the bottleneck at the level where it broke (latency or errors rise while the server's CPU is \
             below 100%: a lock, a pool or a queue), or lower the target"
        }
        "rss_growth" => {
            "profile the server's heap over a soak (heaptrack, dhat) and look for caches, maps or buffers that \
             grow with every request and are never trimmed"
        }
        "growth" => {
            "latency grows faster than the input: look for work repeated per byte or per page (copies, \
             concatenation, OFFSET paging that scans what it skips)"
        }
        "efficiency" => {
            "throughput stops growing with users: something serialises the requests (a lock, a single worker, \
             a small pool)"
        }
        "recovery" => {
            "the server stays slow after a burst: look for a backlog that drains slowly, a pool or cache that \
             does not recover, or a circuit that stays open"
        }
        _ => {
            "find what makes requests slower than the requirement: the endpoints table says which, the server's \
             CPU and memory charts say whether it ran out of either; or change the threshold if the requirement \
             changed"
        }
    }
}

/// Without a comparison: benchmarks whose median's interval is already
/// wider than their threshold, so no comparison could tell a regression of
/// that size from noise.
fn noisy_benchmarks(record: &RunRecord, out: &mut Vec<Finding>) {
    for test in record.tests.iter().filter(|t| t.kind == TestKind::Bench) {
        let (Some(stats), Some(threshold)) = (&test.stats, test.config.regression_threshold_pct)
        else {
            continue;
        };
        if stats.median_ns <= 0.0 {
            continue;
        }
        let half =
            (stats.median_ci_high_ns - stats.median_ci_low_ns) / 2.0 / stats.median_ns * 100.0;
        if half > threshold {
            out.push(Finding {
                severity: Severity::Warning,
                test: Some(test.id.clone()),
                text: format!(
                    "{}: its median is only known to ±{half:.1}%, wider than its {threshold:.0}% threshold",
                    test.id
                ),
                recommendation: "raise its regression threshold, measure longer, or count instructions \
                                 (`--instructions`)"
                    .to_owned(),
            });
        }
    }
}

#[cfg(test)]
mod tests;
