//! The report of a comparison: each metric's change, interval, threshold
//! and verdict, what is on one side only, and the noise.

use std::fmt::{self, Write};
use std::path::Path;

use super::table::{BOLD, GREEN, RED, RESET, Table, YELLOW, display_names, rendered};
use crate::verdict::compare::{CompareMode, Comparison, Verdict};
use crate::verdict::comparison::TestComparison;

/// The comparison with a baseline.
pub fn print_comparison(comparison: &Comparison) {
    anstream::print!("{}", render_comparison(comparison));
}

/// The comparison with a baseline, rendered with its colours.
pub(super) fn render_comparison(comparison: &Comparison) -> String {
    rendered(|out| write_comparison(out, comparison))
}

fn write_comparison(out: &mut impl Write, comparison: &Comparison) -> fmt::Result {
    let ids = comparison
        .tests
        .iter()
        .map(|t| &t.id)
        .chain(&comparison.only_in_baseline)
        .chain(&comparison.only_in_current);
    let name = display_names(ids);
    let commit = comparison
        .baseline_git_commit
        .as_deref()
        .map(|c| format!(", commit {}", crate::environment::short_commit(c)))
        .unwrap_or_default();
    for difference in &comparison.environment_differences {
        writeln!(
            out,
            "{YELLOW}warning{RESET}: the baseline was made elsewhere: {difference}"
        )?;
    }
    match &comparison.mode {
        CompareMode::Baseline => writeln!(
            out,
            "\n{BOLD}Compared with {}{RESET} (saved {}{commit})",
            comparison.baseline_path, comparison.baseline_created_utc
        )?,
        CompareMode::Paired { base_ref, rounds } => writeln!(
            out,
            "\n{BOLD}Compared with {base_ref}{RESET} ({}): base and candidate in {rounds} paired rounds per test, in random order",
            comparison.baseline_path
        )?,
    }
    let mut table = Table::new(&[
        "test",
        "metric",
        "baseline",
        "current",
        "change",
        "95% CI",
        "threshold",
        "verdict",
    ]);
    for test in &comparison.tests {
        let style = match test.verdict {
            Verdict::Regressed => RED,
            Verdict::Improved => GREEN,
            Verdict::WithinNoise | Verdict::NotComparable => YELLOW,
            Verdict::Unchanged => "",
        };
        let MetricCells {
            metric,
            baseline,
            current,
            change,
            interval,
            threshold,
            verdict,
        } = metric_cells(test);
        table.row(
            vec![
                name(&test.id),
                metric.to_owned(),
                baseline,
                current,
                change,
                interval,
                threshold,
                verdict,
            ],
            style,
        );
    }
    let dashes = |label: &str| {
        let mut cells = vec!["-".to_owned(); 6];
        cells.push(label.to_owned());
        cells
    };
    for id in &comparison.only_in_baseline {
        let mut cells = vec![name(id)];
        cells.extend(dashes("only in baseline"));
        table.row(cells, YELLOW);
    }
    for id in &comparison.only_in_current {
        let mut cells = vec![name(id)];
        cells.extend(dashes("new (not in baseline)"));
        table.row(cells, YELLOW);
    }
    table.write(out)?;
    for test in &comparison.tests {
        if let Some(diff) = &test.config_diff {
            writeln!(
                out,
                "\n{YELLOW}note{RESET}: {} ran with a different configuration than in the baseline:\n{diff}",
                name(&test.id)
            )?;
        }
    }
    if let Some(noise) = comparison.noise_floor_pct {
        writeln!(
            out,
            "\nnoise floor: ±{noise:.1}% (the median half-width of the 95% intervals)"
        )?;
    }
    let widened: Vec<usize> = comparison
        .tests
        .iter()
        .filter_map(|t| t.estimate?.history_runs)
        .collect();
    if let Some(runs) = widened.iter().max() {
        writeln!(
            out,
            "note: {} interval(s) come from the drift between the baseline's {runs} saved runs (its history), \
             where that is wider than what the two runs measured themselves",
            widened.len()
        )?;
    }
    for warning in &comparison.noise_warnings {
        writeln!(out, "{YELLOW}warning{RESET}: {warning}")?;
    }
    writeln!(
        out,
        "\nnote: a test regresses when its change is beyond the threshold, the change is real (its 95% \
         interval excludes zero after Holm's correction for the number of tests), and a re-run confirms both."
    )?;
    if comparison.mode == CompareMode::Baseline {
        writeln!(
            out,
            "note: a saved baseline is a separate run, and machines drift between runs; \
             `cargo perf --compare-ref REV` runs base and candidate in paired rounds, the robust choice for CI."
        )?;
    }
    Ok(())
}

/// One compared metric's cells as every report shows them.
pub(crate) struct MetricCells {
    /// The metric's short name (`median`, `p95`, a kind's label).
    pub(crate) metric: &'static str,
    /// The base's value, in the metric's unit.
    pub(crate) baseline: String,
    /// The candidate's value.
    pub(crate) current: String,
    /// The change (percent, or a difference in the metric's unit).
    pub(crate) change: String,
    /// The change's 95% interval, when it has one.
    pub(crate) interval: String,
    /// The limit it was held to.
    pub(crate) threshold: String,
    /// The verdict, with what a re-run found.
    pub(crate) verdict: String,
}

/// The cells of one compared metric.
pub(crate) fn metric_cells(test: &TestComparison) -> MetricCells {
    let value = |v: f64| test.metric.value_text(v);
    let percent = test.change_pct.map(|c| format!("{c:+.1}%"));
    let interval = test.estimate.map_or_else(
        || "-".to_owned(),
        |e| format!("{:+.1}% .. {:+.1}%", e.ci_pct[0], e.ci_pct[1]),
    );
    let verdict = match test.confirmation {
        Some(c) if !c.confirmed => format!(
            "{} (re-run: {})",
            test.verdict.label(),
            c.change_pct
                .map_or_else(|| "-".to_owned(), |c| format!("{c:+.1}%"))
        ),
        Some(_) => format!("{} (confirmed)", test.verdict.label()),
        None => test.verdict.label().to_owned(),
    };
    let (change, threshold) = match test.metric.absolute_limit() {
        Some(limit) => (
            test.change_pct.map(|c| test.metric.difference_text(c)),
            test.metric.absolute_limit_text(limit),
        ),
        None => (percent, format!("{}%", test.threshold_pct)),
    };
    let metric = test.metric.label;
    MetricCells {
        metric,
        baseline: test.baseline_value.map_or_else(|| "-".into(), value),
        current: test.current_value.map_or_else(|| "-".into(), value),
        change: change.unwrap_or_else(|| "-".into()),
        interval,
        threshold,
        verdict,
    }
}

/// `--save-baseline`.
pub fn print_saved(path: &Path) {
    anstream::println!("\nSaved baseline {}", path.display());
}

/// A report file the run wrote.
pub fn print_written(path: &Path) {
    anstream::println!("Wrote {}", path.display());
}
