//! The calibration benchmark's record: a fixed, deterministic workload
//! that the harness times in every benchmark process, right after the
//! test. It never changes with the user's code, so its change between a
//! baseline and a run is the machine's own (other load, frequency,
//! temperature): a control that `--compare` judges the tests against.

use serde::{Deserialize, Serialize};

/// The name and version of the workload the harness runs. Runs of
/// different workloads are not compared: a changed workload gets a new
/// name.
pub const WORKLOAD: &str = "sort-xorshift-2k/1";

/// What the calibration measured in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The workload timed ([`WORKLOAD`] of the harness that timed it).
    pub workload: String,
    /// The workload's median time per iteration in each benchmark process
    /// of the run, in the order they ran, ns.
    pub process_medians_ns: Vec<f64>,
}

impl Calibration {
    /// The calibration of the processes that timed `medians` (ns), or
    /// `None` when none did (an old harness, load tests only).
    pub fn of(medians: impl IntoIterator<Item = f64>) -> Option<Self> {
        let process_medians_ns: Vec<f64> = medians
            .into_iter()
            .filter(|m| m.is_finite() && *m > 0.0)
            .collect();
        (!process_medians_ns.is_empty()).then(|| Self {
            workload: WORKLOAD.to_owned(),
            process_medians_ns,
        })
    }
}
