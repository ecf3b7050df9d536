//! A load test's part of the page: its headline figures, the per-second
//! timeline (throughput, errors, latency, users), the server's CPU and
//! memory, the latency distribution, thresholds, endpoints and errors.

use perf_record::TestRecord;
use perf_record::load::{LoadStats, Second, ServerStats};

use super::axis::{self, Axis};
use super::markup::{charts, figures, list, table};
use super::parts;
use super::percentiles::{MAX_INVERSE, percentile_curve, percentile_ticks};
use super::safe::{Html, html};
use super::svg::{Chart, PALETTE, RED, downsample};
use perf_record::format::latency;
use perf_record::metric::Metric;

/// Points a timeline keeps at most (a 10-minute soak has 600 seconds).
const MAX_POINTS: usize = 600;

/// Bytes in a MiB.
const MIB: f64 = 1_048_576.0;

/// Endpoints drawn on the distribution chart at most.
const MAX_ENDPOINT_CURVES: usize = 5;

/// The load test's HTML; `kind` is the catalogue kind's part, if any,
/// shown after the headline figures.
pub(super) fn section(test: &TestRecord, load: &LoadStats, kind: &Html) -> Html {
    let mut out = figures(&[
        ("requests", load.requests.to_string()),
        ("req/s", format!("{:.1}", load.rps)),
        ("errors", format!("{:.2}%", load.error_rate_pct)),
        (Metric::P50.label, latency(load.latency.p50_us as f64)),
        (Metric::P95.label, latency(load.latency.p95_us as f64)),
        (Metric::P99.label, latency(load.latency.p99_us as f64)),
        (Metric::MAX.label, latency(load.latency.max_us as f64)),
        ("duration", format!("{:.1} s", load.duration_s)),
        ("generator CPU", format!("{:.0}%", load.generator_cpu_pct)),
    ]);
    if let Some(flags) = &test.config.load_overrides {
        out.push_markup("<p>Workload from the command line: <code>");
        out.push_text(&flags.command_line());
        out.push_markup("</code> (not its code's).</p>");
    }
    if !load.warnings.is_empty() {
        out.push_markup(r#"<div class="warnings">"#);
        let warnings: Vec<String> = load.warnings.iter().map(ToString::to_string).collect();
        out.push(&list(&warnings));
        out.push_markup("</div>");
    }
    out.push(kind);
    let mut drawn = timeline_charts(load);
    if let Some(server) = &test.server {
        let starts: Vec<f64> = parts::parts(load).iter().map(|p| p.start).collect();
        drawn.extend(server_charts(server, &starts));
    }
    drawn.extend(distribution_chart(load));
    out.push(&charts(&drawn));
    if !test.thresholds.is_empty() {
        out.push_markup("<h3>Thresholds</h3>");
        out.push(&thresholds(test));
    }
    out.push_markup("<h3>Endpoints</h3>");
    out.push(&endpoints(load));
    if !load.errors.is_empty() {
        out.push_markup("<h3>Errors</h3>");
        let rows: Vec<(&str, Vec<String>)> = load
            .errors
            .iter()
            .map(|(kind, e)| {
                (
                    "",
                    vec![
                        kind.to_string(),
                        e.count.to_string(),
                        e.first_messages.join(" | "),
                    ],
                )
            })
            .collect();
        out.push(&table(&["kind", "count", "first messages"], &rows));
    }
    if !load.status_codes.is_empty() {
        let codes: Vec<String> = load
            .status_codes
            .iter()
            .map(|(code, n)| format!("{code}: {n}"))
            .collect();
        out.push(&html!(
            "<p class=\"muted\">Status codes: {}</p>",
            codes.join(", ")
        ));
    }
    out
}

/// Throughput and errors, latency percentiles, and users, per second;
/// each part of a test measured in several processes over its own time.
fn timeline_charts(load: &LoadStats) -> Vec<Html> {
    let seconds = &load.timeline;
    if seconds.len() < 2 {
        return Vec::new();
    }
    let parts = parts::parts(load);
    let starts: Vec<f64> = parts.iter().map(|p| p.start).collect();
    let max_points = MAX_POINTS / parts.len().max(1);
    // One series per part, from each of its seconds that `keep` keeps.
    type Pick<'s> = &'s dyn Fn(&parts::Part<'_>, &Second) -> Option<f64>;
    let series = |pick: Pick<'_>| -> Vec<Vec<(f64, f64)>> {
        parts
            .iter()
            .map(|part| {
                let points: Vec<(f64, f64)> = part
                    .seconds
                    .iter()
                    .filter_map(|s| Some((f64::from(s.t), pick(part, s)?)))
                    .collect();
                downsample(&points, max_points)
            })
            .filter(|points| !points.is_empty())
            .collect()
    };
    let all =
        |pieces: &[Vec<(f64, f64)>]| -> Vec<f64> { pieces.iter().flatten().map(|p| p.1).collect() };
    let time = || {
        Axis::linear(
            "time (s)",
            seconds.iter().map(|s| f64::from(s.t)),
            true,
            axis::number,
        )
    };
    // Each part's last second is cut short by its end: its counts are
    // over the part of it that ran (none: it is left out).
    let rate = |count: fn(&Second) -> u64| {
        series(&move |part, s| {
            let ran = part.ran(s.t);
            (ran > 0.05).then(|| count(s) as f64 / ran)
        })
    };
    let rps = rate(|s| s.requests);
    let errors = rate(|s| s.errors);
    let mut throughput = Chart::new(
        "Throughput",
        time(),
        Axis::linear("per second", all(&rps), true, axis::number),
    );
    for piece in &rps {
        throughput.line("requests/s", PALETTE[0], piece);
    }
    for piece in &errors {
        throughput.line("errors/s", RED, piece);
    }
    // A second with no answer has no latency: leave it out rather than
    // draw a fall to zero.
    let answered =
        |f: fn(&Second) -> u64| series(&move |_, s| (s.requests > s.errors).then(|| f(s) as f64));
    let (p50, p95, p99) = (
        answered(|s| s.p50_us),
        answered(|s| s.p95_us),
        answered(|s| s.p99_us),
    );
    let mut latencies = Chart::new(
        "Latency over time",
        time(),
        Axis::linear("latency (ms)", all(&p99), true, axis::ms_from_us),
    );
    for (label, color, pieces) in [
        (Metric::P50.label, PALETTE[2], &p50),
        (Metric::P95.label, PALETTE[0], &p95),
        (Metric::P99.label, PALETTE[1], &p99),
    ] {
        for piece in pieces {
            latencies.line(label, color, piece);
        }
    }
    let active = series(&|_, s| Some(s.active as f64));
    let mut users = Chart::new(
        "Active users",
        time(),
        Axis::linear(
            if load.workload.model == "open" {
                "iterations in flight"
            } else {
                "users"
            },
            all(&active),
            true,
            axis::number,
        ),
    );
    for piece in &active {
        users.line("active", PALETTE[3], piece);
    }
    for chart in [&mut throughput, &mut latencies, &mut users] {
        parts::mark(chart, &starts);
    }
    let mut drawn = vec![throughput.render(), latencies.render()];
    // Sweeps run their levels apart from the timeline's users.
    if all(&active).iter().any(|a| *a > 0.0) {
        drawn.push(users.render());
    }
    drawn
}

/// The server's CPU and resident memory over the test: where the test ran
/// in several processes, each one's server over its part of the timeline
/// (`starts`), the boundaries marked.
fn server_charts(server: &ServerStats, starts: &[f64]) -> Vec<Html> {
    if server.samples.len() < 2 {
        return Vec::new();
    }
    let cpu: Vec<(f64, f64)> = server.samples.iter().map(|s| (s.0, s.1)).collect();
    let rss: Vec<(f64, f64)> = server
        .samples
        .iter()
        .map(|s| (s.0, s.2 as f64 / MIB))
        .collect();
    let (cpu, rss) = (downsample(&cpu, MAX_POINTS), downsample(&rss, MAX_POINTS));
    let time = || Axis::linear("time (s)", cpu.iter().map(|p| p.0), true, axis::number);
    let mut cpu_chart = Chart::new(
        "Server CPU",
        time(),
        Axis::linear("% of one core", cpu.iter().map(|p| p.1), true, axis::number),
    );
    for piece in parts::cut(&cpu, starts) {
        cpu_chart.line("cpu %", PALETTE[4], &piece);
    }
    let mut rss_chart = Chart::new(
        "Server resident memory",
        time(),
        Axis::linear("MiB", rss.iter().map(|p| p.1), false, axis::number),
    );
    for piece in parts::cut(&rss, starts) {
        rss_chart.line("rss", PALETTE[5], &piece);
    }
    for chart in [&mut cpu_chart, &mut rss_chart] {
        parts::mark(chart, starts);
    }
    vec![cpu_chart.render(), rss_chart.render()]
}

/// Every percentile of the latency, from the HDR histogram: overall, from
/// the actual send (open model), and per endpoint when there are several.
fn distribution_chart(load: &LoadStats) -> Option<Html> {
    let overall = percentile_curve(&load.latency);
    if overall.len() < 2 {
        return None;
    }
    let mut curves = vec![("all requests".to_owned(), overall)];
    if let Some(raw) = &load.raw_latency {
        curves.push(("from the actual send".to_owned(), percentile_curve(raw)));
    }
    if load.endpoints.len() > 1 {
        for endpoint in load.endpoints.iter().take(MAX_ENDPOINT_CURVES) {
            curves.push((endpoint.name.clone(), percentile_curve(&endpoint.latency)));
        }
    }
    let widest = curves
        .iter()
        .flat_map(|(_, c)| c.iter().map(|p| p.0))
        .fold(10.0, f64::max)
        .min(MAX_INVERSE);
    let x =
        Axis::log("percentile", [1.0, widest], axis::number).with_ticks(percentile_ticks(widest));
    let y = Axis::linear(
        "latency (ms)",
        curves.iter().flat_map(|(_, c)| c.iter().map(|p| p.1)),
        true,
        axis::ms_from_us,
    );
    let mut chart = Chart::new("Latency by percentile", x, y);
    for (i, (name, curve)) in curves.iter().enumerate() {
        chart.line(name, PALETTE[i % PALETTE.len()], curve);
    }
    Some(chart.render())
}

/// Each threshold: its value against its limit.
fn thresholds(test: &TestRecord) -> Html {
    let rows: Vec<(&str, Vec<String>)> = test
        .thresholds
        .iter()
        .map(|r| {
            let t = &r.threshold;
            let value = match (&r.unmeasured_why, r.unmeasured) {
                (Some(why), _) => format!("not measurable ({why})"),
                (None, true) => "nothing measured".to_owned(),
                (None, false) => r.value_text(),
            };
            (
                if r.passed { "pass" } else { "fail" },
                vec![
                    t.metric.threshold_name().to_owned(),
                    t.label(),
                    value,
                    t.metric.threshold_text(t.limit),
                    if r.passed { "met" } else { "MISSED" }.to_owned(),
                ],
            )
        })
        .collect();
    table(
        &["metric", "threshold", "measured", "limit", "verdict"],
        &rows,
    )
}

/// One row per endpoint.
fn endpoints(load: &LoadStats) -> Html {
    let rows: Vec<(&str, Vec<String>)> = load
        .endpoints
        .iter()
        .map(|e| {
            (
                if e.errors > 0 { "warn" } else { "" },
                vec![
                    e.name.clone(),
                    e.latency.count.to_string(),
                    format!("{:.1}", e.rps),
                    e.errors.to_string(),
                    latency(e.latency.p50_us as f64),
                    latency(e.latency.p95_us as f64),
                    latency(e.latency.p99_us as f64),
                    latency(e.latency.max_us as f64),
                    format!("{:.2}", e.transfer.received_per_s / 1_048_576.0),
                ],
            )
        })
        .collect();
    table(
        &[
            "endpoint",
            "requests",
            "req/s",
            "errors",
            Metric::P50.label,
            Metric::P95.label,
            Metric::P99.label,
            Metric::MAX.label,
            "rx MiB/s",
        ],
        &rows,
    )
}
