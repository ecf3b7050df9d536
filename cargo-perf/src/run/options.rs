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
    /// `--http2`: HTTP/2 only (prior knowledge on http://).
    pub http2: bool,
    /// `--http2-streams`: users per HTTP/2 connection.
    pub http2_streams: Option<u32>,
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
    /// How a spawned server speaking HTTPS has its certificate checked:
    /// as the load tests check their target's.
    pub fn trust(&self) -> crate::server::Trust {
        crate::server::Trust {
            insecure: self.insecure,
            ca_cert: self.ca_cert.clone(),
        }
    }

    /// The workload flags that apply to `test`: none to a benchmark, or
    /// when none were given.
    pub fn load_overrides_for(&self, test: &DiscoveredTest) -> Option<LoadOverrides> {
        (test.listed.kind == TestKind::Load && !self.load_overrides.is_empty())
            .then(|| self.load_overrides.clone())
    }

    /// Whether a plain run measures `test` in one process, not split over
    /// [`Self::processes`]: a catalogue kind whose figures need its whole
    /// length, and a load test whose workload the command line gave
    /// (`-u 50 -r 10 -t 20s` is that workload, ramp and hold, as Locust
    /// and k6 run it, not three thirds of it each ramping three times as
    /// fast).
    pub fn runs_whole(&self, test: &DiscoveredTest) -> bool {
        test.listed.whole_run || self.load_overrides_for(test).is_some()
    }
}

#[cfg(test)]
mod tests {
    use perf_record::TestKind;

    use super::*;

    #[test]
    fn a_load_test_given_its_workload_on_the_command_line_runs_whole() {
        let load = DiscoveredTest::example("browse", TestKind::Load);
        let bench = DiscoveredTest::example("parse", TestKind::Bench);
        let mut soak = DiscoveredTest::example("soak", TestKind::Load);
        soak.listed.whole_run = true;
        let plain = RunOptions::default();
        assert!(!plain.runs_whole(&load) && !plain.runs_whole(&bench));
        assert!(plain.runs_whole(&soak));
        let locust = RunOptions {
            load_overrides: LoadOverrides {
                users: Some(50),
                spawn_rate: Some(10.0),
                run_time_ns: Some(20_000_000_000),
                ..LoadOverrides::default()
            },
            ..RunOptions::default()
        };
        assert!(
            locust.runs_whole(&load),
            "-u 50 -r 10 -t 20s is one workload"
        );
        assert!(
            !locust.runs_whole(&bench),
            "benchmarks keep their processes"
        );
    }
}
