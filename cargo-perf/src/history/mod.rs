//! A baseline's history: every `--save-baseline NAME` keeps its run in
//! `NAME/` beside `NAME.json`; `cargo perf history NAME` shows each metric
//! across those runs and the step changes in it, and `--compare NAME` takes
//! their spread as the drift between runs.

pub mod metric;
pub mod print;
pub mod series;
pub mod store;
pub mod trend;

use std::path::Path;

pub use series::{History, Point, SavedRun, Series, Step, TestHistory, load};

use crate::verdict::drift::{self, Drift, RunDrift};

/// The drift between runs of each metric that the history of the baseline
/// at `baseline` measured, where it has at least [`drift::MIN_RUNS`] runs
/// (see [`crate::verdict::drift`]). `None` without a history.
pub fn drift(baseline: &Path) -> Option<Drift> {
    let history = load(baseline).ok()?;
    let mut found = Drift::new();
    for test in &history.tests {
        for series in &test.series {
            let Some(metric) = metric::by_key(series.metric) else {
                continue;
            };
            if !drift::METRICS.contains(&series.metric) || series.points.len() < drift::MIN_RUNS {
                continue;
            }
            let values: Vec<f64> = series
                .points
                .iter()
                .map(|p| metric.scale.of(p.value))
                .collect();
            let splits = series::detect(metric, &series.points);
            if let Some((sd_log, df)) = trend::spread(&values, &splits) {
                found.insert(
                    (test.id.clone(), series.metric.to_owned()),
                    RunDrift {
                        sd_log,
                        df,
                        runs: series.points.len(),
                    },
                );
            }
        }
    }
    (!found.is_empty()).then_some(found)
}
