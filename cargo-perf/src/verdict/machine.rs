//! What the machine's common change between two runs was, as a
//! comparison carries it (see [`super::shift`] for how it is measured and
//! judged against).

use std::collections::BTreeMap;

use perf_record::TestId;
use serde::Serialize;

/// The spread of a baseline's saved runs' benchmarks around each run's
/// own level: how far one test's log median strays from the machine's
/// common level in one run, pooled across the tests (and the calibration)
/// and their runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PooledDrift {
    /// Standard deviation of one run's log median around its run's level
    /// and its test's level.
    pub sd_log: f64,
    /// Its degrees of freedom: cells − runs − tests' levels + 1.
    pub df: usize,
    /// The saved runs behind it.
    pub runs: usize,
    /// The series pooled (tests, and the calibration where kept).
    pub series: usize,
}

/// The machine's common change between the two runs, for the reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommonShift {
    /// The median of every control's change, percent.
    pub change_pct: f64,
    /// Its 95% interval, percent.
    pub ci_pct: [f64; 2],
    /// The calibration benchmark's change, percent, when both runs timed
    /// it.
    pub calibration_pct: Option<f64>,
    /// The calibration's processes in the baseline and in this run.
    pub calibration_processes: Option<[usize; 2]>,
    /// The median of the benchmarks' changes, percent.
    pub tests_median_pct: Option<f64>,
    /// Benchmarks compared, each a control for the others.
    pub tests: usize,
    /// Benchmarks judged relative to the shift.
    pub judged: usize,
    /// The standard deviation of one control's change around the shift
    /// (the smallest interval's basis), percent on the log scale.
    pub spread_pct: f64,
    /// The degrees of freedom of that spread.
    pub df: f64,
    /// The baseline's saved runs pooled into the spread, when they were.
    pub history_runs: Option<usize>,
    /// Their degrees of freedom.
    pub history_df: Option<usize>,
    /// Whether this run's controls spread more than the history's: the
    /// machine's state moved the tests unevenly, and the history was left
    /// out.
    pub uneven: bool,
    /// What each judged test was judged against, for its confirming
    /// re-run.
    #[serde(skip)]
    pub(super) references: BTreeMap<TestId, Reference>,
    /// This run's calibration, on the log scale, for a re-run's.
    #[serde(skip)]
    pub(super) calibration: Option<LogMean>,
}

/// What one test was judged against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Reference {
    /// The other controls' median change, log.
    pub(super) shift: f64,
    /// Its variance.
    pub(super) shift_var: f64,
    /// The spread of one control around it, as a variance, and its df.
    pub(super) spread_var: f64,
    pub(super) spread_df: f64,
    /// The history runs pooled into the spread.
    pub(super) history_runs: Option<usize>,
    /// Whether the other controls spread beyond the history's spread.
    pub(super) uneven: bool,
}

/// A mean of logs with the variance of that mean (`None` from one value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct LogMean {
    pub(super) mean: f64,
    pub(super) var: Option<f64>,
    pub(super) n: usize,
}

impl LogMean {
    pub(super) fn of(values: &[f64]) -> Option<Self> {
        let logs: Vec<f64> = values
            .iter()
            .filter(|v| v.is_finite() && **v > 0.0)
            .map(|v| v.ln())
            .collect();
        let n = logs.len();
        if n == 0 {
            return None;
        }
        let mean = logs.iter().sum::<f64>() / n as f64;
        let var = (n >= 2).then(|| {
            logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (n - 1) as f64 / n as f64
        });
        Some(Self { mean, var, n })
    }
}
