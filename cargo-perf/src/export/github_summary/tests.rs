//! The job summary read back with a CommonMark parser (GFM tables on, as
//! GitHub renders it).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::*;
use crate::sample;

/// What a reader sees: the heading's text, the table's rows as cell
/// texts, the raw HTML blocks, and the list items' texts.
#[derive(Debug, Default)]
struct Read {
    heading: String,
    rows: Vec<Vec<String>>,
    html: Vec<String>,
    items: Vec<String>,
}

fn read(markdown: &str) -> Read {
    let mut read = Read::default();
    let (mut in_heading, mut in_cell, mut in_item) = (false, false, false);
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::TableHead | Tag::TableRow) => read.rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                read.rows.last_mut().unwrap().push(String::new());
            }
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::Start(Tag::Item) => {
                in_item = true;
                read.items.push(String::new());
            }
            Event::End(TagEnd::Item) => in_item = false,
            Event::Html(html) => read.html.push(html.to_string()),
            Event::Text(text) | Event::Code(text) => {
                if in_heading {
                    read.heading += &text;
                } else if in_cell {
                    *read.rows.last_mut().unwrap().last_mut().unwrap() += &text;
                } else if in_item {
                    *read.items.last_mut().unwrap() += &text;
                }
            }
            Event::InlineHtml(html) if in_item => *read.items.last_mut().unwrap() += &html,
            _ => {}
        }
    }
    read
}

fn sample_summary() -> String {
    let (record, comparison) = (sample::record(), sample::comparison());
    render(&Source {
        record: &record,
        comparison: Some(&comparison),
        history: None,
    })
}

#[test]
fn the_table_puts_regressions_first_then_failures_and_shows_names_as_they_are() {
    let read = read(&sample_summary());
    assert_eq!(
        read.heading,
        "❌ cargo perf: 3 of 4 perf test(s) failed the gate: 1 regressed, 1 failed, 1 missed a threshold"
    );
    let table: Vec<(&str, &str)> = read
        .rows
        .iter()
        .map(|r| {
            assert_eq!(r.len(), 3, "{r:?}");
            (r[0].as_str(), r[1].as_str())
        })
        .collect();
    let odd = format!("demo/perf::{}", sample::ODD_NAME);
    assert_eq!(
        table,
        [
            ("test", "verdict"),
            ("demo/perf::checksum_64k", "❌ regressed"),
            ("demo/perf::explodes", "❌ failed"),
            ("demo/load::browse_catalog", "❌ missed a threshold"),
            (odd.as_str(), "✅ passed"),
            ("demo/perf::retired", "➖ not run"),
        ]
    );
    assert_eq!(
        read.rows[1][2],
        "median regressed +95.0% (95% CI +90.1% .. +101.2%), threshold 10%: \
         2.000 µs -> 3.900 µs, confirmed by a re-run"
    );
    // The panic's markup, pipe and line break stay text, in one cell.
    assert_eq!(
        read.rows[2][2],
        "failed: panicked at benches/perf.rs:42:9: index <7> & len 3|oops second line"
    );
    assert_eq!(
        read.rows[3][2],
        "threshold Requirement 9.3: p95 <= 50ms missed: measured 95.04 ms, limit 50.00 ms"
    );
}

#[test]
fn each_test_has_its_details_folded() {
    let read = read(&sample_summary());
    let summaries: Vec<&str> = read
        .html
        .iter()
        .filter_map(|h| h.strip_prefix("<details><summary>"))
        .map(|h| h.trim_end().trim_end_matches("</summary>"))
        .collect();
    assert_eq!(
        summaries,
        [
            "demo/perf::checksum_64k: regressed",
            "demo/perf::explodes: failed",
            "demo/load::browse_catalog: missed a threshold",
            "demo/perf::parse &lt;a|b&gt; *fast*, \"quoted\": passed",
        ]
    );
    assert_eq!(
        read.html
            .iter()
            .filter(|h| h.trim() == "</details>")
            .count(),
        4
    );
    for expected in [
        "instructions per iteration",
        "failed: panicked at benches/perf.rs:42:9: index <7> & len 3|oops<br>second line",
        "threshold rps >= 10 met: measured 50.0 req/s, limit 10.0 req/s",
        "3 status error(s), first: POST /orders: expected status 200, got 503",
        "median unchanged +0.8% (95% CI -1.0% .. +2.5%), threshold 10%: 1.190 µs -> 1.200 µs",
    ] {
        assert!(
            read.items.iter().any(|i| i.contains(expected)),
            "{expected:?} not in {:#?}",
            read.items
        );
    }
}

/// A run of one regression, one test failed with a message of `message_len`
/// bytes, and `passing` unchanged benchmarks.
fn big_run(failed: usize, message_len: usize, passing: usize) -> perf_record::RunRecord {
    let mut tests = vec![sample::bench("checksum_64k", 3_900.0)];
    for i in 0..failed {
        let mut test = sample::bench(&format!("explodes_{i}"), 1.0);
        test.stats = None;
        test.outcome = perf_record::TestOutcome::Failed {
            message: "x|".repeat(message_len / 2),
        };
        tests.push(test);
    }
    tests.extend((0..passing).map(|i| sample::bench(&format!("fine_{i}"), 100.0)));
    perf_record::RunRecord {
        tests,
        ..sample::record()
    }
}

#[test]
fn past_the_budget_passing_rows_and_details_go_but_never_the_failures() {
    let record = big_run(1, 10_000, 200);
    let comparison = sample::comparison();
    let source = Source {
        record: &record,
        comparison: Some(&comparison),
        history: None,
    };
    let budget = 8_000;
    let text = render_within(&source, budget);
    assert!(text.len() <= budget, "{}", text.len());
    let read = read(&text);
    assert!(
        read.heading
            .contains("2 of 202 perf test(s) failed the gate")
    );
    let first: Vec<&str> = read.rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        first[..2],
        ["demo/perf::checksum_64k", "demo/perf::explodes_0"]
    );
    // The long message is cut in its cell, whose row stays whole.
    assert!(
        read.rows[2][2].ends_with("… (see the details)"),
        "{}",
        read.rows[2][2]
    );
    assert_eq!(read.rows[2].len(), 3);
    assert!(
        read.rows.len() < 203 && read.rows.len() > 10,
        "{}",
        read.rows.len()
    );
    assert!(text.contains("Left out to stay under GitHub's 1 MiB step summary"));
}

#[test]
fn a_huge_run_stays_under_githubs_limit() {
    let record = big_run(40, 40_000, 2_000);
    let comparison = sample::comparison();
    let text = render(&Source {
        record: &record,
        comparison: Some(&comparison),
        history: None,
    });
    assert!(text.len() <= BUDGET && BUDGET < 1 << 20, "{}", text.len());
    let read = read(&text);
    let failing = read.rows.iter().filter(|r| r[1].starts_with('❌')).count();
    assert_eq!(failing, 41);
    assert!(text.contains("test detail(s)"));
}

#[test]
fn thousands_of_failing_tests_are_shortened_then_counted_never_over_the_limit() {
    let comparison = sample::comparison();
    for failed in [2_000, 8_000] {
        let record = big_run(failed, 2_000, 0);
        let text = render(&Source {
            record: &record,
            comparison: Some(&comparison),
            history: None,
        });
        assert!(text.len() <= BUDGET, "{failed}: {}", text.len());
        let read = read(&text);
        let shown = read.rows.iter().filter(|r| r[1].starts_with('❌')).count();
        if failed == 2_000 {
            assert_eq!(shown, 2_001, "every failing row, shortened");
        } else {
            assert!(shown < 8_001, "{shown}");
            assert!(text.contains("more failing test(s) left out"), "{shown}");
        }
    }
}

#[test]
fn a_cut_never_leaves_a_lone_backslash() {
    assert_eq!(super::cut_escaped("ab\\|cd", 3), "ab…");
    assert_eq!(super::cut_escaped("a\\\\|", 3), "a\\\\…");
    assert_eq!(super::cut_escaped("short", 80), "short");
}

#[test]
fn only_a_set_variable_asks_for_it() {
    assert!(output(None).is_none());
    assert!(output(Some(OsString::new())).is_none());
    let summary = output(Some("/tmp/summary.md".into())).unwrap();
    assert!(summary.mode == Mode::Append && summary.origin == ENV);
}

#[test]
fn escaping_keeps_text_as_text() {
    assert_eq!(escape("a|b *c* <d> `e`"), r"a\|b \*c\* \<d\> \`e\`");
    assert_eq!(html("<a & b>"), "&lt;a &amp; b&gt;");
}

#[test]
fn the_findings_come_with_what_to_do() {
    let text = sample_summary();
    let read = read(&text);
    let advice: Vec<&String> = read
        .items
        .iter()
        .filter(|i| i.starts_with("regression: ") || i.starts_with("failure: "))
        .collect();
    assert!(
        advice
            .iter()
            .any(|i| i.starts_with("regression: demo/perf::checksum_64k")
                && i.contains("cargo perf --compare-ref <commit>")),
        "{advice:#?}"
    );
    // Before the folded details.
    assert!(text.find("**What to do**") < text.find("<details>"));
}
