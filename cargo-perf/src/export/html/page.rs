//! The page: a header with the verdict, the summary (what failed,
//! regressed or was not compared, findings with what to do, the
//! environment), a table of contents, the comparison, and one section per
//! test. One file with its style and a small checking script inline: it
//! opens offline.

use perf_record::{RunRecord, TestKind, TestOutcome, TestRecord};

use super::markup::{badge, table};
use super::safe::{Html, html};
use super::{bench, comparison, kinds, load};
use crate::export::Source;
use crate::export::advice::{Finding, Severity, findings};
use crate::report::table::display_names;
use crate::verdict::gate;

/// The style sheet.
const STYLE: &str = include_str!("style.css");

/// Records script errors before anything else runs.
const ON_ERROR: &str = "window.__errors=0;window.onerror=function(){window.__errors++;\
document.body&&document.body.setAttribute('data-script-errors',String(window.__errors));};";

/// Counts the charts, and those drawn (laid out with a size and at least
/// one mark), into attributes of `<body>` that a headless browser's DOM
/// dump shows.
const CHECK: &str = "(function(){var all=document.querySelectorAll('svg.chart'),drawn=0;\
for(var i=0;i<all.length;i++){var b=all[i].getBBox();\
if(b.width>0&&b.height>0&&all[i].querySelector('.mark'))drawn++;}\
var body=document.body;body.setAttribute('data-charts',String(all.length));\
body.setAttribute('data-charts-drawn',String(drawn));\
body.setAttribute('data-script-errors',String(window.__errors||0));})();";

/// The whole page.
pub(crate) fn render(source: &Source<'_>) -> String {
    let record = source.record;
    let found = findings(source);
    let name = display_names(record.tests.iter().map(|t| &t.id));
    let (verdict, class) = verdict(record, source, &found);
    let mut out = html!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>cargo perf: {}</title><style>{}</style><script>{}</script></head><body>",
        verdict,
        Html::markup(STYLE),
        Html::markup(ON_ERROR)
    );
    let commit = record
        .environment
        .git_commit
        .as_deref()
        .map(|c| {
            html!(
                ", commit {}{}",
                crate::environment::short_commit(c),
                if record.environment.git_dirty {
                    " (with uncommitted changes)"
                } else {
                    ""
                }
            )
        })
        .unwrap_or_default();
    out.push(&html!(
        "<header class=\"{}\"><h1>cargo perf report</h1><p class=\"verdict\">{}</p><p>{} test(s), run {}{}</p></header><main>",
        class,
        verdict,
        record.tests.len(),
        record.created_utc,
        commit
    ));
    out.push_markup(r#"<section id="summary"><h2>Summary</h2>"#);
    out.push(&findings_html(&found));
    out.push_markup("<h3>Environment</h3>");
    out.push(&environment(record));
    out.push_markup("</section>");
    out.push(&contents(record, source, &name));
    if let Some(comparison) = source.comparison {
        out.push_markup(r#"<section id="comparison"><h2>Comparison</h2>"#);
        out.push(&comparison::section(comparison, &name));
        out.push_markup("</section>");
    }
    if let Some((baseline, history)) = source.history {
        out.push(&html!(
            r#"<section id="history"><h2>History of {}</h2>"#,
            baseline
        ));
        out.push(&super::history::section(history, baseline, &name));
        out.push_markup("</section>");
    }
    for (i, test) in record.tests.iter().enumerate() {
        out.push(&test_section(i, test, &name(&test.id)));
    }
    out.push(&html!(
        "</main><footer>Written by cargo-perf {} from the run record (target/perf/latest.json).</footer>\
         <script>{}</script></body></html>\n",
        record.cargo_perf_version,
        Html::markup(CHECK)
    ));
    out.into_string()
}

/// The run's verdict in words, and its header's class.
fn verdict(record: &RunRecord, source: &Source<'_>, found: &[Finding]) -> (String, &'static str) {
    let gate = gate::Summary::of(&gate::of(record, source.comparison));
    let (failed, missed, regressed) = (gate.failed.len(), gate.missed.len(), gate.regressed.len());
    let mut parts = Vec::new();
    if failed > 0 {
        parts.push(format!("{failed} test(s) failed"));
    }
    if missed > 0 {
        parts.push(format!("{missed} missed a threshold"));
    }
    if regressed > 0 {
        parts.push(format!("{regressed} regressed"));
    }
    if parts.is_empty() {
        let warnings = found
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count();
        let text = if warnings > 0 {
            format!("PASSED, with {warnings} warning(s)")
        } else {
            "PASSED".to_owned()
        };
        (text, "pass")
    } else {
        (format!("FAILED: {}", parts.join(", ")), "fail")
    }
}

/// The findings, worst first, each with what to do.
fn findings_html(found: &[Finding]) -> Html {
    if found.is_empty() {
        return Html::markup(
            "<p>Nothing to report: every test passed, and nothing casts doubt on the figures.</p>",
        );
    }
    let mut out = Html::markup(r#"<ul class="findings">"#);
    for f in found {
        let class = match f.severity {
            Severity::Failure | Severity::Regression => "fail",
            Severity::Warning => "warn",
            Severity::Note => "note",
        };
        out.push(&html!(
            "<li>{} {}<br><span class=\"advice\">What to do: {}</span></li>",
            badge(class, f.severity.label()),
            f.text,
            f.recommendation
        ));
    }
    out.push_markup("</ul>");
    out
}

/// Where and from what the run was made.
fn environment(record: &RunRecord) -> Html {
    let e = &record.environment;
    let mut rows = vec![
        ("host", e.host.clone()),
        ("os / arch", format!("{} / {}", e.os, e.arch)),
        (
            "cpu",
            format!(
                "{} ({} logical)",
                e.cpu.as_deref().unwrap_or("unknown"),
                e.cpus
            ),
        ),
        ("rustc", e.rustc.clone()),
        ("profile", e.profile.clone()),
    ];
    if let Some(target) = &e.target {
        rows.push(("target", target.clone()));
    }
    if !e.features.is_empty() {
        rows.push(("features", e.features.join(", ")));
    }
    if let Some(commit) = &e.git_commit {
        rows.push((
            "commit",
            format!("{commit}{}", if e.git_dirty { " (dirty)" } else { "" }),
        ));
    }
    let rows: Vec<(&str, Vec<String>)> = rows
        .into_iter()
        .map(|(k, v)| ("", vec![k.to_owned(), v]))
        .collect();
    table(&["", ""], &rows)
}

/// Links to every section, each test with its status.
fn contents(
    record: &RunRecord,
    source: &Source<'_>,
    name: &dyn Fn(&perf_record::TestId) -> String,
) -> Html {
    let mut out =
        Html::markup(r##"<nav><h2>Contents</h2><ol><li><a href="#summary">Summary</a></li>"##);
    if source.comparison.is_some() {
        out.push_markup(r##"<li><a href="#comparison">Comparison</a></li>"##);
    }
    if source.history.is_some() {
        out.push_markup(r##"<li><a href="#history">History</a></li>"##);
    }
    // Each test's status in the words every report uses.
    let statuses = gate::of(source.record, source.comparison);
    for (i, (test, found)) in record.tests.iter().zip(&statuses).enumerate() {
        let status = found.status();
        let status = badge(if status.fails() { "fail" } else { "pass" }, status.label());
        out.push(&html!(
            "<li><a href=\"#test-{}\">{}</a> <span class=\"muted\">{}</span> {}</li>",
            i,
            name(&test.id),
            kind_name(test),
            status
        ));
    }
    out.push_markup("</ol></nav>");
    out
}

/// A test's kind in words: `benchmark`, `load`, or the catalogue kind.
fn kind_name(test: &TestRecord) -> String {
    match (
        &test.kind,
        test.load.as_ref().and_then(|l| l.sweep.as_ref()),
    ) {
        (TestKind::Bench, _) => "benchmark".to_owned(),
        (TestKind::Load, Some(sweep)) => sweep.kind.name().to_owned(),
        (TestKind::Load, None) => "load".to_owned(),
    }
}

/// One test's section.
fn test_section(i: usize, test: &TestRecord, name: &str) -> Html {
    let mut out = html!(
        "<section id=\"test-{}\" class=\"test\"><h2>{} <span class=\"muted\">{}</span></h2>",
        i,
        name,
        kind_name(test)
    );
    if let TestOutcome::Failed { message } = &test.outcome {
        out.push(&html!(
            "<p class=\"failed\">{} <code>{}</code></p>",
            badge("fail", "failed"),
            message
        ));
    }
    match &test.load {
        Some(stats) => {
            let kind = stats
                .sweep
                .as_ref()
                .map(|sweep| kinds::section(test, sweep))
                .unwrap_or_default();
            out.push(&load::section(test, stats, &kind));
        }
        None => out.push(&bench::section(test)),
    }
    out.push_markup("</section>");
    out
}
