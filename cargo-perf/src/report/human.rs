//! Tables for people, on stdout.

use std::path::Path;

use anstream::println;
use perf_record::TestOutcome;
use perf_record::kinds::{Change, Unit};
use perf_record::units::format_nanos;

use crate::discover::DiscoveredTest;
use crate::report::display_names;
use crate::verdict::compare::{CompareMode, Comparison, Verdict};

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
    if table.rows.iter().any(|(cells, _)| !cells.is_empty()) {
        println!();
        table.print();
    }
    print_load(record, &name);
    for (name, message) in failures {
        println!("\n{RED}{name} failed{RESET}: {message}");
    }
}

fn ms(us: u64) -> String {
    format!("{:.2} ms", us as f64 / 1e3)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// The load tests of a run: totals, endpoints, thresholds, warnings.
fn print_load(record: &perf_record::RunRecord, name: &dyn Fn(&perf_record::TestId) -> String) {
    let loads: Vec<_> = record
        .tests
        .iter()
        .filter_map(|t| t.load.as_ref().map(|l| (t, l)))
        .collect();
    if loads.is_empty() {
        return;
    }
    let mut table = Table::new(&[
        "load test",
        "requests",
        "req/s",
        "errors",
        "p50",
        "p95",
        "p99",
        "max",
        "server cpu",
        "server rss",
    ]);
    for (test, load) in &loads {
        let server = test.server.as_ref();
        table.row(
            vec![
                name(&test.id),
                load.requests.to_string(),
                format!("{:.1}", load.rps),
                format!("{:.2}%", load.error_rate_pct),
                ms(load.latency.p50_us),
                ms(load.latency.p95_us),
                ms(load.latency.p99_us),
                ms(load.latency.max_us),
                server.map_or_else(
                    || "-".to_owned(),
                    |s| format!("{:.0}% (max {:.0}%)", s.cpu_pct_mean, s.cpu_pct_max),
                ),
                server.map_or_else(
                    || "-".to_owned(),
                    |s| format!("{} peak", mib(s.rss_peak_bytes)),
                ),
            ],
            "",
        );
        for endpoint in &load.endpoints {
            table.row(
                vec![
                    format!("  {}", endpoint.name),
                    endpoint.latency.count.to_string(),
                    format!("{:.1}", endpoint.rps),
                    endpoint.errors.to_string(),
                    ms(endpoint.latency.p50_us),
                    ms(endpoint.latency.p95_us),
                    ms(endpoint.latency.p99_us),
                    ms(endpoint.latency.max_us),
                    String::new(),
                    String::new(),
                ],
                "",
            );
        }
    }
    println!();
    table.print();
    for (test, load) in &loads {
        if let Some(sweep) = &load.sweep {
            print_sweep(&name(&test.id), sweep);
        }
        if let Some(raw) = &load.raw_latency {
            println!(
                "{}: latency is timed from each iteration's scheduled start (open model); from the actual send \
                 it was p50 {}, p95 {}, p99 {}",
                name(&test.id),
                ms(raw.p50_us),
                ms(raw.p95_us),
                ms(raw.p99_us)
            );
        }
        if !load.status_codes.is_empty() {
            let codes: Vec<String> = load
                .status_codes
                .iter()
                .map(|(c, n)| format!("{c}: {n}"))
                .collect();
            println!("{}: status codes {}", name(&test.id), codes.join(", "));
        }
        for (kind, errors) in &load.errors {
            println!(
                "{}: {} {kind} error(s), e.g. {}",
                name(&test.id),
                errors.count,
                errors.first_messages.first().map_or("", String::as_str)
            );
        }
        for result in &test.thresholds {
            let t = &result.threshold;
            let shown = |v: f64| match t.metric.as_str() {
                "error_rate" => format!("{v:.2}%"),
                "rps" => format!("{v:.1} req/s"),
                other => match perf_record::kinds::by_threshold(other) {
                    Some(figure) => kind_value(figure.key, v),
                    None => format!("{:.2} ms", v / 1e3),
                },
            };
            let (style, verdict) = if result.passed {
                (GREEN, "met")
            } else {
                (RED, "MISSED")
            };
            println!(
                "{style}{}: threshold {} {verdict}{RESET}: measured {}, limit {}",
                name(&test.id),
                t.text,
                shown(result.value),
                shown(t.limit)
            );
        }
        for warning in &load.warnings {
            println!("{YELLOW}warning{RESET}: {}: {warning}", name(&test.id));
        }
    }
}

/// A sweep's levels and findings.
fn print_sweep(name: &str, sweep: &perf_record::load::SweepStats) {
    if sweep.levels.is_empty() {
        for finding in &sweep.findings {
            println!("{name}: {finding}");
        }
        return;
    }
    let level_header = format!("{name} ({})", sweep.kind);
    let mut table = Table::new(&[
        &level_header,
        "users",
        "requests",
        "req/s",
        "errors",
        "p50",
        "p95",
        "p99",
        "",
    ]);
    for level in &sweep.levels {
        let shown = match sweep.parameter.as_str() {
            "bytes" => format!("  {}", bytes(level.level)),
            "page" => format!("  page {}", level.level),
            "phase" => format!("  {}", level.phase.as_deref().unwrap_or("-")),
            "query" => format!("  \"{}\"", level.phase.as_deref().unwrap_or("")),
            "items" => format!("  {} items", level.level),
            "connections" => format!(
                "  {} connection{}",
                level.level,
                if level.level == 1 { "" } else { "s" }
            ),
            _ => format!(
                "  {} user{}",
                level.level,
                if level.level == 1 { "" } else { "s" }
            ),
        };
        let broke = !level.missed.is_empty();
        table.row(
            vec![
                shown,
                level.users.to_string(),
                level.requests.to_string(),
                format!("{:.1}", level.rps),
                format!("{:.2}%", level.error_rate_pct),
                ms(level.p50_us),
                ms(level.p95_us),
                ms(level.p99_us),
                match (broke, level.per_request) {
                    (true, _) => format!("broke: {}", level.missed.join(", ")),
                    (false, Some(queries)) => format!("{queries:.1} queries/request"),
                    (false, None) => String::new(),
                },
            ],
            if broke { RED } else { "" },
        );
    }
    println!();
    table.print();
    for finding in &sweep.findings {
        println!("{name}: {finding}");
    }
}

/// A kind's figure, in its unit.
fn kind_value(key: &str, v: f64) -> String {
    let Some(figure) = perf_record::kinds::by_key(key) else {
        return format!("{v:.2}");
    };
    match figure.unit {
        Unit::Percent => format!("{v:.2}%"),
        Unit::Duration if v.abs() >= 1e6 => format!("{:.2} s", v / 1e6),
        Unit::Duration => format!("{:.2} ms", v / 1e3),
        Unit::BytesPerSecond => format!("{:.1} KiB/s", v / 1024.0),
        Unit::Number if v.fract() == 0.0 && v.abs() >= 1.0 => format!("{v:.0}"),
        Unit::Number => format!("{v:.2}"),
    }
}

/// A difference of a kind's figure (or a limit on one), signed.
fn kind_difference(figure: &perf_record::kinds::KindMetric, d: f64) -> String {
    match figure.unit {
        Unit::Percent => format!("{d:+.1} pt"),
        Unit::Duration => format!("{:+.2} ms", d / 1e3),
        Unit::BytesPerSecond => format!("{:+.1} KiB/s", d / 1024.0),
        Unit::Number => format!("{d:+.2}"),
    }
}

fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KB", n >> 10),
        n => format!("{n} B"),
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
    for difference in &comparison.environment_differences {
        println!("{YELLOW}warning{RESET}: the baseline was made elsewhere: {difference}");
    }
    match &comparison.mode {
        CompareMode::Baseline => println!(
            "\n{BOLD}Compared with {}{RESET} (saved {}{commit})",
            comparison.baseline_path, comparison.baseline_created_utc
        ),
        CompareMode::Paired { base_ref, rounds } => println!(
            "\n{BOLD}Compared with {base_ref}{RESET} ({}): base and candidate in {rounds} alternating rounds per test",
            comparison.baseline_path
        ),
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
        let value = |v: f64| match test.metric {
            "median_ns" => format_nanos(v),
            "instructions" => format!("{v:.0}"),
            "rps" => format!("{v:.1}/s"),
            "error_rate_pct" => format!("{v:.2}%"),
            "p95_us" | "p99_us" => format!("{:.2} ms", v / 1e3),
            other => kind_value(other, v),
        };
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
        let (metric, change, threshold) = match test.metric {
            "median_ns" => ("median", percent, format!("{}%", test.threshold_pct)),
            "error_rate_pct" => (
                "errors",
                test.change_pct.map(|c| format!("{c:+.2} pt")),
                "1 pt".to_owned(),
            ),
            other => match perf_record::kinds::by_key(other) {
                Some(figure) => match figure.change {
                    Change::Absolute(limit) => (
                        figure.label,
                        test.change_pct.map(|c| kind_difference(figure, c)),
                        kind_difference(figure, limit),
                    ),
                    Change::Relative | Change::Shown => {
                        (figure.label, percent, format!("{}%", test.threshold_pct))
                    }
                },
                None => (
                    other.trim_end_matches("_us"),
                    percent,
                    format!("{}%", test.threshold_pct),
                ),
            },
        };
        table.row(
            vec![
                name(&test.id),
                metric.to_owned(),
                test.baseline_ns.map_or_else(|| "-".into(), value),
                test.current_ns.map_or_else(|| "-".into(), value),
                change.unwrap_or_else(|| "-".into()),
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
    table.print();
    for test in &comparison.tests {
        if let Some(diff) = &test.config_diff {
            println!(
                "\n{YELLOW}note{RESET}: {} ran with a different configuration than in the baseline:\n{diff}",
                name(&test.id)
            );
        }
    }
    if let Some(noise) = comparison.noise_floor_pct {
        println!("\nnoise floor: ±{noise:.1}% (the median half-width of the 95% intervals)");
    }
    for warning in &comparison.noise_warnings {
        println!("{YELLOW}warning{RESET}: {warning}");
    }
    println!(
        "\nnote: a test regresses when its change is beyond the threshold, the change is real (its 95% \
         interval excludes zero after Holm's correction for the number of tests), and a re-run confirms both."
    );
    if comparison.mode == CompareMode::Baseline {
        println!(
            "note: a saved baseline is a separate run, and machines drift between runs; \
             `cargo perf --compare-ref REV` runs base and candidate in alternating rounds, the robust choice for CI."
        );
    }
}

/// `--save-baseline`.
pub fn print_saved(path: &Path) {
    println!("\nSaved baseline {}", path.display());
}
