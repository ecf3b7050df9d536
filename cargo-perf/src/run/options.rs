//! How the tests are to be measured: the flags that reach every job.

use std::time::Duration;

use perf_record::TestKind;
use perf_record::overrides::LoadOverrides;

use crate::discover::DiscoveredTest;

/// How the tests are to be measured.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// `--quick`.
    pub quick: bool,
    /// `--warm-up-time`.
    pub warm_up: Option<Duration>,
    /// `--measurement-time`.
    pub measurement: Option<Duration>,
    /// Processes each test's measurement is split over (`--processes`).
    pub processes: u32,
    /// `--duration-scale`: multiplies every load-test duration.
    pub duration_scale: Option<f64>,
    /// `--generator-threads`: the load generator's threads in each process
    /// (else its environment variable, else half the cores).
    pub generator_threads: Option<usize>,
    /// `--allow-remote`: the binaries may load a non-loopback target.
    pub allow_remote: bool,
    /// `--insecure`: an https:// target's certificate is not checked.
    pub insecure: bool,
    /// `--ca-cert`, absolute: authorities trusted for an https:// target.
    pub ca_cert: Option<std::path::PathBuf>,
    /// `--verbose`: show the binaries' output.
    pub verbose: bool,
    /// `--instructions`: count instructions for every benchmark.
    pub instructions: bool,
    /// `--test-timeout`: how long any test's process may run.
    pub test_timeout: Option<Duration>,
    /// `--split`: the share of each load test this run measures.
    pub split: Option<crate::split::SplitRun>,
    /// The workload flags (`-u`, `-r`, `-t`, `--rate`, `--stage`): they
    /// apply to every load test of the run.
    pub load_overrides: LoadOverrides,
    /// Set on a paired round's processes: they skip the calibration
    /// benchmark (see [`perf_record::calibration`]): only a plain run's
    /// record keeps it, and its 75 ms would add a third to a round's
    /// process.
    pub skip_calibration: bool,
}

impl RunOptions {
    /// The workload flags that apply to `test`: none to a benchmark, or
    /// when none were given.
    pub fn load_overrides_for(&self, test: &DiscoveredTest) -> Option<LoadOverrides> {
        (test.listed.kind == TestKind::Load && !self.load_overrides.is_empty())
            .then(|| self.load_overrides.clone())
    }
}
