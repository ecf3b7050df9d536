//! `cargo perf history` for people: per test, one row per saved run with
//! each metric's value and interval, and the step changes with the commit
//! where each happened.

use std::fmt::Write as _;

use super::series::{History, Series, Step, TestHistory};
use perf_record::format;
use perf_record::metric::{Metric, Scale};

/// The whole history as text.
pub fn render(name: &str, history: &History) -> String {
    let mut out = String::new();
    let (first, last) = (history.runs.first(), history.runs.last());
    let _ = writeln!(
        out,
        "History of baseline `{name}`: {} saved run{} in {}{}",
        history.runs.len(),
        if history.runs.len() == 1 { "" } else { "s" },
        history.dir.display(),
        match (first, last) {
            (Some(a), Some(b)) if history.runs.len() > 1 =>
                format!(" ({} to {})", a.created_utc, b.created_utc),
            _ => String::new(),
        }
    );
    for problem in &history.unreadable {
        let _ = writeln!(out, "warning: left out: {problem}");
    }
    for test in &history.tests {
        out.push('\n');
        render_test(&mut out, history, test);
    }
    let steps: usize = history
        .tests
        .iter()
        .flat_map(|t| &t.series)
        .map(|s| s.steps.len())
        .sum();
    let _ = writeln!(
        out,
        "\n{} step change{} found (a step needs {} runs on each side; a flat series shows a false one {}% of the time at most)",
        if steps == 0 {
            "No".to_owned()
        } else {
            steps.to_string()
        },
        if steps == 1 { "" } else { "s" },
        super::trend::MIN_SEGMENT,
        super::trend::Detector::RATIO.alpha * 100.0,
    );
    out
}

fn render_test(out: &mut String, history: &History, test: &TestHistory) {
    let _ = writeln!(out, "{}", test.id);
    let metrics: Vec<(&Series, Metric)> = test.series.iter().map(|s| (s, s.metric)).collect();
    let mut header = vec!["run".to_owned(), "commit".to_owned()];
    header.extend(metrics.iter().map(|(_, m)| m.label.to_owned()));
    header.push("step".to_owned());
    let mut rows = vec![header];
    for (index, run) in history.runs.iter().enumerate() {
        let cells: Vec<Option<String>> = metrics
            .iter()
            .map(|(series, metric)| {
                let point = series.points.iter().find(|p| p.run == index)?;
                let value = metric.history_text(point.value);
                Some(match point.interval {
                    Some([low, high]) => format!(
                        "{value} [{} – {}]",
                        metric.history_text(low),
                        metric.history_text(high)
                    ),
                    None => value,
                })
            })
            .collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        let marks: Vec<String> = metrics
            .iter()
            .filter_map(|(series, metric)| {
                let step = series.steps.iter().find(|s| s.run == index)?;
                let way = if step.worse { "worse" } else { "better" };
                Some(format!(
                    "{} {} {way}",
                    metric.label,
                    format_change(*metric, step)
                ))
            })
            .collect();
        let mut row = vec![run.created_utc.clone(), run.commit_label()];
        row.extend(
            cells
                .into_iter()
                .map(|c| c.unwrap_or_else(|| "-".to_owned())),
        );
        row.push(marks.join(", "));
        rows.push(row);
    }
    write_table(out, &rows);
    for (series, metric) in &metrics {
        for step in &series.steps {
            let at = &history.runs[step.run];
            let _ = writeln!(
                out,
                "  step: {} {} ({} → {}) at {} ({}), after {}: {} ({:.1}× the run-to-run noise, p = {:.2e})",
                metric.label,
                format_change(*metric, step),
                metric.history_text(step.before),
                metric.history_text(step.after),
                at.commit_label(),
                at.created_utc,
                history.runs[step.previous_run].commit_label(),
                if step.worse { "worse" } else { "better" },
                step.effect,
                step.p_value,
            );
        }
    }
}

/// A step's size: percent, or percentage points for the error rate.
fn format_change(metric: Metric, step: &Step) -> String {
    match metric.scale {
        Scale::Log => format::change_pct(step.change),
        Scale::Difference => format!("{:+.2} pp", step.change),
    }
}

/// Columns padded to their widest cell: text left, figures right.
fn write_table(out: &mut String, rows: &[Vec<String>]) {
    let columns = rows.first().map_or(0, Vec::len);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::from("  ");
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.chars().count());
            let text_column = i < 2 || i + 1 == columns;
            if text_column {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
            }
            line.push_str("  ");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::super::series::{Point, SavedRun};
    use super::*;

    #[test]
    fn rows_show_each_run_and_the_step_names_its_commit() {
        let runs: Vec<SavedRun> = (0..4)
            .map(|i| SavedRun {
                file: format!("{i}.json"),
                created_utc: format!("2026-12-04T17:0{i}:00Z"),
                created_unix_s: i,
                git_commit: Some(format!("{i}{i}{i}{i}{i}{i}{i}{i}{i}{i}ffff")),
                git_dirty: i == 3,
                host: String::new(),
                calibration: None,
            })
            .collect();
        let points = [1000.0, 1010.0, 2000.0, 2020.0]
            .iter()
            .enumerate()
            .map(|(run, &value)| Point {
                run,
                value,
                interval: Some([value * 0.99, value * 1.01]),
                setup: Default::default(),
            })
            .collect();
        let history = History {
            dir: "/b/main".into(),
            runs,
            tests: vec![TestHistory {
                id: perf_record::TestId {
                    package: "demo".into(),
                    target: "perf".into(),
                    name: "checksum".into(),
                },
                kind: perf_record::TestKind::Bench,
                series: vec![Series {
                    metric: Metric::MEDIAN,
                    unit: Metric::MEDIAN.unit.symbol(),
                    higher_is_better: false,
                    points,
                    steps: vec![Step {
                        run: 2,
                        previous_run: 1,
                        before: 1005.0,
                        after: 2010.0,
                        change: 100.0,
                        worse: true,
                        effect: 30.0,
                        p_value: 0.001,
                    }],
                }],
            }],
            unreadable: Vec::new(),
        };
        let text = render("main", &history);
        assert!(text.contains("4 saved runs in /b/main"), "{text}");
        assert!(
            text.contains("2026-12-04T17:02:00Z  2222222222        2.000 µs [1.980 µs – 2.020 µs]  median +100.0% worse"),
            "{text}"
        );
        assert!(text.contains("3333333333-dirty"), "{text}");
        assert!(
            text.contains("step: median +100.0% (1.005 µs → 2.010 µs) at 2222222222 (2026-12-04T17:02:00Z), after 1111111111: worse (30.0× the run-to-run noise, p = 1.00e-3)"),
            "{text}"
        );
    }
}
