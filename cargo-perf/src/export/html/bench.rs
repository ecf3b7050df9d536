//! A micro-benchmark's part of the page: its statistics, the distribution
//! of its samples (a histogram with the median and its interval), and the
//! samples in the order taken (drift and warm-up show there).

use perf_record::TestRecord;
use perf_record::units::format_nanos;

use super::axis::{self, Axis};
use super::markup::{charts, figures};
use super::safe::Html;
use super::svg::{Chart, PALETTE, RED, downsample};

/// Bins of the histogram.
const BINS: usize = 40;

/// Samples drawn in order at most.
const MAX_POINTS: usize = 400;

/// The benchmark's HTML.
pub(super) fn section(test: &TestRecord) -> Html {
    let mut out = Html::new();
    if let Some(stats) = &test.stats {
        let mut pairs = vec![
            ("median", format_nanos(stats.median_ns)),
            (
                "95% CI of the median",
                format!(
                    "{} .. {}",
                    format_nanos(stats.median_ci_low_ns),
                    format_nanos(stats.median_ci_high_ns)
                ),
            ),
            (
                "mean ± sd",
                format!(
                    "{} ± {}",
                    format_nanos(stats.mean_ns),
                    format_nanos(stats.stddev_ns)
                ),
            ),
            (
                "min .. max",
                format!(
                    "{} .. {}",
                    format_nanos(stats.min_ns),
                    format_nanos(stats.max_ns)
                ),
            ),
            (
                "samples × iterations",
                format!("{} × {}", stats.rounds, stats.iterations_per_round),
            ),
            ("outliers", stats.outliers.total().to_string()),
            ("processes", test.config.processes.to_string()),
        ];
        if let Some(instructions) = &test.instructions {
            pairs.push((
                "instructions/iter",
                format!(
                    "{:.0} ({})",
                    instructions.per_iteration, instructions.counter
                ),
            ));
        }
        out.push(&figures(&pairs));
    }
    let mut drawn = Vec::new();
    drawn.extend(histogram(test));
    drawn.extend(in_order(test));
    out.push(&charts(&drawn));
    out
}

/// How many samples fall in each of [`BINS`] bins, with the median and its
/// interval marked.
fn histogram(test: &TestRecord) -> Option<Html> {
    let samples: Vec<f64> = test
        .samples_ns
        .iter()
        .copied()
        .filter(|s| s.is_finite())
        .collect();
    let (lo, hi) = samples
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &s| {
            (l.min(s), h.max(s))
        });
    if samples.is_empty() {
        return None;
    }
    let width = ((hi - lo) / BINS as f64).max(f64::EPSILON * hi.abs().max(1.0));
    let mut counts = vec![0u64; BINS];
    for s in &samples {
        let i = (((s - lo) / width) as usize).min(BINS - 1);
        counts[i] += 1;
    }
    let bars: Vec<(f64, f64, String)> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, &n)| {
            let from = lo + width * i as f64;
            (
                from + width / 2.0,
                n as f64,
                format!(
                    "{} .. {}: {n} samples",
                    format_nanos(from),
                    format_nanos(from + width)
                ),
            )
        })
        .collect();
    let x = Axis::linear("time per iteration", [lo, hi], false, axis::nanos);
    let y = Axis::linear(
        "samples",
        counts.iter().map(|&n| n as f64),
        true,
        axis::number,
    );
    let mut chart = Chart::new("Distribution of the samples", x, y);
    if let Some(stats) = &test.stats {
        let top = counts.iter().copied().max().unwrap_or(1) as f64;
        chart.band(
            "95% CI of the median",
            RED,
            &[
                (stats.median_ci_low_ns, 0.0, top),
                (stats.median_ci_high_ns, 0.0, top),
            ],
        );
        chart.vline(
            stats.median_ns,
            &format!("median {}", format_nanos(stats.median_ns)),
            RED,
        );
    }
    chart.bars("samples", PALETTE[0], width * 0.9, &bars);
    Some(chart.render())
}

/// Each sample in the order taken (the processes' one after the other).
fn in_order(test: &TestRecord) -> Option<Html> {
    if test.samples_ns.len() < 2 {
        return None;
    }
    let points: Vec<(f64, f64)> = test
        .samples_ns
        .iter()
        .enumerate()
        .map(|(i, &s)| (i as f64, s))
        .collect();
    let points = downsample(&points, MAX_POINTS);
    let x = Axis::linear("sample", points.iter().map(|p| p.0), true, axis::number);
    let y = Axis::linear(
        "time per iteration",
        points.iter().map(|p| p.1),
        false,
        axis::nanos,
    );
    let mut chart = Chart::new("Samples in the order taken", x, y);
    let dots: Vec<(f64, f64, String)> = points
        .iter()
        .map(|&(i, s)| (i, s, format!("sample {i:.0}: {}", format_nanos(s))))
        .collect();
    chart.dots("sample", PALETTE[0], &dots);
    Some(chart.render())
}
