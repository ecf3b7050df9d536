//! A baseline's history as data: its saved runs, and per test and metric
//! the series of values with their intervals and the steps found in it.
//! [`load`] is what reports (the table, JSON, the HTML report) draw from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use perf_record::{RunRecord, TestId, TestKind, TestRecord};
use serde::Serialize;

use perf_record::metric::{Metric, Scale};

use super::metric::{FOLLOWED, detector};
use super::store;
use super::trend::{self, Split};
use crate::baseline;
use crate::error::CliError;

/// A baseline's saved runs, oldest first, and what they measured.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The folder the runs are in.
    pub dir: PathBuf,
    /// The runs, oldest first.
    pub runs: Vec<SavedRun>,
    /// Per test, in the order of their ids.
    pub tests: Vec<TestHistory>,
    /// Files of the folder that could not be read, with why: left out.
    pub unreadable: Vec<String>,
}

/// One saved run.
#[derive(Debug, Clone, Serialize)]
pub struct SavedRun {
    /// Its file name in the history folder.
    pub file: String,
    /// When the run started, UTC.
    pub created_utc: String,
    /// The same, seconds since the Unix epoch.
    pub created_unix_s: u64,
    /// The commit it measured, when in git.
    pub git_commit: Option<String>,
    /// Whether the working tree had uncommitted changes.
    pub git_dirty: bool,
    /// The machine it ran on: runs of other machines drift differently.
    #[serde(skip)]
    pub host: String,
    /// The calibration benchmark it timed (see [`super::pooled`]).
    #[serde(skip)]
    pub calibration: Option<perf_record::calibration::Calibration>,
}

impl SavedRun {
    /// The commit as tables show it: ten characters, `-dirty`, or `nogit`.
    pub fn commit_label(&self) -> String {
        match &self.git_commit {
            Some(commit) => format!(
                "{}{}",
                crate::environment::short_commit(commit),
                if self.git_dirty { "-dirty" } else { "" }
            ),
            None => "nogit".to_owned(),
        }
    }
}

/// One test's series.
#[derive(Debug, Clone, Serialize)]
pub struct TestHistory {
    /// Which test.
    pub id: TestId,
    /// Its kind in the latest run that has it.
    pub kind: TestKind,
    /// One series per metric it has values for.
    pub series: Vec<Series>,
}

/// One metric of one test across the runs.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// The metric (written as its key, as comparisons name it).
    pub metric: Metric,
    /// The unit of its values: `ns`, `instructions`, `µs`, `requests/s`,
    /// `%`.
    pub unit: &'static str,
    /// Whether a higher value is better.
    pub higher_is_better: bool,
    /// The value in each run that measured it, oldest first.
    pub points: Vec<Point>,
    /// The step changes found, oldest first.
    pub steps: Vec<Step>,
}

/// A metric's value in one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    /// The run, an index into [`History::runs`].
    pub run: usize,
    /// The value, in the metric's unit.
    pub value: f64,
    /// Its 95% confidence interval (a benchmark's median), or the range
    /// across the run's processes (a load test run in several).
    pub interval: Option<[f64; 2]>,
    /// How the run measured the test: only runs measured alike are one
    /// series of noise (see [`super::drift`]).
    #[serde(skip)]
    pub setup: Setup,
}

/// How a run measured a test: `--quick`, its processes, its warm-up and
/// measurement times. Runs measured differently drift differently.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Setup {
    /// `--quick`.
    pub quick: bool,
    /// Processes the measurement was split over.
    pub processes: u32,
    /// Warm-up time, ns.
    pub warm_up_ns: u64,
    /// Measurement time, ns.
    pub measurement_ns: u64,
}

impl Setup {
    /// How `test` was measured.
    pub fn of(test: &TestRecord) -> Self {
        let c = &test.config;
        Self {
            quick: c.quick,
            processes: c.processes,
            warm_up_ns: c.warm_up_ns,
            measurement_ns: c.measurement_ns,
        }
    }
}

/// A step change: where a metric moved and by how much.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The first run after the step (an index into [`History::runs`]).
    pub run: usize,
    /// The last run before it.
    pub previous_run: usize,
    /// The typical value before the step (the median of the runs since
    /// the previous step).
    pub before: f64,
    /// The typical value after it (until the next step).
    pub after: f64,
    /// The change in percent, or in percentage points for the error rate.
    pub change: f64,
    /// Whether the metric got worse.
    pub worse: bool,
    /// The step in units of the run-to-run noise.
    pub effect: f64,
    /// Its p-value, corrected for the splits tried.
    pub p_value: f64,
}

/// Reads the history of the baseline `name_or_path` as `--compare` and
/// `--save-baseline` resolve it in `baseline_dir` (see [`load`]).
pub fn load_named(baseline_dir: &Path, name_or_path: &str) -> Result<History, CliError> {
    load(&baseline::resolve(name_or_path, baseline_dir))
}

/// Reads the history of the baseline at `baseline` (a resolved
/// `NAME.json`, see [`store::dir_of`]). A missing or empty history is an
/// error that names the folder and how to fill it (exit code 6).
pub fn load(baseline: &Path) -> Result<History, CliError> {
    let dir = store::dir_of(baseline);
    let files = store::entries(&dir)?;
    let mut runs = Vec::new();
    let mut unreadable = Vec::new();
    let mut records = Vec::new();
    for file in files {
        match baseline::load(&file) {
            Ok(record) => {
                runs.push(saved_run(&file, &record));
                records.push(record);
            }
            Err(error) => unreadable.push(error.to_string()),
        }
    }
    if records.is_empty() {
        let latest = if baseline.is_file() {
            format!(
                " ({} holds only the latest run: it was saved before histories were kept)",
                baseline.display()
            )
        } else {
            String::new()
        };
        let name = baseline
            .file_stem()
            .map_or_else(|| "NAME".into(), |n| n.to_string_lossy());
        let others = histories_beside(&dir);
        return Err(CliError::Baseline {
            path: dir.clone(),
            message: format!(
                "no saved runs in this folder{latest}; each `cargo perf --save-baseline {name}` \
                 keeps its run there, so save one first{}{}",
                if others.is_empty() {
                    String::new()
                } else {
                    format!(" (histories beside it: {})", others.join(", "))
                },
                if unreadable.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", unreadable.join("; "))
                }
            ),
        });
    }
    let tests = test_histories(&records);
    Ok(History {
        dir,
        runs,
        tests,
        unreadable,
    })
}

/// The other baselines with saved runs in the folder that holds `dir`.
fn histories_beside(dir: &Path) -> Vec<String> {
    let Some(parent) = dir.parent() else {
        return Vec::new();
    };
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path() != dir)
        .filter(|entry| store::entries(&entry.path()).is_ok_and(|e| !e.is_empty()))
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

fn saved_run(file: &Path, record: &RunRecord) -> SavedRun {
    SavedRun {
        file: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        created_utc: record.created_utc.clone(),
        created_unix_s: record.created_unix_s,
        git_commit: record.environment.git_commit.clone(),
        git_dirty: record.environment.git_dirty,
        host: record.environment.host.clone(),
        calibration: record.environment.calibration.clone(),
    }
}

/// Every test of every run, with a series per metric it has values for.
fn test_histories(records: &[RunRecord]) -> Vec<TestHistory> {
    let mut by_id: BTreeMap<&TestId, Vec<(usize, &TestRecord)>> = BTreeMap::new();
    for (run, record) in records.iter().enumerate() {
        for test in &record.tests {
            by_id.entry(&test.id).or_default().push((run, test));
        }
    }
    by_id
        .into_iter()
        .map(|(id, tests)| TestHistory {
            id: id.clone(),
            kind: tests.last().map_or(TestKind::Bench, |(_, t)| t.kind),
            series: FOLLOWED
                .into_iter()
                .filter_map(|metric| series(metric, &tests))
                .collect(),
        })
        .collect()
}

fn series(metric: Metric, tests: &[(usize, &TestRecord)]) -> Option<Series> {
    let points: Vec<Point> = tests
        .iter()
        .filter_map(|(run, test)| {
            let (value, interval) = metric.read(test)?;
            (value.is_finite() && (metric.scale == Scale::Difference || value > 0.0)).then_some(
                Point {
                    run: *run,
                    value,
                    interval,
                    setup: Setup::of(test),
                },
            )
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    let splits = detect(metric, &points);
    let steps = steps(metric, &points, &splits);
    Some(Series {
        metric,
        unit: metric.unit.symbol(),
        higher_is_better: metric.higher_is_better,
        points,
        steps,
    })
}

/// The steps of a series on its metric's scale.
pub(super) fn detect(metric: Metric, points: &[Point]) -> Vec<Split> {
    let values: Vec<f64> = points.iter().map(|p| metric.scale.of(p.value)).collect();
    let se: Vec<f64> = points
        .iter()
        .map(|p| match (metric.interval_is_ci(), p.interval) {
            (true, Some([low, high])) if low > 0.0 && high >= low => {
                (metric.scale.of(high) - metric.scale.of(low)) / (2.0 * 1.96)
            }
            _ => 0.0,
        })
        .collect();
    trend::detect(&values, &se, &detector(metric.scale))
}

fn steps(metric: Metric, points: &[Point], splits: &[Split]) -> Vec<Step> {
    let mut bounds: Vec<usize> = splits.iter().map(|s| s.at).collect();
    bounds.insert(0, 0);
    bounds.push(points.len());
    splits
        .iter()
        .enumerate()
        .map(|(i, split)| {
            let typical = |from: usize, to: usize| {
                let mut values: Vec<f64> = points[from..to].iter().map(|p| p.value).collect();
                values.sort_by(f64::total_cmp);
                let mid = values.len() / 2;
                if values.len().is_multiple_of(2) {
                    (values[mid - 1] + values[mid]) / 2.0
                } else {
                    values[mid]
                }
            };
            let before = typical(bounds[i], bounds[i + 1]);
            let after = typical(bounds[i + 1], bounds[i + 2]);
            let change = match metric.scale {
                Scale::Log => (after / before - 1.0) * 100.0,
                Scale::Difference => after - before,
            };
            Step {
                run: points[split.at].run,
                previous_run: points[split.at - 1].run,
                before,
                after,
                change,
                worse: (after > before) != metric.higher_is_better,
                effect: if split.sigma > 0.0 {
                    split.delta.abs() / split.sigma
                } else {
                    f64::INFINITY
                },
                p_value: split.p_value,
            }
        })
        .collect()
}

impl History {
    /// Only the tests `keep` selects.
    pub fn retain_tests(&mut self, keep: impl Fn(&TestId) -> bool) {
        self.tests.retain(|t| keep(&t.id));
    }

    /// A metric's series of a test, when the history has one.
    pub fn series(&self, id: &TestId, metric: Metric) -> Option<&Series> {
        self.tests
            .iter()
            .find(|t| &t.id == id)?
            .series
            .iter()
            .find(|s| s.metric == metric)
    }
}
