//! What each test of a run came to at the gate, told the same way in every
//! CI format: the words for [`crate::verdict::gate`]'s rule, which the exit
//! code follows too.

use perf_record::threshold::ThresholdResult;
use perf_record::{TestId, TestRecord};

use super::Source;
use crate::verdict::compare::TestComparison;
use crate::verdict::gate::{self, Breach, GatedTest, Status};
use perf_record::format;
use perf_record::metric::Metric;

/// The order the summaries list tests in, and count them in their
/// headline: regressions first, then failed tests, then missed thresholds
/// (README: the job summary's table), then improved and passed tests. A
/// listing order only: which breach names a test, and which decides the
/// exit code, is [`Breach`]'s severity order.
const LISTED: [Status; 5] = [
    Status::Fails(Breach::Regressed),
    Status::Fails(Breach::Failed),
    Status::Fails(Breach::Missed),
    Status::Improved,
    Status::Passed,
];

/// Where a status is listed (see [`LISTED`]).
pub(crate) fn listing_rank(status: Status) -> usize {
    LISTED
        .iter()
        .position(|&s| s == status)
        .unwrap_or(LISTED.len())
}

/// Why a test fails the run, one reason a line: the failure, each
/// regression, each missed threshold.
pub(crate) fn reasons(test: &GatedTest<'_>) -> Vec<String> {
    let failure = test.failure().map(|m| format!("failed: {m}"));
    let regressions = test.regressions().map(change_text);
    let missed = test.missed().map(threshold_text);
    failure
        .into_iter()
        .chain(regressions)
        .chain(missed)
        .collect()
}

/// Every test of the run at the gate, in the record's order.
pub(crate) fn of<'a>(source: &Source<'a>) -> Vec<GatedTest<'a>> {
    gate::of(source.record, source.comparison)
}

/// The tests in the baseline that did not run now.
pub(crate) fn not_run<'a>(source: &Source<'a>) -> &'a [TestId] {
    source
        .comparison
        .map_or(&[], |c| c.only_in_baseline.as_slice())
}

/// The run in one sentence: how many tests, and what failed the gate.
pub(crate) fn headline(tests: &[GatedTest<'_>]) -> String {
    let count = |status: Status| tests.iter().filter(|t| t.status() == status).count();
    let failing = tests.iter().filter(|t| t.status().fails()).count();
    let parts: Vec<String> = LISTED
        .into_iter()
        .filter(|&s| s.fails() && count(s) > 0)
        .map(|s| format!("{} {}", count(s), s.label()))
        .collect();
    let improved = match count(Status::Improved) {
        0 => String::new(),
        n => format!(" ({n} improved)"),
    };
    if failing == 0 {
        format!("{} perf test(s) passed{improved}", tests.len())
    } else {
        format!(
            "{failing} of {} perf test(s) failed the gate: {}{improved}",
            tests.len(),
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
        (None, false) => format!("measured {}", result.value_text()),
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
    fn each_test_is_listed_by_its_status_with_every_reason() {
        let (record, comparison) = (sample::record(), sample::comparison());
        let source = Source {
            record: &record,
            comparison: Some(&comparison),
            history: None,
        };
        let tests = of(&source);
        let mut ranks: Vec<usize> = tests.iter().map(|t| listing_rank(t.status())).collect();
        ranks.sort_unstable();
        assert_eq!(ranks, [0, 1, 2, 4], "regressed, failed, missed, passed");
        assert_eq!(
            reasons(&tests[0]),
            [
                "median regressed +95.0% (95% CI +90.1% .. +101.2%), threshold 10%: \
              2.000 µs -> 3.900 µs, confirmed by a re-run"
            ]
        );
        assert_eq!(
            reasons(&tests[3]),
            ["threshold Requirement 9.3: p95 <= 50ms missed: measured 95.04 ms, limit 50.00 ms"]
        );
        assert_eq!(
            headline(&tests),
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
