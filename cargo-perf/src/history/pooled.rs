//! A history's benchmarks' spread around each saved run's own level,
//! pooled across the tests and the calibration: the spread a test's
//! change has around the machine's common change (see
//! [`crate::verdict::shift`]).
//!
//! Let `l[k][c]` be the log median of series `c` (a benchmark, or the
//! calibration) in saved run `k`. Fitted as `r[k] + t[c, segment]`, a
//! level per run (the machine's state then) plus a level per series
//! between its step changes (so that a past change of one test is not
//! taken for noise), the residuals' variance is that of one run's test
//! around the machine's common level, with cells − runs − series' levels
//! + 1 degrees of freedom: one metric's three saved runs give two, three
//!   runs of six benchmarks and the calibration twelve.

use std::path::Path;

use perf_record::RunRecord;
use perf_record::metric::Metric;

use super::series::{self, Point, Setup, load};
use crate::verdict::shift::PooledDrift;

/// Fewest saved runs pooled.
const MIN_RUNS: usize = 2;

/// Rounds of the alternating fit: each halves what is left, far more
/// than the runs' levels need.
const ROUNDS: usize = 50;

/// The pooled drift of the benchmarks' medians (and the calibration) of
/// the baseline at `baseline`, from its saved runs of this machine whose
/// tests were measured as `current` measured them. `None` without a
/// history or with too few runs.
pub fn pooled(baseline: &Path, current: &RunRecord) -> Option<PooledDrift> {
    let history = load(baseline).ok()?;
    let host = history.runs.last().map(|run| run.host.clone())?;
    let same_host = |run: usize| history.runs[run].host == host;
    // One column per series: its log values by run, and its segment by run.
    let mut columns: Vec<Vec<Option<(f64, usize)>>> = Vec::new();
    for test in &history.tests {
        let Some(now) = current.test(&test.id).map(Setup::of) else {
            continue;
        };
        let Some(series) = test.series.iter().find(|s| s.metric == Metric::MEDIAN) else {
            continue;
        };
        let alike: Vec<Point> = series
            .points
            .iter()
            .filter(|p| p.setup == now && same_host(p.run) && p.value > 0.0)
            .copied()
            .collect();
        let splits = series::detect(Metric::MEDIAN, &alike);
        let mut column = vec![None; history.runs.len()];
        for (i, point) in alike.iter().enumerate() {
            let segment = splits.iter().filter(|s| s.at <= i).count();
            column[point.run] = Some((point.value.ln(), segment));
        }
        columns.push(column);
    }
    if let Some(workload) = current
        .environment
        .calibration
        .as_ref()
        .map(|c| &c.workload)
    {
        columns.push(
            history
                .runs
                .iter()
                .enumerate()
                .map(|(run, saved)| {
                    let calibration = saved
                        .calibration
                        .as_ref()
                        .filter(|c| &c.workload == workload)?;
                    let logs: Vec<f64> = calibration
                        .process_medians_ns
                        .iter()
                        .map(|m| m.ln())
                        .collect();
                    (same_host(run) && !logs.is_empty())
                        .then(|| (logs.iter().sum::<f64>() / logs.len() as f64, 0))
                })
                .collect(),
        );
    }
    fit(&columns, history.runs.len())
}

/// Fits levels per run and per (column, segment) to `columns` (log value
/// and segment by run), by alternating means, and returns the residuals'
/// spread.
fn fit(columns: &[Vec<Option<(f64, usize)>>], runs: usize) -> Option<PooledDrift> {
    // Only what has something to compare with: columns seen in two runs
    // or more, runs with two columns or more.
    let mut cells: Vec<(usize, usize, f64)> = Vec::new();
    let kept: Vec<&Vec<Option<(f64, usize)>>> = columns
        .iter()
        .filter(|c| c.iter().flatten().count() >= MIN_RUNS)
        .collect();
    let per_run: Vec<usize> = (0..runs)
        .map(|run| kept.iter().filter(|c| c[run].is_some()).count())
        .collect();
    // Each (column, segment) is one series level.
    let mut levels: Vec<(usize, usize)> = Vec::new();
    for (index, column) in kept.iter().enumerate() {
        for (run, cell) in column.iter().enumerate() {
            let Some((value, segment)) = *cell else {
                continue;
            };
            if per_run[run] < 2 {
                continue;
            }
            let level = levels
                .iter()
                .position(|l| *l == (index, segment))
                .unwrap_or_else(|| {
                    levels.push((index, segment));
                    levels.len() - 1
                });
            cells.push((run, level, value));
        }
    }
    let run_count = (0..runs)
        .filter(|r| cells.iter().any(|c| c.0 == *r))
        .count();
    let df = cells.len().checked_sub(run_count + levels.len())? + 1;
    if run_count < MIN_RUNS || df < 1 {
        return None;
    }
    let mut run_level = vec![0.0; runs];
    let mut series_level = vec![0.0; levels.len()];
    for _ in 0..ROUNDS {
        mean_into(
            &mut series_level,
            cells.iter().map(|&(r, l, v)| (l, v - run_level[r])),
        );
        mean_into(
            &mut run_level,
            cells.iter().map(|&(r, l, v)| (r, v - series_level[l])),
        );
    }
    let squares: f64 = cells
        .iter()
        .map(|&(r, l, v)| (v - run_level[r] - series_level[l]).powi(2))
        .sum();
    let sd_log = (squares / df as f64).sqrt();
    (sd_log.is_finite() && sd_log > 0.0).then_some(PooledDrift {
        sd_log,
        df,
        runs: run_count,
        series: kept.len(),
    })
}

/// Sets each `levels[i]` to the mean of the values given for `i`.
fn mean_into(levels: &mut [f64], values: impl Iterator<Item = (usize, f64)>) {
    let mut sums = vec![(0.0, 0usize); levels.len()];
    for (i, v) in values {
        sums[i].0 += v;
        sums[i].1 += 1;
    }
    for (level, (sum, n)) in levels.iter_mut().zip(sums) {
        if n > 0 {
            *level = sum / n as f64;
        }
    }
}

#[cfg(test)]
mod tests;
