//! `--junit PATH`: the run as JUnit XML, the test report every CI system
//! reads (GitLab's `artifacts:reports:junit`, Jenkins' `junit` step,
//! GitHub's test-reporter actions). One `<testsuite>` per perf target,
//! one `<testcase>` per perf test, with a `<failure>` when the test
//! failed, missed an SLA threshold or regressed; the headline figures in
//! its `<system-out>`, which the reporters show beside it.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite, XmlString};

use super::Source;
use super::gate_text;
use crate::verdict::gate::{Breach, GatedTest, Status};

/// The XML document.
pub(crate) fn render(source: &Source<'_>) -> String {
    let tests = gate_text::of(source);
    let record = source.record;
    let mut properties = vec![
        ("verdict", gate_text::headline(&tests)),
        ("cargo_perf_version", record.cargo_perf_version.clone()),
    ];
    if let Some(commit) = &record.environment.git_commit {
        properties.push(("git_commit", commit.clone()));
    }
    if let Some(comparison) = source.comparison {
        properties.push(("baseline", comparison.baseline_path.clone()));
    }
    let timestamp = i64::try_from(record.created_unix_s)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0));
    // One suite per perf target, in the order its first test ran.
    let mut suites: Vec<TestSuite> = Vec::new();
    let mut add = |target: String, case: TestCase| {
        let name = xml(&target);
        let at = match suites.iter().position(|s| s.name == name) {
            Some(at) => at,
            None => {
                let mut suite = TestSuite::new(name);
                if let Some(timestamp) = timestamp {
                    suite.set_timestamp(timestamp);
                }
                suite.set_time(Duration::ZERO);
                suite
                    .extra
                    .insert("hostname".into(), xml(&record.environment.host));
                suite.add_properties(
                    properties
                        .iter()
                        .map(|(name, value)| quick_junit::Property::new(*name, xml(value))),
                );
                suites.push(suite);
                suites.len() - 1
            }
        };
        let suite = &mut suites[at];
        suite.time = Some(suite.time.unwrap_or_default() + case.time.unwrap_or_default());
        suite.add_test_case(case);
    };
    for gated in &tests {
        let id = &gated.test.id;
        add(format!("{}/{}", id.package, id.target), case(gated));
    }
    let baseline = source.comparison.map(|c| c.baseline_path.as_str());
    for id in gate_text::not_run(source) {
        let target = format!("{}/{}", id.package, id.target);
        let mut status = TestCaseStatus::skipped();
        status.set_message(xml(&format!(
            "in the baseline {} but not run now",
            baseline.unwrap_or_default()
        )));
        let mut case = TestCase::new(xml(&id.name), status);
        case.set_classname(xml(&target)).set_time(Duration::ZERO);
        add(target, case);
    }

    let mut report = Report::new("cargo perf");
    if let Some(timestamp) = timestamp {
        report.set_timestamp(timestamp);
    }
    report.set_time(suites.iter().filter_map(|s| s.time).sum());
    report.add_test_suites(suites);
    let mut out = Vec::new();
    // Into memory: the writer cannot fail, and every piece is a `str`.
    match report.serialize(&mut out) {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(error) => unreachable!("serializing JUnit XML into memory failed: {error}"),
    }
}

/// One perf test, with a `<failure>` typed `failure`, `threshold` or
/// `regression` when it fails the gate (its reasons in the message and
/// one a line in the body), and its figures, every metric and threshold
/// in `<system-out>`.
fn case(gated: &GatedTest<'_>) -> TestCase {
    let test = gated.test;
    let status = gated.status();
    let reasons = gate_text::reasons(gated);
    let junit_status = if status.fails() {
        let kind = match status {
            Status::Fails(Breach::Regressed) => "regression",
            Status::Fails(Breach::Missed) => "threshold",
            _ => "failure",
        };
        let mut failure = TestCaseStatus::non_success(NonSuccessKind::Failure);
        failure
            .set_type(kind)
            .set_message(xml(&one_line(&reasons.join("; "))))
            .set_description(xml(&reasons.join("\n")));
        failure
    } else {
        TestCaseStatus::success()
    };
    // Every metric and threshold, met or not, after the figures.
    let out = std::iter::once(gate_text::figures_text(test))
        .filter(|line| !line.is_empty())
        .chain(gated.metrics.iter().map(|m| gate_text::change_text(m)))
        .chain(test.thresholds.iter().map(gate_text::threshold_text))
        .collect::<Vec<_>>()
        .join("\n");
    let mut case = TestCase::new(xml(&test.id.name), junit_status);
    case.set_classname(xml(&format!("{}/{}", test.id.package, test.id.target)))
        .set_time(Duration::try_from_secs_f64(measured_s(test)).unwrap_or_default());
    if !out.is_empty() {
        case.set_system_out(xml(&out));
    }
    case
}

/// The time a test measured: a benchmark's timed iterations, a load
/// test's duration.
fn measured_s(test: &perf_record::TestRecord) -> f64 {
    let bench = test
        .stats
        .as_ref()
        .map_or(0.0, |s| s.iterations as f64 * s.mean_ns / 1e9);
    let load = test.load.as_ref().map_or(0.0, |l| l.duration_s);
    bench + load
}

/// Text as XML takes it: quick-junit's [`XmlString`] strips terminal
/// colour escapes and the control characters XML 1.0 does not allow; this
/// drops the two noncharacters it leaves (U+FFFE, U+FFFF), which XML 1.0
/// does not allow either.
fn xml(raw: &str) -> XmlString {
    XmlString::new(raw.replace(['\u{FFFE}', '\u{FFFF}'], ""))
}

/// An attribute value on one line: XML reads a line break in an attribute
/// as a space (quick-junit writes it as it is), so the message says so
/// itself; the failure's body keeps the lines.
fn one_line(text: &str) -> String {
    text.lines().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
