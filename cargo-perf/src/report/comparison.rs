//! The report of a comparison: each metric's change, interval, threshold
//! and verdict, what is on one side only, and the noise.

use std::fmt::{self, Write};
use std::path::Path;

use super::table::{BOLD, GREEN, RED, RESET, Table, YELLOW, display_names, rendered};
use crate::verdict::compare::{CompareMode, Comparison, Verdict};
use crate::verdict::comparison::TestComparison;
use crate::verdict::shift::CommonShift;

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
    if let Some(shift) = &comparison.shift {
        writeln!(out, "note: {}", shift_text(shift, &comparison.tests))?;
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

/// What the machine's common change was and what the judged intervals
/// rest on, as every report says it.
pub(crate) fn shift_text(shift: &CommonShift, tests: &[TestComparison]) -> String {
    let signed = |pct: f64| format!("{pct:+.1}%");
    let speed = if shift.change_pct >= 0.0 {
        format!("{:.1}% slower", shift.change_pct)
    } else {
        // A time 20% shorter is a machine 25% faster.
        format!(
            "{:.1}% faster",
            (100.0 / (100.0 + shift.change_pct) - 1.0) * 100.0
        )
    };
    let mut parts = Vec::new();
    if let (Some(pct), Some([before, now])) = (shift.calibration_pct, shift.calibration_processes) {
        parts.push(format!(
            "calibration {} over {before} and {now} processes",
            signed(pct)
        ));
    }
    if let Some(pct) = shift.tests_median_pct {
        parts.push(format!(
            "the {} benchmarks' median {}",
            shift.tests,
            signed(pct)
        ));
    }
    let judged: Vec<_> = tests
        .iter()
        .filter_map(|t| t.estimate.filter(|e| e.shift_pct.is_some()))
        .collect();
    let (low, high) = judged.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), e| {
        (lo.min(e.df), hi.max(e.df))
    });
    let df = if judged.is_empty() {
        String::new()
    } else if high - low < 0.5 {
        format!(", {low:.0} degrees of freedom")
    } else {
        format!(", {low:.0} to {high:.0} degrees of freedom")
    };
    let basis = match (shift.history_runs, shift.history_df) {
        (Some(runs), Some(history_df)) => format!(
            "the other benchmarks and the calibration as controls, their spread pooled with the \
             baseline's {runs} saved runs ({history_df} degrees of freedom across tests)"
        ),
        _ => "the other benchmarks and the calibration as controls".to_owned(),
    };
    let uneven = if shift.uneven {
        "; the benchmarks strayed from it more than in the baseline's saved runs (the machine's \
         state moved them unevenly), so the saved runs were not pooled"
    } else {
        ""
    };
    if shift.judged == 0 {
        return format!(
            "the machine ran {speed} than when the baseline was saved ({} .. {}; {}), which its controls \
             do not tell from no change (spread ±{:.1}%): each benchmark is judged on its own processes",
            signed(shift.ci_pct[0]),
            signed(shift.ci_pct[1]),
            parts.join(", "),
            shift.spread_pct,
        );
    }
    format!(
        "the machine ran {speed} than when the baseline was saved ({} .. {}; {}); {} of {} benchmarks' \
         changes are judged relative to it, each interval on its own processes and {basis} (spread \
         ±{:.1}%{df}){uneven}",
        signed(shift.ci_pct[0]),
        signed(shift.ci_pct[1]),
        parts.join(", "),
        shift.judged,
        shift.tests,
        shift.spread_pct,
    )
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
