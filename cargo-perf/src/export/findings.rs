//! What each test of a run came to, told the same way in every CI format.
//! A test fails the gate when it failed (panicked or reported a failure),
//! missed an SLA threshold, or regressed beyond its threshold: the rule
//! the exit code follows (`app::outcome`).

use perf_record::format;
use perf_record::metric::Metric;
use perf_record::threshold::ThresholdResult;
use perf_record::{TestId, TestOutcome, TestRecord};

use super::Source;
use crate::verdict::compare::{TestComparison, Verdict};

/// Where a test stands, worst first: the order of the summaries' tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// A metric regressed beyond its threshold.
    Regressed,
    /// The test failed or panicked.
    Failed,
    /// It missed an SLA threshold.
    Missed,
    /// A metric improved, none regressed.
    Improved,
    /// Nothing went wrong.
    Passed,
}

impl Status {
    /// The word in the summaries.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Regressed => "regressed",
            Self::Failed => "failed",
            Self::Missed => "missed a threshold",
            Self::Improved => "improved",
            Self::Passed => "passed",
        }
    }

    /// Whether it fails the run.
    pub(crate) fn fails(self) -> bool {
        self <= Self::Missed
    }
}

/// One test with its compared metrics.
pub(crate) struct TestFindings<'a> {
    /// The test as recorded.
    pub(crate) test: &'a TestRecord,
    /// Its metrics in the comparison (none without one).
    pub(crate) metrics: Vec<&'a TestComparison>,
}

impl TestFindings<'_> {
    /// The failure message, when the test failed.
    pub(crate) fn failure(&self) -> Option<&str> {
        match &self.test.outcome {
            TestOutcome::Passed => None,
            TestOutcome::Failed { message } => Some(message),
        }
    }

    /// The thresholds it missed.
    pub(crate) fn missed(&self) -> impl Iterator<Item = &ThresholdResult> {
        self.test.thresholds.iter().filter(|r| !r.passed)
    }

    /// The metrics that regressed.
    pub(crate) fn regressions(&self) -> impl Iterator<Item = &TestComparison> {
        self.metrics
            .iter()
            .copied()
            .filter(|m| m.verdict == Verdict::Regressed)
    }

    /// Its worst status.
    pub(crate) fn status(&self) -> Status {
        if self.regressions().next().is_some() {
            Status::Regressed
        } else if self.failure().is_some() {
            Status::Failed
        } else if self.missed().next().is_some() {
            Status::Missed
        } else if self.metrics.iter().any(|m| m.verdict == Verdict::Improved) {
            Status::Improved
        } else {
            Status::Passed
        }
    }

    /// Why it fails the run, one reason a line: the failure, each
    /// regression, each missed threshold.
    pub(crate) fn reasons(&self) -> Vec<String> {
        let failure = self.failure().map(|m| format!("failed: {m}"));
        let regressions = self.regressions().map(change_text);
        let missed = self.missed().map(threshold_text);
        failure
            .into_iter()
            .chain(regressions)
            .chain(missed)
            .collect()
    }
}

/// Every test of the run, in the record's order, with its metrics.
pub(crate) fn of<'a>(source: &Source<'a>) -> Vec<TestFindings<'a>> {
    source
        .record
        .tests
        .iter()
        .map(|test| TestFindings {
            test,
            metrics: source
                .comparison
                .map(|c| c.tests.iter().filter(|m| m.id == test.id).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// The tests in the baseline that did not run now.
pub(crate) fn not_run<'a>(source: &Source<'a>) -> &'a [TestId] {
    source
        .comparison
        .map_or(&[], |c| c.only_in_baseline.as_slice())
}

/// The run in one sentence: how many tests, and what failed the gate.
pub(crate) fn headline(findings: &[TestFindings<'_>]) -> String {
    let count = |status: Status| findings.iter().filter(|f| f.status() == status).count();
    let failing = findings.iter().filter(|f| f.status().fails()).count();
    let parts: Vec<String> = [Status::Regressed, Status::Failed, Status::Missed]
        .into_iter()
        .filter(|&s| count(s) > 0)
        .map(|s| format!("{} {}", count(s), s.label()))
        .collect();
    let improved = match count(Status::Improved) {
        0 => String::new(),
        n => format!(" ({n} improved)"),
    };
    if failing == 0 {
        format!("{} perf test(s) passed{improved}", findings.len())
    } else {
        format!(
            "{failing} of {} perf test(s) failed the gate: {}{improved}",
            findings.len(),
            parts.join(", ")
        )
    }
}

/// A change in its unit: percent, or a difference in the metric's unit
/// (points for the error rate) for the metrics held to a difference.
fn change_of(metric: Metric, change: f64) -> String {
    match metric.absolute_limit() {
        Some(_) => metric.difference_text(change),
        None => format::change_pct(change),
    }
}

/// The limit a metric is held to, in the same unit as [`change_of`].
fn limit_of(metric: &TestComparison) -> String {
    match metric.metric.absolute_limit() {
        Some(limit) => metric.metric.absolute_limit_text(limit),
        None => format!("{}%", metric.threshold_pct),
    }
}

/// A compared metric in one line: the change, its 95% interval, the
/// threshold, the two values, and what a confirming re-run found.
pub(crate) fn change_text(metric: &TestComparison) -> String {
    let mut text = format!(
        "{} {}",
        metric.metric.prose,
        metric.verdict.label().to_lowercase()
    );
    if let Some(change) = metric.change_pct {
        text += &format!(" {}", change_of(metric.metric, change));
    }
    if let Some(estimate) = metric.estimate {
        text += &format!(
            " (95% CI {} .. {})",
            change_of(metric.metric, estimate.ci_pct[0]),
            change_of(metric.metric, estimate.ci_pct[1])
        );
    }
    text += &format!(", threshold {}", limit_of(metric));
    if let (Some(base), Some(current)) = (metric.baseline_value, metric.current_value) {
        text += &format!(
            ": {} -> {}",
            metric.metric.value_text(base),
            metric.metric.value_text(current)
        );
    }
    match metric.confirmation {
        Some(c) if c.confirmed => text += ", confirmed by a re-run",
        Some(c) => {
            let again = c
                .change_pct
                .map_or("-".to_owned(), |c| change_of(metric.metric, c));
            text += &format!(", not confirmed by a re-run ({again})");
        }
        None => {}
    }
    text
}

/// A threshold in one line: as written, met or missed, the measured value
/// (or why nothing was measured) and the limit.
pub(crate) fn threshold_text(result: &ThresholdResult) -> String {
    let threshold = &result.threshold;
    let verdict = if result.passed { "met" } else { "missed" };
    let measured = match (&result.unmeasured_why, result.unmeasured) {
        (Some(why), _) => format!("not measurable ({why})"),
        (None, true) => "measured nothing (no response to judge it on)".to_owned(),
        (None, false) => format!("measured {}", threshold.metric.threshold_text(result.value)),
    };
    format!(
        "threshold {} {verdict}: {measured}, limit {}",
        threshold.label(),
        threshold.metric.threshold_text(threshold.limit)
    )
}

/// A test's headline figures in one line (empty for a failed test).
pub(crate) fn figures_text(test: &TestRecord) -> String {
    let mut parts = Vec::new();
    if let Some(stats) = &test.stats {
        parts.push(format!(
            "median {} (95% CI {} .. {})",
            Metric::MEDIAN.value_text(stats.median_ns),
            Metric::MEDIAN.value_text(stats.median_ci_low_ns),
            Metric::MEDIAN.value_text(stats.median_ci_high_ns)
        ));
        parts.push(format!(
            "{} rounds x {} iterations",
            stats.rounds, stats.iterations_per_round
        ));
    }
    if let Some(count) = &test.instructions {
        parts.push(format!(
            "{:.0} instructions per iteration",
            count.per_iteration
        ));
    }
    if let Some(load) = &test.load {
        let l = &load.latency;
        parts.push(format!(
            "{} requests at {:.1} req/s, {:.2}% errors",
            load.requests, load.rps, load.error_rate_pct
        ));
        parts.push(format!(
            "latency p50 {}, p95 {}, p99 {}, max {}",
            format::latency(l.p50_us as f64),
            format::latency(l.p95_us as f64),
            format::latency(l.p99_us as f64),
            format::latency(l.max_us as f64)
        ));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn each_test_gets_its_worst_status_and_every_reason() {
        let (record, comparison) = (sample::record(), sample::comparison());
        let source = Source {
            record: &record,
            comparison: Some(&comparison),
            history: None,
        };
        let findings = of(&source);
        let statuses: Vec<Status> = findings.iter().map(TestFindings::status).collect();
        assert_eq!(
            statuses,
            [
                Status::Regressed,
                Status::Passed,
                Status::Failed,
                Status::Missed
            ]
        );
        assert_eq!(
            findings[0].reasons(),
            [
                "median regressed +95.0% (95% CI +90.1% .. +101.2%), threshold 10%: \
              2.000 µs -> 3.900 µs, confirmed by a re-run"
            ]
        );
        assert_eq!(
            findings[3].reasons(),
            ["threshold Requirement 9.3: p95 <= 50ms missed: measured 95.04 ms, limit 50.00 ms"]
        );
        assert_eq!(
            headline(&findings),
            "3 of 4 perf test(s) failed the gate: 1 regressed, 1 failed, 1 missed a threshold"
        );
        assert_eq!(not_run(&source), [sample::id("perf", "retired")]);
    }

    #[test]
    fn a_clean_run_says_so() {
        let record = perf_record::RunRecord {
            tests: vec![sample::bench("a", 10.0)],
            ..sample::record()
        };
        let source = Source {
            record: &record,
            comparison: None,
            history: None,
        };
        assert_eq!(headline(&of(&source)), "1 perf test(s) passed");
        assert_eq!(
            figures_text(&record.tests[0]),
            "median 10.00 ns (95% CI 9.900 ns .. 10.10 ns); 100 rounds x 1000 iterations"
        );
    }
}
