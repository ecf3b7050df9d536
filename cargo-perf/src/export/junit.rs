//! `--junit PATH`: the run as JUnit XML, the test report every CI system
//! reads (GitLab's `artifacts:reports:junit`, Jenkins' `junit` step,
//! GitHub's test-reporter actions). One `<testsuite>` per perf target,
//! one `<testcase>` per perf test, with a `<failure>` when the test
//! failed, missed an SLA threshold or regressed; the headline figures in
//! its `<system-out>`, which the reporters show beside it.

use std::fmt::Write as _;

use super::Source;
use super::gate_text;
use crate::verdict::gate::{Breach, GatedTest, Status};

/// The XML document.
pub(crate) fn render(source: &Source<'_>) -> String {
    let tests = gate_text::of(source);
    let mut suites: Vec<Suite> = Vec::new();
    for gated in &tests {
        let id = &gated.test.id;
        let name = format!("{}/{}", id.package, id.target);
        let case = Case::of(gated);
        match suites.iter_mut().find(|s| s.name == name) {
            Some(suite) => suite.cases.push(case),
            None => suites.push(Suite {
                name,
                cases: vec![case],
            }),
        }
    }
    let baseline = source.comparison.map(|c| c.baseline_path.as_str());
    for id in gate_text::not_run(source) {
        let name = format!("{}/{}", id.package, id.target);
        let case = Case {
            classname: name.clone(),
            name: id.name.clone(),
            time_s: 0.0,
            failure: None,
            skipped: Some(format!(
                "in the baseline {} but not run now",
                baseline.unwrap_or_default()
            )),
            out: String::new(),
        };
        match suites.iter_mut().find(|s| s.name == name) {
            Some(suite) => suite.cases.push(case),
            None => suites.push(Suite {
                name,
                cases: vec![case],
            }),
        }
    }

    let record = source.record;
    let total = |count: &dyn Fn(&Suite) -> usize| suites.iter().map(count).sum::<usize>();
    let time_s: f64 = suites.iter().map(Suite::time_s).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"cargo perf\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{time_s:.3}\" timestamp=\"{}\">",
        total(&|s| s.cases.len()),
        total(&Suite::failures),
        total(&Suite::skipped),
        attr(&record.created_utc)
    );
    let headline = gate_text::headline(&tests);
    let mut properties = vec![
        ("verdict", headline),
        ("cargo_perf_version", record.cargo_perf_version.clone()),
    ];
    if let Some(commit) = &record.environment.git_commit {
        properties.push(("git_commit", commit.clone()));
    }
    if let Some(comparison) = source.comparison {
        properties.push(("baseline", comparison.baseline_path.clone()));
    }
    for suite in &suites {
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3}\" timestamp=\"{}\" hostname=\"{}\">",
            attr(&suite.name),
            suite.cases.len(),
            suite.failures(),
            suite.skipped(),
            suite.time_s(),
            attr(&record.created_utc),
            attr(&record.environment.host)
        );
        xml += "    <properties>\n";
        for (name, value) in &properties {
            let _ = writeln!(
                xml,
                "      <property name=\"{name}\" value=\"{}\"/>",
                attr(value)
            );
        }
        xml += "    </properties>\n";
        for case in &suite.cases {
            case.write(&mut xml);
        }
        xml += "  </testsuite>\n";
    }
    xml += "</testsuites>\n";
    xml
}

/// The test cases of one perf target.
struct Suite {
    name: String,
    cases: Vec<Case>,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }

    fn skipped(&self) -> usize {
        self.cases.iter().filter(|c| c.skipped.is_some()).count()
    }

    fn time_s(&self) -> f64 {
        self.cases.iter().map(|c| c.time_s).sum()
    }
}

/// One perf test.
struct Case {
    classname: String,
    name: String,
    time_s: f64,
    /// `(type, message, body)`.
    failure: Option<(&'static str, String, String)>,
    skipped: Option<String>,
    out: String,
}

impl Case {
    fn of(gated: &GatedTest<'_>) -> Self {
        let test = gated.test;
        let status = gated.status();
        let reasons = gate_text::reasons(gated);
        let failure = status.fails().then(|| {
            let kind = match status {
                Status::Fails(Breach::Regressed) => "regression",
                Status::Fails(Breach::Missed) => "threshold",
                _ => "failure",
            };
            (kind, reasons.join("; "), reasons.join("\n"))
        });
        // Every metric and threshold, met or not, after the figures.
        let lines = std::iter::once(gate_text::figures_text(test))
            .filter(|line| !line.is_empty())
            .chain(gated.metrics.iter().map(|m| gate_text::change_text(m)))
            .chain(test.thresholds.iter().map(gate_text::threshold_text));
        Case {
            classname: format!("{}/{}", test.id.package, test.id.target),
            name: test.id.name.clone(),
            time_s: measured_s(test),
            failure,
            skipped: None,
            out: lines.collect::<Vec<_>>().join("\n"),
        }
    }

    fn write(&self, xml: &mut String) {
        let _ = write!(
            xml,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
            attr(&self.classname),
            attr(&self.name),
            self.time_s
        );
        if self.failure.is_none() && self.skipped.is_none() && self.out.is_empty() {
            xml.push_str("/>\n");
            return;
        }
        xml.push_str(">\n");
        if let Some(message) = &self.skipped {
            let _ = writeln!(xml, "      <skipped message=\"{}\"/>", attr(message));
        }
        if let Some((kind, message, body)) = &self.failure {
            let _ = writeln!(
                xml,
                "      <failure type=\"{kind}\" message=\"{}\">{}</failure>",
                attr(message),
                text(body)
            );
        }
        if !self.out.is_empty() {
            let _ = writeln!(xml, "      <system-out>{}</system-out>", text(&self.out));
        }
        xml.push_str("    </testcase>\n");
    }
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

/// Text as XML character data: markup escaped, terminal colour escapes
/// removed, and characters XML 1.0 does not allow dropped.
fn text(raw: &str) -> String {
    let plain = anstream::adapter::strip_str(raw).to_string();
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Text as an attribute value: [`text`], with quotes and line breaks as
/// references so that they survive attribute normalization.
fn attr(raw: &str) -> String {
    text(raw)
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

/// XML 1.0's `Char` production, less the whitespace handled apart.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests;
