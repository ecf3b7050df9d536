//! The history of the baseline a run saved to or compared with: each
//! metric of each test over the saved runs, with its interval, and every
//! step change marked at the run (and commit) where it happened.

use crate::history::{History, Series, TestHistory};

use super::axis::{Axis, nanos, number, percent};
use super::markup::charts;
use super::safe::{Html, html};
use super::svg::{Chart, PALETTE, RED};

/// Charts at most this many test histories (the rest are listed).
const MAX_TESTS: usize = 40;

/// The section: one row of charts per test.
pub(super) fn section(
    history: &History,
    name: &str,
    label: &dyn Fn(&perf_record::TestId) -> String,
) -> Html {
    let runs = &history.runs;
    let mut out = html!(
        "<p>{} saved run(s) of <code>{}</code> in <code>{}</code>, {} to {}. A dashed line marks a step change: \
         the runs after it differ from the runs before by more than their noise (see <code>cargo perf history {}</code>).</p>",
        runs.len(),
        name,
        history.dir.display().to_string(),
        runs.first().map_or("", |r| r.created_utc.as_str()),
        runs.last().map_or("", |r| r.created_utc.as_str()),
        name,
    );
    if runs.len() < 2 {
        out.push_markup(
            "<p>One saved run is not a history yet: the charts start with the second.</p>",
        );
        return out;
    }
    for test in history.tests.iter().take(MAX_TESTS) {
        out.push(&html!("<h3>{}</h3>", label(&test.id)));
        let drawn: Vec<Html> = test
            .series
            .iter()
            .filter(|s| s.points.len() >= 2)
            .enumerate()
            .map(|(i, series)| chart(history, test, series, PALETTE[i % PALETTE.len()]))
            .collect();
        out.push(&charts(&drawn));
    }
    if history.tests.len() > MAX_TESTS {
        out.push(&html!(
            "<p>{} more test(s) not charted; <code>cargo perf history {}</code> lists them all.</p>",
            history.tests.len() - MAX_TESTS,
            name
        ));
    }
    out
}

/// One metric over the saved runs.
fn chart(history: &History, test: &TestHistory, series: &Series, color: &str) -> Html {
    let format = tick_format(series.unit);
    let values = series
        .points
        .iter()
        .flat_map(|p| std::iter::once(p.value).chain(p.interval.into_iter().flatten()));
    let label = crate::history::metric::METRICS
        .iter()
        .find(|m| m.key == series.metric)
        .map_or(series.metric, |m| m.label);
    // A throughput or an error rate from zero, where a flat line reads
    // flat; a latency around its values, where the steps show.
    let from_zero = matches!(series.unit, "requests/s" | "%");
    // Times carry their unit on each tick.
    let name = match series.unit {
        "ns" | "µs" => label.to_owned(),
        unit => format!("{label} ({unit})"),
    };
    let y = Axis::linear(&name, values, from_zero, format);
    let last = history.runs.len().saturating_sub(1) as f64;
    let x = Axis::linear("saved run (commit)", [0.0, last], false, number)
        .with_ticks(run_ticks(history));
    let mut chart = Chart::new(&format!("{}: {label}", test.id.name), x, y).size(660.0, 260.0);
    let band: Vec<(f64, f64, f64)> = series
        .points
        .iter()
        .filter_map(|p| p.interval.map(|[lo, hi]| (p.run as f64, lo, hi)))
        .collect();
    chart.band("interval", color, &band);
    let line: Vec<(f64, f64)> = series
        .points
        .iter()
        .map(|p| (p.run as f64, p.value))
        .collect();
    chart.line(label, color, &line);
    let dots: Vec<(f64, f64, String)> = series
        .points
        .iter()
        .map(|p| {
            let run = &history.runs[p.run];
            let interval = p
                .interval
                .map(|[lo, hi]| format!(" [{} .. {}]", format(lo), format(hi)))
                .unwrap_or_default();
            (
                p.run as f64,
                p.value,
                format!(
                    "{} {}: {}{interval}",
                    run.created_utc,
                    run.commit_label(),
                    format(p.value)
                ),
            )
        })
        .collect();
    chart.dots("", color, &dots);
    for step in &series.steps {
        // Between the last run before the step and the first after it.
        let at = (step.previous_run as f64 + step.run as f64) / 2.0;
        let color = if step.worse { RED } else { super::svg::GREEN };
        chart.vline(
            at,
            &format!(
                "{:+.1}% at {}",
                step.change,
                history.runs[step.run].commit_label()
            ),
            color,
        );
    }
    chart.render()
}

/// At most eight runs named on the x axis, evenly spread, first and last
/// included.
fn run_ticks(history: &History) -> Vec<(f64, String)> {
    let n = history.runs.len();
    let every = n.div_ceil(8).max(1);
    (0..n)
        .filter(|i| i % every == 0 || *i == n - 1)
        .map(|i| (i as f64, history.runs[i].commit_label()))
        .collect()
}

/// How a unit's values read on a tick.
fn tick_format(unit: &str) -> fn(f64) -> String {
    match unit {
        "ns" => nanos,
        "µs" => |us| nanos(us * 1e3),
        "%" => percent,
        _ => number,
    }
}
