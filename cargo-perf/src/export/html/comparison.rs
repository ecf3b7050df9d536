//! A comparison's part of the page: every metric's cells as the terminal
//! shows them, coloured by verdict, and a forest plot of the changes in
//! percent with their 95% intervals against each metric's threshold.

use perf_record::TestId;

use super::axis::{self, Axis};
use super::markup::{figures, table};
use super::safe::{Html, html};
use super::svg::{Chart, GREEN, GREY, RED};
use crate::report::comparison::metric_cells;
use crate::verdict::compare::{CompareMode, Comparison, TestComparison, Verdict};

/// The colour of a verdict.
pub(super) fn verdict_color(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Regressed => RED,
        Verdict::Improved => GREEN,
        Verdict::WithinNoise => "#b26a00",
        Verdict::Unchanged => GREY,
        Verdict::NotComparable => "#6a1b9a",
    }
}

/// The CSS class of a verdict's row.
fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Regressed => "fail",
        Verdict::Improved => "pass",
        Verdict::WithinNoise | Verdict::NotComparable => "warn",
        Verdict::Unchanged => "",
    }
}

/// The comparison's HTML: what it compared with, the table, the forest
/// plot, configuration diffs. `name` shows a test's id.
pub(super) fn section(comparison: &Comparison, name: &dyn Fn(&TestId) -> String) -> Html {
    let mut out = Html::new();
    let against = match &comparison.mode {
        CompareMode::Baseline => format!(
            "the baseline {} (saved {}{})",
            comparison.baseline_path,
            comparison.baseline_created_utc,
            comparison
                .baseline_git_commit
                .as_deref()
                .map(|c| format!(", commit {}", crate::environment::short_commit(c)))
                .unwrap_or_default()
        ),
        CompareMode::Paired { base_ref, rounds } => format!(
            "{base_ref} ({}), in {rounds} paired rounds per test",
            comparison.baseline_path
        ),
    };
    out.push(&html!("<p>Compared with {}.</p>", against));
    let mut pairs = vec![("metrics", comparison.tests.len().to_string())];
    for verdict in [
        Verdict::Regressed,
        Verdict::Improved,
        Verdict::WithinNoise,
        Verdict::NotComparable,
    ] {
        let n = comparison
            .tests
            .iter()
            .filter(|t| t.verdict == verdict)
            .count();
        pairs.push((verdict.label(), n.to_string()));
    }
    if let Some(noise) = comparison.noise_floor_pct {
        pairs.push(("noise floor", format!("±{noise:.1}%")));
    }
    out.push(&figures(&pairs));
    if let Some(shift) = &comparison.shift {
        out.push(&html!(
            "<p>{}</p>",
            crate::report::comparison::shift_text(shift, &comparison.tests)
        ));
    }
    if let Some(chart) = forest(comparison, name) {
        out.push(&html!(r#"<div class="charts">{}</div>"#, chart));
    }
    let mut rows: Vec<(&str, Vec<String>)> = comparison
        .tests
        .iter()
        .map(|t| {
            let cells = metric_cells(t);
            (
                verdict_class(t.verdict),
                vec![
                    name(&t.id),
                    cells.metric.to_owned(),
                    cells.baseline,
                    cells.current,
                    cells.change,
                    cells.interval,
                    cells.threshold,
                    cells.verdict,
                ],
            )
        })
        .collect();
    for (ids, what) in [
        (&comparison.only_in_baseline, "only in baseline"),
        (&comparison.only_in_current, "new (not in baseline)"),
    ] {
        for id in ids {
            let mut cells = vec![name(id)];
            cells.extend(std::iter::repeat_n("-".to_owned(), 6));
            cells.push(what.to_owned());
            rows.push(("warn", cells));
        }
    }
    out.push(&table(
        &[
            "test",
            "metric",
            "baseline",
            "current",
            "change",
            "95% CI",
            "threshold",
            "verdict",
        ],
        &rows,
    ));
    for t in comparison.tests.iter().filter(|t| t.config_diff.is_some()) {
        out.push(&html!(
            "<p>{} ran with a different configuration than in the baseline:</p><pre>{}</pre>",
            name(&t.id),
            t.config_diff.as_deref().unwrap_or_default()
        ));
    }
    out
}

/// A row of the forest plot: the change made "worse is right" (a
/// throughput's fall plots as a positive change), its interval, and its
/// limit.
struct Row<'a> {
    label: String,
    metric: &'a TestComparison,
    worse: f64,
    interval: Option<(f64, f64)>,
}

/// One row per metric compared in percent: the change and its 95%
/// interval, each row's threshold marked, coloured by verdict.
fn forest(comparison: &Comparison, name: &dyn Fn(&TestId) -> String) -> Option<Html> {
    let rows: Vec<Row<'_>> = comparison
        .tests
        .iter()
        .filter(|t| t.metric.absolute_limit().is_none())
        .filter_map(|t| {
            let worse = t.worse_pct()?;
            let sign = if t.higher_is_better { -1.0 } else { 1.0 };
            let interval = t.estimate.map(|e| {
                let (a, b) = (e.ci_pct[0] * sign, e.ci_pct[1] * sign);
                (a.min(b), a.max(b))
            });
            Some(Row {
                label: format!("{} · {}", name(&t.id), metric_cells(t).metric),
                metric: t,
                worse,
                interval,
            })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    // The first row at the top.
    let labels: Vec<String> = rows.iter().rev().map(|r| r.label.clone()).collect();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    // An interval far wider than every change and limit (a load test's
    // one run a side) would squeeze the other rows to a point: the axis
    // stops at three times the largest of those, and such a whisker runs
    // off its edge (its tooltip has the numbers).
    let reach = rows
        .iter()
        .map(|r| r.worse.abs().max(r.metric.limit()))
        .fold(10.0, f64::max)
        * 3.0;
    let values = rows.iter().flat_map(|r| {
        let (lo, hi) = r.interval.unwrap_or((r.worse, r.worse));
        [
            r.worse,
            lo.max(-reach),
            hi.min(reach),
            r.metric.limit(),
            0.0,
        ]
    });
    let x = Axis::linear(
        "change, % worse than the base (right: slower or less throughput)",
        values,
        true,
        axis::percent,
    );
    let y = Axis::categories("", &labels);
    let height = 90.0 + 26.0 * rows.len() as f64;
    let left = (12.0 + 6.4 * longest as f64).clamp(90.0, 520.0);
    let mut chart = Chart::new("Changes with their 95% intervals", x, y)
        .size(1260.0, height)
        .left_margin(left);
    chart.vline(0.0, "", GREY);
    for (i, row) in rows.iter().enumerate() {
        let at = (rows.len() - 1 - i) as f64;
        let t = row.metric;
        let limit = t.limit();
        // The threshold: a short red tick on the row.
        chart.whisker(
            at,
            limit,
            f64::NAN,
            limit,
            RED,
            &format!("threshold +{limit}% worse"),
        );
        let (lo, hi) = row.interval.unwrap_or((f64::NAN, f64::NAN));
        let tip = format!(
            "{}: {:+.1}% worse{}; threshold {limit}%; {}",
            row.label,
            row.worse,
            row.interval
                .map(|(a, b)| format!(" (95% interval {a:+.1}% .. {b:+.1}%)"))
                .unwrap_or_default(),
            t.verdict.label()
        );
        chart.whisker(at, lo, row.worse, hi, verdict_color(t.verdict), &tip);
    }
    Some(chart.render())
}
