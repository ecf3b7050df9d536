//! Tables for people, on stdout.

use std::path::Path;

use anstream::println;
use perf_record::TestOutcome;
use perf_record::units::format_nanos;

use crate::compare::{Comparison, Verdict};
use crate::discover::DiscoveredTest;
use crate::report::display_names;

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31;1m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// A simple left-aligned table: the first column left, the rest right.
struct Table {
    header: Vec<String>,
    rows: Vec<(Vec<String>, &'static str)>,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|s| (*s).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, cells: Vec<String>, style: &'static str) {
        self.rows.push((cells, style));
    }

    fn print(&self) {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for (cells, _) in &self.rows {
            for (i, cell) in cells.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            cells
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let pad = widths[i].saturating_sub(cell.chars().count());
                    if i == 0 || i + 1 == columns {
                        format!(
                            "{cell}{}",
                            " ".repeat(if i + 1 == columns { 0 } else { pad })
                        )
                    } else {
                        format!("{}{cell}", " ".repeat(pad))
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
        };
        println!("{BOLD}{}{RESET}", line(&self.header));
        for (cells, style) in &self.rows {
            if style.is_empty() {
                println!("{}", line(cells));
            } else {
                println!("{style}{}{RESET}", line(cells));
            }
        }
    }
}

/// `--list`.
pub fn print_list(tests: &[&DiscoveredTest]) {
    let name = display_names(tests.iter().map(|t| &t.id));
    for test in tests {
        let ignored = match (&test.listed.ignored, &test.listed.ignore_reason) {
            (true, Some(reason)) => format!("  (ignored: {reason})"),
            (true, None) => "  (ignored)".to_owned(),
            _ => String::new(),
        };
        println!("{}: {}{ignored}", name(&test.id), test.listed.kind.as_str());
    }
}

/// The results of a run.
pub fn print_run(record: &perf_record::RunRecord) {
    let name = display_names(record.tests.iter().map(|t| &t.id));
    let mut table = Table::new(&[
        "test",
        "median",
        "95% CI of median",
        "mean ± stddev",
        "rounds × iters",
        "outliers",
        "spread of runs",
    ]);
    let mut failures = Vec::new();
    for test in &record.tests {
        match (&test.outcome, &test.stats) {
            (TestOutcome::Passed, Some(stats)) => table.row(
                vec![
                    name(&test.id),
                    format_nanos(stats.median_ns),
                    format!(
                        "{} .. {}",
                        format_nanos(stats.median_ci_low_ns),
                        format_nanos(stats.median_ci_high_ns)
                    ),
                    format!(
                        "{} ± {}",
                        format_nanos(stats.mean_ns),
                        format_nanos(stats.stddev_ns)
                    ),
                    format!("{} × {}", stats.rounds, stats.iterations_per_round),
                    stats.outliers.total().to_string(),
                    spread(&test.process_medians_ns, stats.median_ns),
                ],
                "",
            ),
            (TestOutcome::Passed, None) => {}
            (TestOutcome::Failed { message }, _) => {
                table.row(
                    vec![
                        name(&test.id),
                        "FAILED".to_owned(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ],
                    RED,
                );
                failures.push((name(&test.id), message));
            }
        }
    }
    println!();
    table.print();
    for (name, message) in failures {
        println!("\n{RED}{name} failed{RESET}: {message}");
    }
}

/// How far apart the processes' medians are, relative to the median: the
/// run-to-run noise a comparison has to see through.
fn spread(process_medians: &[f64], median: f64) -> String {
    if process_medians.len() < 2 || median <= 0.0 {
        return "-".to_owned();
    }
    let (low, high) = process_medians
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &m| (l.min(m), h.max(m)));
    format!(
        "{:.1}% ({})",
        (high - low) / median * 100.0,
        process_medians.len()
    )
}

/// The comparison with a baseline.
pub fn print_comparison(comparison: &Comparison) {
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
        .map(|c| format!(", commit {}", &c[..c.len().min(10)]))
        .unwrap_or_default();
    println!(
        "\n{BOLD}Compared with {}{RESET} (saved {}{commit})",
        comparison.baseline_path, comparison.baseline_created_utc
    );
    for difference in &comparison.environment_differences {
        println!("{YELLOW}warning{RESET}: the baseline was made elsewhere: {difference}");
    }
    let mut table = Table::new(&[
        "test",
        "baseline",
        "current",
        "change",
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
        table.row(
            vec![
                name(&test.id),
                test.baseline_ns
                    .map(format_nanos)
                    .unwrap_or_else(|| "-".into()),
                test.current_ns
                    .map(format_nanos)
                    .unwrap_or_else(|| "-".into()),
                test.change_pct
                    .map(|c| format!("{c:+.1}%"))
                    .unwrap_or_else(|| "-".into()),
                format!("{}%", test.threshold_pct),
                test.verdict.label().to_owned(),
            ],
            style,
        );
    }
    for id in &comparison.only_in_baseline {
        table.row(
            vec![
                name(id),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "only in baseline".into(),
            ],
            YELLOW,
        );
    }
    for id in &comparison.only_in_current {
        table.row(
            vec![
                name(id),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "new (not in baseline)".into(),
            ],
            YELLOW,
        );
    }
    table.print();
    for test in &comparison.tests {
        if let Some(diff) = &test.config_diff {
            println!(
                "\n{YELLOW}note{RESET}: {} ran with a different configuration than in the baseline:\n{diff}",
                name(&test.id)
            );
        }
    }
    println!(
        "\nnote: a test regresses when its median slowed beyond the threshold and the two medians' \
         intervals (95% CI widened to every process's median) do not overlap."
    );
}

/// `--save-baseline`.
pub fn print_saved(path: &Path) {
    println!("\nSaved baseline {}", path.display());
}
