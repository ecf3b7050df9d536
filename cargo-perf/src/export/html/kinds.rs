//! A catalogue test's part of the page: each kind's levels drawn the way
//! its question reads (throughput and p95 against the users with the
//! breaking point marked; latency against size on log-log axes with the
//! growth fitted; a spike's windows with the recovery marked; a soak's
//! memory with its fitted trend and interval), then the levels, figures
//! and findings.

use perf_record::TestRecord;
use perf_record::kinds::Kind;
use perf_record::load::{LevelStats, SweepStats};

use super::axis::{self, Axis};
use super::markup::{charts, list, table};
use super::safe::{Html, html};
use super::svg::{Chart, GREEN, GREY, PALETTE, RED, downsample};
use perf_record::format::latency;
use perf_record::metric::Metric;

/// Bytes in a MiB.
const MIB: f64 = 1_048_576.0;

/// The kind's HTML.
pub(super) fn section(test: &TestRecord, sweep: &SweepStats) -> Html {
    let drawn: Vec<Html> = match sweep.kind {
        Kind::Soak => soak(test, sweep).into_iter().collect(),
        Kind::Volume | Kind::Pagination => growth(sweep),
        Kind::Spike => spike(sweep).into_iter().collect(),
        _ if sweep.levels.iter().any(|l| l.phase.is_some()) => phases(sweep),
        _ => by_level(test, sweep),
    };
    let mut out = html!("<h3>{} ({})</h3>", sweep.kind.name(), sweep.parameter);
    out.push(&charts(&drawn));
    if !sweep.findings.is_empty() {
        out.push_markup(r#"<div class="kind-findings">"#);
        let findings: Vec<String> = sweep.findings.iter().map(ToString::to_string).collect();
        out.push(&list(&findings));
        out.push_markup("</div>");
    }
    if !sweep.levels.is_empty() {
        out.push(&levels(sweep));
    }
    let mut metrics: Vec<(&str, Vec<String>)> = sweep
        .metrics
        .iter()
        .map(|(key, v)| ("", vec![key.clone(), figure(key, *v)]))
        .collect();
    metrics.extend(
        sweep
            .unmeasured
            .iter()
            .map(|(key, why)| ("warn", vec![key.clone(), format!("not measured: {why}")])),
    );
    if !metrics.is_empty() {
        out.push(&table(&["figure", "value"], &metrics));
    }
    out
}

/// A kind's figure in its unit; the figures that are not thresholds
/// (a spike's p95s, a soak's interval) by their key's suffix.
fn figure(key: &str, v: f64) -> String {
    if let Some(figure) = Metric::by_key(key).filter(|m| m.is_figure()) {
        figure.value_text(v)
    } else if key.ends_with("_us") {
        latency(v)
    } else if key.ends_with("_pct") {
        format!("{v:.2}%")
    } else if key.starts_with("rss_growth") {
        format!("{:+.1} KiB/s", v / 1024.0)
    } else if key.ends_with("_s") {
        format!("{v:.2} s")
    } else {
        format!("{v:.2}")
    }
}

/// A level as the kind counts it.
fn level_name(sweep: &SweepStats, level: &LevelStats) -> String {
    if let Some(phase) = &level.phase {
        return phase.clone();
    }
    match sweep.parameter.as_str() {
        "bytes" => perf_record::format::bytes(level.level as f64),
        "page" => format!("page {}", level.level),
        // "1 user", "8 users"; "1 items", said "1 item".
        other if level.level == 1 => format!("1 {}", other.trim_end_matches('s')),
        other => format!("{} {other}", level.level),
    }
}

/// An x axis over the levels: log when they span a factor of 8 or more.
fn level_axis(sweep: &SweepStats) -> Axis {
    let values = sweep.levels.iter().map(|l| l.level as f64);
    let (lo, hi) = values.clone().fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let name = sweep.parameter.as_str();
    if lo > 0.0 && hi / lo >= 8.0 {
        Axis::log(name, values, axis::number)
    } else {
        Axis::linear(name, values, true, axis::number)
    }
}

/// Stress, scalability, pool, websocket and the like: throughput and p95
/// against the level, the levels that missed a threshold in red, the
/// breaking point marked.
fn by_level(test: &TestRecord, sweep: &SweepStats) -> Vec<Html> {
    if sweep.levels.is_empty() {
        return Vec::new();
    }
    let tip = |l: &LevelStats, what: String| format!("{}: {what}", level_name(sweep, l));
    let ideal_top = match (sweep.kind, sweep.levels.first(), sweep.levels.last()) {
        (Kind::Scalability, Some(first), Some(last)) if first.users > 0 => {
            first.rps / f64::from(first.users) * f64::from(last.users)
        }
        _ => 0.0,
    };
    let mut throughput = Chart::new(
        "Throughput by level",
        level_axis(sweep),
        Axis::linear(
            "req/s",
            sweep.levels.iter().map(|l| l.rps).chain([ideal_top]),
            true,
            axis::number,
        ),
    );
    let rps: Vec<(f64, f64)> = sweep
        .levels
        .iter()
        .map(|l| (l.level as f64, l.rps))
        .collect();
    throughput.line("req/s", PALETTE[0], &rps);
    let dots: Vec<(f64, f64, String)> = sweep
        .levels
        .iter()
        .map(|l| (l.level as f64, l.rps, tip(l, format!("{:.1} req/s", l.rps))))
        .collect();
    throughput.dots("", PALETTE[0], &dots);
    if sweep.kind == Kind::Scalability
        && let Some(first) = sweep.levels.first().filter(|l| l.users > 0)
    {
        // Linear scaling: the first level's throughput per user, times
        // the users.
        let per_user = first.rps / f64::from(first.users);
        let ideal: Vec<(f64, f64)> = sweep
            .levels
            .iter()
            .map(|l| (l.level as f64, per_user * f64::from(l.users)))
            .collect();
        throughput.dashed("linear scaling", GREY, &ideal);
    }
    let p95_limit = test
        .thresholds
        .iter()
        .find(|r| r.threshold.metric == Metric::P95)
        .map(|r| r.threshold.limit);
    let mut p95 = Chart::new(
        "p95 latency by level",
        level_axis(sweep),
        Axis::linear(
            "p95 (ms)",
            sweep
                .levels
                .iter()
                .map(|l| l.p95_us as f64)
                .chain(p95_limit),
            true,
            axis::ms_from_us,
        ),
    );
    let line: Vec<(f64, f64)> = sweep
        .levels
        .iter()
        .map(|l| (l.level as f64, l.p95_us as f64))
        .collect();
    p95.line(Metric::P95.label, PALETTE[1], &line);
    let (held, broke): (Vec<&LevelStats>, Vec<&LevelStats>) =
        sweep.levels.iter().partition(|l| l.missed.is_empty());
    let dots = |levels: &[&LevelStats]| -> Vec<(f64, f64, String)> {
        levels
            .iter()
            .map(|l| {
                let missed = if l.missed.is_empty() {
                    String::new()
                } else {
                    format!(", missed {}", l.missed.join(", "))
                };
                (
                    l.level as f64,
                    l.p95_us as f64,
                    tip(l, format!("p95 {}{missed}", latency(l.p95_us as f64))),
                )
            })
            .collect()
    };
    p95.dots("", PALETTE[1], &dots(&held));
    p95.dots("missed a threshold", RED, &dots(&broke));
    if let Some(limit) = p95_limit {
        p95.hline(limit, &format!("p95 limit {}", latency(limit)), RED);
    }
    if let Some(&point) = sweep.metrics.get("breaking_point") {
        let label = format!("breaking point: {point:.0}");
        throughput.vline(point, &label, RED);
        p95.vline(point, &label, RED);
    }
    vec![throughput.render(), p95.render()]
}

/// Volume and pagination: latency against the level on log-log axes,
/// with the fitted growth `latency ~ level^k` over the upper half.
fn growth(sweep: &SweepStats) -> Vec<Html> {
    let usable: Vec<&LevelStats> = sweep
        .levels
        .iter()
        .filter(|l| l.p50_us > 0 && l.level > 0)
        .collect();
    if usable.is_empty() {
        return Vec::new();
    }
    let x = Axis::log(
        &sweep.parameter,
        usable.iter().map(|l| l.level as f64),
        axis::number,
    );
    let y = Axis::log(
        "latency (ms)",
        usable
            .iter()
            .flat_map(|l| [l.p50_us as f64, l.p95_us as f64]),
        axis::ms_from_us,
    );
    let mut chart = Chart::new("Latency against size (log-log)", x, y);
    for (i, (name, pick)) in [
        (
            Metric::P50.label,
            (|l: &LevelStats| l.p50_us) as fn(&LevelStats) -> u64,
        ),
        (Metric::P95.label, |l| l.p95_us),
    ]
    .into_iter()
    .enumerate()
    {
        let points: Vec<(f64, f64)> = usable
            .iter()
            .map(|l| (l.level as f64, pick(l) as f64))
            .collect();
        chart.line(name, PALETTE[i], &points);
        let dots: Vec<(f64, f64, String)> = usable
            .iter()
            .map(|l| {
                (
                    l.level as f64,
                    pick(l) as f64,
                    format!(
                        "{}: {name} {}",
                        level_name(sweep, l),
                        latency(pick(l) as f64)
                    ),
                )
            })
            .collect();
        chart.dots("", PALETTE[i], &dots);
    }
    if let Some(&k) = sweep.metrics.get("growth") {
        // The fit's line passes through the upper half's centre (in logs).
        let upper = &usable[(usable.len() - 1) / 2..];
        let n = upper.len() as f64;
        let (lx, ly) = upper.iter().fold((0.0, 0.0), |(x, y), l| {
            (
                x + (l.level as f64).ln() / n,
                y + (l.p50_us as f64).ln() / n,
            )
        });
        let at = |level: f64| (level, (ly + k * (level.ln() - lx)).exp());
        let ends = [
            at(upper[0].level as f64),
            at(upper[upper.len() - 1].level as f64),
        ];
        chart.dashed(
            &format!("fit: p50 ~ {}^{k:.2}", sweep.parameter),
            RED,
            &ends,
        );
    }
    let mut rps = Chart::new(
        "Throughput against size",
        level_axis(sweep),
        Axis::linear(
            "req/s",
            sweep.levels.iter().map(|l| l.rps),
            true,
            axis::number,
        ),
    );
    let points: Vec<(f64, f64)> = sweep
        .levels
        .iter()
        .map(|l| (l.level as f64, l.rps))
        .collect();
    rps.line("req/s", PALETTE[2], &points);
    vec![chart.render(), rps.render()]
}

/// A spike's windows: p95 of each, before, during and after, with the
/// pre-spike p95 and the window where it recovered marked.
fn spike(sweep: &SweepStats) -> Option<Html> {
    if sweep.levels.is_empty() {
        return None;
    }
    let names: Vec<String> = sweep.levels.iter().map(|l| level_name(sweep, l)).collect();
    let x = Axis::categories("window", &names);
    let y = Axis::linear(
        "p95 (ms)",
        sweep.levels.iter().map(|l| l.p95_us as f64),
        true,
        axis::ms_from_us,
    );
    let mut chart = Chart::new("p95 by window of the spike", x, y).size(1260.0, 300.0);
    for (i, (level, name)) in sweep.levels.iter().zip(&names).enumerate() {
        let color = match level.phase.as_deref() {
            Some("spike") => RED,
            Some("before") => GREY,
            _ => PALETTE[0],
        };
        let tip = format!(
            "{name}: p95 {}, {} users, {:.1} req/s",
            latency(level.p95_us as f64),
            level.users,
            level.rps
        );
        chart.bars("", color, 0.7, &[(i as f64, level.p95_us as f64, tip)]);
    }
    if let Some(&base) = sweep.metrics.get("baseline_p95_us") {
        chart.hline(base, &format!("before the spike: {}", latency(base)), GREY);
    }
    // The recovery is the start of the window from which the p95 stays
    // back; one past the last window means it never came back.
    if let Some(&recovery) = sweep.metrics.get("recovery_us") {
        let at = recovery / 1e6;
        let window = sweep
            .levels
            .iter()
            .position(|l| after_offset(l).is_some_and(|s| (s - at).abs() < 1e-3));
        match window {
            Some(window) => chart.vline(
                window as f64 - 0.5,
                &format!("recovered {at:.2} s after"),
                GREEN,
            ),
            None => chart.vline(
                sweep.levels.len() as f64 - 0.5,
                &format!("not recovered in {at:.2} s"),
                RED,
            ),
        }
    }
    Some(chart.render())
}

/// The offset of an `after +1.50s` window, in seconds.
fn after_offset(level: &LevelStats) -> Option<f64> {
    level
        .phase
        .as_deref()?
        .strip_prefix("after +")?
        .strip_suffix('s')?
        .parse()
        .ok()
}

/// Rate limit, caching, timeout, search: p95 and throughput of each step.
fn phases(sweep: &SweepStats) -> Vec<Html> {
    let names: Vec<String> = sweep.levels.iter().map(|l| level_name(sweep, l)).collect();
    let bars = |pick: &dyn Fn(&LevelStats) -> f64, what: &str, unit: fn(f64) -> String| {
        let y = Axis::linear(what, sweep.levels.iter().map(pick), true, unit);
        let mut chart = Chart::new(
            &format!("{what} by step"),
            Axis::categories(&sweep.parameter, &names),
            y,
        );
        let points: Vec<(f64, f64, String)> = sweep
            .levels
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(i, (l, name))| (i as f64, pick(l), format!("{name}: {}", unit(pick(l)))))
            .collect();
        chart.bars(what, PALETTE[0], 0.6, &points);
        chart.render()
    };
    vec![
        bars(&|l| l.p95_us as f64, "p95 (ms)", axis::ms_from_us),
        bars(&|l| l.rps, "req/s", axis::number),
    ]
}

/// A soak: the server's memory over the hold, the warm-up marked, and the
/// fitted trend with its 95% interval after the warm-up.
fn soak(test: &TestRecord, sweep: &SweepStats) -> Option<Html> {
    let server = test.server.as_ref()?;
    let points: Vec<(f64, f64)> = server
        .samples
        .iter()
        .map(|&(t, _, rss)| (t, rss as f64 / MIB))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let points = downsample(&points, 600);
    let x = Axis::linear("time (s)", points.iter().map(|p| p.0), true, axis::number);
    let y = Axis::linear(
        "resident memory (MiB)",
        points.iter().map(|p| p.1),
        false,
        axis::number,
    );
    let mut chart = Chart::new("Server memory over the soak", x, y);
    let warm_up = sweep.metrics.get("warm_up_s").copied().unwrap_or(0.0);
    let held: Vec<(f64, f64)> = points.iter().copied().filter(|p| p.0 >= warm_up).collect();
    let in_mib = |key: &str| sweep.metrics.get(key).map(|v| v / MIB);
    let slope = in_mib("rss_growth_bytes_per_s");
    let low = in_mib("rss_growth_ci_low");
    let high = in_mib("rss_growth_ci_high");
    chart.line("rss", PALETTE[5], &points);
    if let (Some(slope), Some(low), Some(high), false) = (slope, low, high, held.is_empty()) {
        // Least squares passes through the centre of the points it fits.
        let n = held.len() as f64;
        let (cx, cy) = held
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n));
        let ends = [held[0].0, held[held.len() - 1].0];
        let band: Vec<(f64, f64, f64)> = ends
            .iter()
            .map(|&t| {
                let (a, b) = (cy + low * (t - cx), cy + high * (t - cx));
                (t, a.min(b), a.max(b))
            })
            .collect();
        chart.band("95% interval of the trend", RED, &band);
        let fit: Vec<(f64, f64)> = ends.iter().map(|&t| (t, cy + slope * (t - cx))).collect();
        chart.dashed(&format!("trend {:+.1} KiB/s", slope * 1024.0), RED, &fit);
    }
    if warm_up > 0.0 {
        chart.vline(warm_up, "end of warm-up", GREY);
    }
    Some(chart.render())
}

/// The levels as a table.
fn levels(sweep: &SweepStats) -> Html {
    let has_queries = sweep.levels.iter().any(|l| l.per_request.is_some());
    let mut head = vec![
        "level",
        "users",
        "requests",
        "req/s",
        "errors",
        Metric::P50.label,
        Metric::P95.label,
        Metric::P99.label,
    ];
    if has_queries {
        head.push("queries/request");
    }
    head.push("missed");
    let rows: Vec<(&str, Vec<String>)> = sweep
        .levels
        .iter()
        .map(|l| {
            let mut cells = vec![
                level_name(sweep, l),
                l.users.to_string(),
                l.requests.to_string(),
                format!("{:.1}", l.rps),
                format!("{:.2}%", l.error_rate_pct),
                latency(l.p50_us as f64),
                latency(l.p95_us as f64),
                latency(l.p99_us as f64),
            ];
            if has_queries {
                cells.push(l.per_request.map_or("-".to_owned(), |q| format!("{q:.1}")));
            }
            cells.push(l.missed.join(", "));
            (if l.missed.is_empty() { "" } else { "fail" }, cells)
        })
        .collect();
    table(&head, &rows)
}
