//! The report of a run: the list of tests, each benchmark's figures, each
//! load test's totals, transfer, endpoints, thresholds and catalogue
//! figures.

use std::fmt::{self, Write};

use perf_record::TestOutcome;
use perf_record::format;
use perf_record::load::{LoadStats, ServerStats, Transfer};
use perf_record::metric::Metric;

use super::table::{GREEN, RED, RESET, Table, YELLOW, display_names, rendered, spread};
use crate::discover::DiscoveredTest;

/// `--list`.
pub fn print_list(tests: &[&DiscoveredTest]) {
    anstream::print!("{}", render_list(tests));
}

/// `--list`, rendered.
pub(super) fn render_list(tests: &[&DiscoveredTest]) -> String {
    rendered(|out| write_list(out, tests))
}

fn write_list(out: &mut impl Write, tests: &[&DiscoveredTest]) -> fmt::Result {
    let name = display_names(tests.iter().map(|t| &t.id));
    for test in tests {
        let ignored = match (&test.listed.ignored, &test.listed.ignore_reason) {
            (true, Some(reason)) => format!("  (ignored: {reason})"),
            (true, None) => "  (ignored)".to_owned(),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}: {}{ignored}",
            name(&test.id),
            test.listed.kind.as_str()
        )?;
    }
    Ok(())
}

/// The results of a run.
pub fn print_run(record: &perf_record::RunRecord) {
    anstream::print!("{}", render_run(record));
}

/// The results of a run, rendered with their colours.
pub(super) fn render_run(record: &perf_record::RunRecord) -> String {
    rendered(|out| write_run(out, record))
}

fn write_run(out: &mut impl Write, record: &perf_record::RunRecord) -> fmt::Result {
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
                    format::nanos(stats.median_ns),
                    format!(
                        "{} .. {}",
                        format::nanos(stats.median_ci_low_ns),
                        format::nanos(stats.median_ci_high_ns)
                    ),
                    format!(
                        "{} ± {}",
                        format::nanos(stats.mean_ns),
                        format::nanos(stats.stddev_ns)
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
        writeln!(out)?;
        table.write(out)?;
    }
    write_load(out, record, &name)?;
    for (name, message) in failures {
        writeln!(out, "\n{RED}{name} failed{RESET}: {message}")?;
    }
    Ok(())
}

/// The load tests of a run: totals, endpoints, thresholds, warnings.
fn write_load(
    out: &mut impl Write,
    record: &perf_record::RunRecord,
    name: &dyn Fn(&perf_record::TestId) -> String,
) -> fmt::Result {
    let loads: Vec<_> = record
        .tests
        .iter()
        .filter_map(|t| t.load.as_ref().map(|l| (t, l)))
        .collect();
    if loads.is_empty() {
        return Ok(());
    }
    let mut table = Table::new(&LOAD_COLUMNS);
    for (test, load) in &loads {
        for cells in load_rows(name(&test.id), load, test.server.as_ref()) {
            table.row(cells, "");
        }
    }
    writeln!(out)?;
    table.write(out)?;
    for (test, load) in &loads {
        if let Some(flags) = &test.config.load_overrides {
            writeln!(
                out,
                "{}: workload from the command line `{}` (not its code's)",
                name(&test.id),
                flags.command_line()
            )?;
        }
        if let Some(sweep) = &load.sweep {
            write_sweep(out, &name(&test.id), sweep)?;
        }
        if let Some(raw) = &load.raw_latency {
            writeln!(
                out,
                "{}: latency is timed from each iteration's scheduled start (open model); from the actual send \
                 it was p50 {}, p95 {}, p99 {}",
                name(&test.id),
                format::ms(raw.p50_us as f64),
                format::ms(raw.p95_us as f64),
                format::ms(raw.p99_us as f64)
            )?;
        }
        if let Some(transfer) = transfer(&load.transfer) {
            writeln!(out, "{}: {transfer}", name(&test.id))?;
        }
        if !load.status_codes.is_empty() {
            let codes: Vec<String> = load
                .status_codes
                .iter()
                .map(|(c, n)| format!("{c}: {n}"))
                .collect();
            writeln!(out, "{}: status codes {}", name(&test.id), codes.join(", "))?;
        }
        for (kind, errors) in &load.errors {
            writeln!(
                out,
                "{}: {} {kind} error(s), e.g. {}",
                name(&test.id),
                errors.count,
                errors.first_messages.first().map_or("", String::as_str)
            )?;
        }
        for result in &test.thresholds {
            let t = &result.threshold;
            let shown = |v: f64| t.metric.threshold_text(v);
            let (style, verdict) = if result.passed {
                (GREEN, "met")
            } else {
                (RED, "MISSED")
            };
            // An empty histogram reads 0 ms, and a kind's figure it could
            // not measure reads nothing: say why instead of a number.
            let measured = match (&result.unmeasured_why, result.unmeasured) {
                (Some(why), _) => format!("not measurable ({why});"),
                (None, true) => "measured nothing (no response to judge it on),".to_owned(),
                (None, false) => format!("measured {},", result.value_text()),
            };
            writeln!(
                out,
                "{style}{}: threshold {} {verdict}{RESET}: {measured} limit {}",
                name(&test.id),
                t.label(),
                shown(t.limit)
            )?;
        }
        for warning in &load.warnings {
            writeln!(out, "{YELLOW}warning{RESET}: {}: {warning}", name(&test.id))?;
        }
    }
    Ok(())
}

/// The load table's columns: `rx MiB/s` is the bytes of the responses
/// (heads and bodies, as read) per second, as wrk's `Transfer/sec`.
const LOAD_COLUMNS: [&str; 11] = [
    "load test",
    "requests",
    "req/s",
    "rx MiB/s",
    "errors",
    Metric::P50.spec().label,
    Metric::P95.spec().label,
    Metric::P99.spec().label,
    Metric::MAX.spec().label,
    "server cpu",
    "server rss",
];

/// A load test's rows of [`LOAD_COLUMNS`]: its totals, then one row per
/// endpoint.
fn load_rows(name: String, load: &LoadStats, server: Option<&ServerStats>) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        name,
        load.requests.to_string(),
        format!("{:.1}", load.rps),
        received_mib_per_s(&load.transfer),
        format!("{:.2}%", load.error_rate_pct),
        format::ms(load.latency.p50_us as f64),
        format::ms(load.latency.p95_us as f64),
        format::ms(load.latency.p99_us as f64),
        format::ms(load.latency.max_us as f64),
        server.map_or_else(
            || "-".to_owned(),
            |s| format!("{:.0}% (max {:.0}%)", s.cpu_pct_mean, s.cpu_pct_max),
        ),
        server.map_or_else(
            || "-".to_owned(),
            |s| format!("{} peak", format::mib(s.rss_peak_bytes)),
        ),
    ]];
    rows.extend(load.endpoints.iter().map(|endpoint| {
        vec![
            format!("  {}", endpoint.name),
            endpoint.latency.count.to_string(),
            format!("{:.1}", endpoint.rps),
            received_mib_per_s(&endpoint.transfer),
            endpoint.errors.to_string(),
            format::ms(endpoint.latency.p50_us as f64),
            format::ms(endpoint.latency.p95_us as f64),
            format::ms(endpoint.latency.p99_us as f64),
            format::ms(endpoint.latency.max_us as f64),
            String::new(),
            String::new(),
        ]
    }));
    rows
}

/// The bytes received per second in MiB, or `-` where no byte was
/// counted (WebSocket round trips, a record made before transfer was
/// measured).
fn received_mib_per_s(transfer: &Transfer) -> String {
    if transfer.received_bytes == 0 && transfer.sent_bytes == 0 {
        return "-".to_owned();
    }
    format!("{:.2}", transfer.received_per_s / (1024.0 * 1024.0))
}

/// Both directions' bytes and rates, in words; `None` where no byte was
/// counted.
fn transfer(transfer: &Transfer) -> Option<String> {
    (transfer.received_bytes > 0 || transfer.sent_bytes > 0).then(|| {
        format!(
            "received {} ({}), sent {} ({})",
            format::bytes(transfer.received_bytes as f64),
            format::byte_rate(transfer.received_per_s),
            format::bytes(transfer.sent_bytes as f64),
            format::byte_rate(transfer.sent_per_s)
        )
    })
}

/// A sweep's levels and findings.
fn write_sweep(
    out: &mut impl Write,
    name: &str,
    sweep: &perf_record::load::SweepStats,
) -> fmt::Result {
    if sweep.levels.is_empty() {
        for finding in &sweep.findings {
            writeln!(out, "{name}: {finding}")?;
        }
        return Ok(());
    }
    let level_header = format!("{name} ({})", sweep.kind);
    let mut table = Table::new(&[
        &level_header,
        "users",
        "requests",
        "req/s",
        "errors",
        Metric::P50.label,
        Metric::P95.label,
        Metric::P99.label,
        "",
    ]);
    for level in &sweep.levels {
        let shown = match sweep.parameter.as_str() {
            "bytes" => format!("  {}", format::size(level.level)),
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
                format::ms(level.p50_us as f64),
                format::ms(level.p95_us as f64),
                format::ms(level.p99_us as f64),
                match (broke, level.per_request) {
                    (true, _) => format!("broke: {}", level.missed.join(", ")),
                    (false, Some(queries)) => format!("{queries:.1} queries/request"),
                    (false, None) => String::new(),
                },
            ],
            if broke { RED } else { "" },
        );
    }
    writeln!(out)?;
    table.write(out)?;
    for finding in &sweep.findings {
        writeln!(out, "{name}: {finding}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use perf_record::load::EndpointStats;

    use super::*;

    #[test]
    fn the_load_table_shows_the_bytes_received_per_second() {
        let endpoint = |name: &str, received: u64| EndpointStats {
            name: name.to_owned(),
            rps: 1.0,
            errors: 0,
            latency: perf_record::load::LatencySummary::default(),
            transfer: Transfer::over(received, 1_000, 2.0),
        };
        let load = LoadStats {
            requests: 2,
            transfer: Transfer::over(7 << 20, 2_000, 2.0),
            endpoints: vec![
                endpoint("GET /big", 6 << 20),
                endpoint("GET /small", 1 << 20),
            ],
            ..LoadStats::default()
        };
        let rows = load_rows("download".to_owned(), &load, None);
        let column = LOAD_COLUMNS.iter().position(|c| *c == "rx MiB/s");
        let rx: Vec<&str> = rows.iter().map(|r| r[column.unwrap()].as_str()).collect();
        assert_eq!(rx, ["3.50", "3.00", "0.50"]);
        assert!(
            rows.iter().all(|r| r.len() == LOAD_COLUMNS.len()),
            "{rows:?}"
        );
        assert_eq!(
            transfer(&load.transfer).as_deref(),
            Some("received 7.00 MiB (3.50 MiB/s), sent 1.95 KiB (1000 B/s)")
        );
        // A test that counted no byte (WebSocket round trips) says so.
        let silent = LoadStats::default();
        assert_eq!(load_rows("ws".to_owned(), &silent, None)[0][3], "-");
        assert_eq!(transfer(&silent.transfer), None);
    }
}
