//! The GitHub Actions job summary: when `GITHUB_STEP_SUMMARY` names a
//! file (GitHub sets it in every step), the run appends a Markdown
//! summary to it: the verdict in a heading, a table of every test with
//! regressions first, then failed tests and missed thresholds, and each
//! test's details folded in a `<details>` block.
//!
//! GitHub refuses a step's summary over 1 MiB. The summary stays under
//! [`BUDGET`]: past it the passing tests' rows and then the details are
//! left out, with a note that says so; the heading and the rows of the
//! tests that failed the gate are kept (a cell is cut at [`CELL_CHARS`]
//! characters, the whole text being in its details), shortened when they
//! alone would pass the limit, and only past that counted in a note.

use std::ffi::OsString;
use std::fmt::Write as _;

use super::gate_text;
use super::{Mode, Output, Source};
use crate::verdict::gate::{GatedTest, Status};

/// The variable GitHub Actions sets to the step's summary file.
pub(crate) const ENV: &str = "GITHUB_STEP_SUMMARY";

/// The most the summary may take: under GitHub's 1 MiB a step, with room
/// for what other commands of the step append.
pub(crate) const BUDGET: usize = 1_000_000;

/// The longest a table cell gets, in characters.
const CELL_CHARS: usize = 600;

/// The summary to append, when `GITHUB_STEP_SUMMARY` (given as `value`)
/// is set and not empty.
pub(crate) fn output(value: Option<OsString>) -> Option<Output> {
    let path = value.filter(|v| !v.is_empty())?;
    Some(Output {
        origin: ENV,
        path: path.into(),
        render,
        mode: Mode::Append,
    })
}

/// The Markdown summary, within [`BUDGET`].
fn render(source: &Source<'_>) -> String {
    render_within(source, BUDGET)
}

/// One row of the table and its details.
struct Row {
    status: Option<Status>,
    cells: [String; 3],
    details: String,
}

fn render_within(source: &Source<'_>, budget: usize) -> String {
    let tests = gate_text::of(source);
    let failing = tests.iter().any(|t| t.status().fails());
    let icon = if failing { "❌" } else { "✅" };
    let mut head = format!(
        "## {icon} cargo perf: {}\n\n",
        escape(&gate_text::headline(&tests))
    );
    if let Some(comparison) = source.comparison {
        let _ = writeln!(
            head,
            "Compared with {} (saved {}).\n",
            cell(&comparison.baseline_path),
            escape(&comparison.baseline_created_utc)
        );
    }
    head += "| test | verdict | what it came to |\n| --- | --- | --- |\n";

    let mut rows: Vec<Row> = tests.iter().map(row).collect();
    rows.extend(gate_text::not_run(source).iter().map(|id| Row {
        status: None,
        cells: [
            cell(&id.to_string()),
            "➖ not run".to_owned(),
            "in the baseline, not run now".to_owned(),
        ],
        details: String::new(),
    }));
    // In the listing order (regressions first); not run last. The sort is
    // stable: the record's order within a status.
    rows.sort_by_key(|r| r.status.map_or(usize::MAX, gate_text::listing_rank));
    let line = |r: &Row| format!("| {} | {} | {} |\n", r.cells[0], r.cells[1], r.cells[2]);

    // Room for the note on what was left out.
    let budget = budget.saturating_sub(400);
    let mut out = head;
    let mut left_out = 0;
    let mut failing_left_out = 0;
    // The failing rows are kept whole when they fit, else all shortened
    // (a summary over GitHub's limit would be refused whole), and only
    // past that counted in a note.
    let fails = |r: &Row| r.status.is_some_and(Status::fails);
    let failing: usize = rows
        .iter()
        .filter(|r| fails(r))
        .map(|r| line(r).len())
        .sum();
    let shorten = out.len() + failing > budget;
    for r in &rows {
        let text = if fails(r) && shorten {
            format!(
                "| {} | {} | {} |\n",
                r.cells[0],
                r.cells[1],
                cut_escaped(&r.cells[2], 80)
            )
        } else {
            line(r)
        };
        if out.len() + text.len() <= budget {
            out += &text;
        } else if fails(r) {
            failing_left_out += 1;
        } else {
            left_out += 1;
        }
    }
    if failing_left_out > 0 {
        let _ = writeln!(
            out,
            "\n_{failing_left_out} more failing test(s) left out to stay under GitHub's 1 MiB step summary; \
             the JUnit report (`--junit`) and target/perf/latest.json name them all._"
        );
    }
    out.push('\n');
    let advice = advice(source);
    if out.len() + advice.len() <= budget {
        out += &advice;
    }
    let mut details_left_out = 0;
    for r in rows.iter().filter(|r| !r.details.is_empty()) {
        if out.len() + r.details.len() <= budget {
            out += &r.details;
        } else {
            details_left_out += 1;
        }
    }
    if left_out + details_left_out > 0 {
        let _ = writeln!(
            out,
            "_Left out to stay under GitHub's 1 MiB step summary: {left_out} passing test row(s), \
             {details_left_out} test detail(s); the JUnit report (`--junit`) and \
             target/perf/latest.json have everything._\n"
        );
    }
    out
}

/// The findings of the HTML report's summary, each with what to do, as a
/// list (empty when there are none).
fn advice(source: &Source<'_>) -> String {
    let found = super::advice::findings(source);
    if found.is_empty() {
        return String::new();
    }
    let mut out = String::from("**What to do**\n\n");
    for finding in &found {
        let _ = writeln!(
            out,
            "- **{}**: {} _{}_",
            finding.severity.label(),
            cell(&finding.text),
            cell(&finding.recommendation)
        );
    }
    out.push('\n');
    out
}

fn row(gated: &GatedTest<'_>) -> Row {
    let test = gated.test;
    let status = gated.status();
    let icon = if status.fails() { "❌" } else { "✅" };
    let reasons = gate_text::reasons(gated);
    // What failed; else how it compared; else its figures.
    let summary = if !reasons.is_empty() {
        reasons.join("; ")
    } else if !gated.metrics.is_empty() {
        let changes: Vec<String> = gated
            .metrics
            .iter()
            .map(|m| gate_text::change_text(m))
            .collect();
        changes.join("; ")
    } else {
        gate_text::figures_text(test)
    };
    let mut items: Vec<String> = Vec::new();
    items.extend(gated.failure().map(|m| format!("failed: {m}")));
    let figures = gate_text::figures_text(test);
    if !figures.is_empty() {
        items.push(figures);
    }
    items.extend(gated.metrics.iter().map(|m| gate_text::change_text(m)));
    items.extend(test.thresholds.iter().map(gate_text::threshold_text));
    if let Some(load) = &test.load {
        items.extend(load.errors.iter().map(|(kind, errors)| {
            format!(
                "{} {kind} error(s), first: {}",
                errors.count,
                errors.first_messages.first().map_or("-", String::as_str)
            )
        }));
        items.extend(load.warnings.iter().map(|w| format!("warning: {w}")));
    }
    let mut details = format!(
        "<details><summary>{}: {}</summary>\n\n",
        html(&test.id.to_string()),
        status.label()
    );
    for item in &items {
        // A multi-line message stays in its item: each line a hard break.
        let lines: Vec<String> = item.lines().map(escape).collect();
        let _ = writeln!(details, "- {}", lines.join("<br>"));
    }
    details += "\n</details>\n\n";
    Row {
        status: Some(status),
        cells: [
            escape(&test.id.to_string()),
            format!("{icon} {}", status.label()),
            cell(&summary),
        ],
        details,
    }
}

/// Text for a table cell: on one line, cut at [`CELL_CHARS`], escaped.
fn cell(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > CELL_CHARS {
        let cut: String = one_line.chars().take(CELL_CHARS).collect();
        format!("{}… (see the details)", escape(&cut))
    } else {
        escape(&one_line)
    }
}

/// Escaped text cut at `chars` characters, never inside an escape (a
/// trailing lone backslash would escape the cell's closing `|`).
fn cut_escaped(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(chars).collect();
    let backslashes = cut.chars().rev().take_while(|&c| c == '\\').count();
    if backslashes % 2 == 1 {
        cut.pop();
    }
    cut + "…"
}

/// Text as Markdown that shows it as it is: the characters Markdown (and
/// a table's `|`) would read as syntax escaped with a backslash, and
/// terminal colour escapes removed.
fn escape(text: &str) -> String {
    let plain = anstream::adapter::strip_str(text).to_string();
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        if "\\`*_[]<>|~&#!".contains(c) {
            out.push('\\');
        }
        if !c.is_control() || c == '\n' {
            out.push(c);
        }
    }
    out
}

/// Text inside HTML (`<summary>`), where Markdown is not read.
fn html(text: &str) -> String {
    anstream::adapter::strip_str(text)
        .to_string()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests;
