//! What a perf test binary (built on perf-runtime) and `cargo perf` say to
//! each other.
//!
//! `cargo perf` runs the binary as libtest would (`--list --format terse`,
//! `--exact NAME --bench`) and, through environment variables, asks it to
//! also write what it found as JSON: [`Listing`] when listing,
//! [`TestResult`] after running a test. A binary that does not write the
//! listing is not a perf-runtime binary and is left alone.

use serde::{Deserialize, Serialize};

use crate::load::LoadStats;
use crate::overrides::{LoadOverrides, LoadShape};
use crate::stats::BenchStats;
use crate::threshold::Threshold;

/// A benchmark's warm-up when neither the test nor the command line sets
/// one, in nanoseconds.
pub const DEFAULT_WARM_UP_NS: u64 = 1_000_000_000;
/// Its measurement time, likewise.
pub const DEFAULT_MEASUREMENT_NS: u64 = 3_000_000_000;
/// The longest warm-up under `--quick`.
pub const QUICK_WARM_UP_NS: u64 = 100_000_000;
/// The longest measurement under `--quick`.
pub const QUICK_MEASUREMENT_NS: u64 = 500_000_000;

/// Version of this protocol; both sides check it.
pub const PROTOCOL_VERSION: u32 = 1;

/// The longest padding in [`env::PAD`], in bytes: a page, so that every
/// alignment of the stack within a page is equally likely.
pub const MAX_PAD: u16 = 4096;

/// Environment variables set by `cargo perf` for the perf binary.
pub mod env {
    /// Where `--list` writes a [`super::Listing`].
    pub const LIST_OUT: &str = "CARGO_PERF_LIST_OUT";
    /// Where a test run writes its [`super::TestResult`].
    pub const RESULT_OUT: &str = "CARGO_PERF_RESULT_OUT";
    /// Padding of a random length, drawn afresh for every measured process
    /// and read by nobody: the environment's size moves where the stack
    /// starts, and with it the alignment of everything on it, which can
    /// move a benchmark by several percent (Mytkowicz et al., "Producing
    /// Wrong Data Without Doing Anything Obviously Wrong!", ASPLOS 2009).
    pub const PAD: &str = "CARGO_PERF_PAD";
    /// `1`: short warm-up and measurement, for CI smoke runs.
    pub const QUICK: &str = "CARGO_PERF_QUICK";
    /// A duration overriding every test's warm-up time.
    pub const WARM_UP_TIME: &str = "CARGO_PERF_WARM_UP_TIME";
    /// A duration overriding every test's measurement time.
    pub const MEASUREMENT_TIME: &str = "CARGO_PERF_MEASUREMENT_TIME";
    /// The base URL load tests send requests to.
    pub const TARGET_URL: &str = "PERF_TARGET_URL";
    /// A factor every load-test duration is multiplied by.
    pub const DURATION_SCALE: &str = "CARGO_PERF_DURATION_SCALE";
    /// `1`: a load test prints a progress line on stderr every second,
    /// `cargo-perf-progress ` and a [`Progress`](super::Progress) as JSON.
    pub const PROGRESS: &str = "CARGO_PERF_PROGRESS";
    /// Worker threads of the load generator.
    pub const GENERATOR_THREADS: &str = "CARGO_PERF_GENERATOR_THREADS";
    /// `1`: an `https://` target's certificate is not checked
    /// (`--insecure`), for a staging server's self-signed one.
    pub const INSECURE: &str = "CARGO_PERF_INSECURE";
    /// A PEM file of certificates an `https://` target's may be signed by,
    /// beside the platform's roots (`--ca-cert`).
    pub const CA_CERT: &str = "CARGO_PERF_CA_CERT";
    /// `1`: HTTP/2 only (`--http2`): by prior knowledge on an `http://`
    /// target, as the only protocol ALPN offers on an `https://` one.
    pub const HTTP2: &str = "CARGO_PERF_HTTP2";
    /// `N`: up to N users share one HTTP/2 connection (`--http2-streams`).
    pub const HTTP2_STREAMS: &str = "CARGO_PERF_HTTP2_STREAMS";
    /// `N`: run the routine exactly N times, untimed (no warm-up), and
    /// exit: `cargo perf` counts the instructions of two such runs under
    /// a counter and takes the difference.
    pub const COUNT_ITERATIONS: &str = "CARGO_PERF_COUNT_ITERATIONS";
    /// `N`: this process is one of N that measure the test; it spends 1/N
    /// of the warm-up and measurement time.
    pub const SHARE: &str = "CARGO_PERF_SHARE";
    /// `1`: the process does not time the calibration benchmark after its
    /// test (a paired round, whose comparison shares the machine's state
    /// and has no use for it).
    pub const NO_CALIBRATION: &str = "CARGO_PERF_NO_CALIBRATION";
    /// The workload flags of the command line
    /// ([`LoadOverrides`](crate::overrides::LoadOverrides), as JSON), for
    /// every load test of the run.
    pub const LOAD_OVERRIDES: &str = "CARGO_PERF_LOAD_OVERRIDES";
}

/// The most generator threads one load process may be given: past a
/// thousand, threads cost memory and context switches and add no requests.
pub const MAX_GENERATOR_THREADS: usize = 1024;

/// Reads a number of generator threads ([`env::GENERATOR_THREADS`]): one
/// rule for the harness that uses it and for `cargo perf`, which refuses a
/// bad value before anything is built.
pub fn parse_generator_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_GENERATOR_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "invalid {}: `{text}` is not a whole number from 1 to {MAX_GENERATOR_THREADS}",
            env::GENERATOR_THREADS
        )),
    }
}

/// What kind of perf test an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// A micro-benchmark over a `Bencher`.
    Bench,
    /// An HTTP load test: virtual users against a server.
    Load,
}

impl TestKind {
    /// The name used in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bench => "bench",
            Self::Load => "load",
        }
    }
}

/// Where a test is defined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLocation {
    /// Source file, as `file!()` gives it.
    pub file: String,
    /// Line of the function.
    pub line: u32,
}

/// A load test's state in one progress line (see [`env::PROGRESS`]): the
/// generator writes it, cargo perf shows it. Every field reads 0 when
/// missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// Seconds since the test started.
    pub elapsed_s: f64,
    /// Seconds it runs in all.
    pub total_s: f64,
    /// Users (or iterations in flight) now.
    pub active: f64,
    /// Requests in the last second.
    pub rps: f64,
    /// p95 latency of the last second, µs.
    pub p95_us: f64,
    /// Failed requests in the last second.
    pub errors: f64,
}

/// One test as the binary declares it (before any run-time override).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedTest {
    /// The libtest name, e.g. `parse_order` or `json::parse_order`.
    pub name: String,
    /// What kind of test.
    pub kind: TestKind,
    /// Whether `#[perf_test(ignore)]` was given.
    pub ignored: bool,
    /// The reason given with `ignore = "..."`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_reason: Option<String>,
    /// The test's own regression threshold, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regression_threshold_pct: Option<f64>,
    /// The test's own warm-up time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_up_ns: Option<u64>,
    /// The test's own measurement time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measurement_ns: Option<u64>,
    /// Where the test is defined.
    pub source: SourceLocation,
    /// `#[perf_test(instructions)]`: count retired instructions too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub instructions: bool,
    /// A load test's SLA thresholds, as declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<Threshold>,
    /// `#[perf_test(time_limit = "...")]`: how long its process may run
    /// before cargo perf kills it and fails the test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_ns: Option<u64>,
    /// Its figures come from the whole run (a catalogue kind: a sweep's
    /// levels, a soak's memory trend), so it cannot be cut into shorter
    /// rounds: under `--compare-ref` it runs once a side, at full length.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whole_run: bool,
    /// A load test's shape, which the command line's workload flags
    /// must fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_shape: Option<LoadShape>,
    /// What the test asked for that this harness does not honour, one
    /// line each (a compat crate's `threads = [1, 4]`, say): cargo perf
    /// says each, so that nothing is dropped silently. Absent from
    /// listings that predate it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<String>,
}

/// Everything a perf binary contains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    /// [`PROTOCOL_VERSION`] of the writer.
    pub protocol: u32,
    /// perf-runtime's version.
    pub runtime_version: String,
    /// The tests, sorted by name.
    pub tests: Vec<ListedTest>,
}

/// The settings a test actually ran with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestConfig {
    /// Warm-up time before sampling.
    pub warm_up_ns: u64,
    /// Time budget for sampling.
    pub measurement_ns: u64,
    /// Whether `--quick` shortened the run.
    pub quick: bool,
    /// Processes the measurement was split over (fresh address-space
    /// layout, hash seeds and allocator state each time).
    #[serde(default = "one")]
    pub processes: u32,
    /// The regression threshold that applies, in percent. The binary
    /// reports the test's own; `cargo perf` fills in the effective one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regression_threshold_pct: Option<f64>,
    /// A load test's workload flags from the command line, where any were
    /// given: its workload is not the one its code declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_overrides: Option<LoadOverrides>,
}

fn one() -> u32 {
    1
}

/// How a test ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TestOutcome {
    /// Measured.
    Passed,
    /// Panicked or reported a failure.
    Failed {
        /// The panic message or failure reason.
        message: String,
    },
}

impl TestOutcome {
    /// Whether the test passed.
    pub fn is_passed(&self) -> bool {
        matches!(self, Self::Passed)
    }
}

/// What one run of one test produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// [`PROTOCOL_VERSION`] of the writer.
    pub protocol: u32,
    /// The libtest name.
    pub name: String,
    /// What kind of test.
    pub kind: TestKind,
    /// The settings it ran with.
    pub config: TestConfig,
    /// How it ended.
    pub outcome: TestOutcome,
    /// Statistics of the time per iteration (benchmarks that passed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<BenchStats>,
    /// Time per iteration of every sample, in nanoseconds, in the order
    /// they were taken.
    #[serde(default)]
    pub samples_ns: Vec<f64>,
    /// The measured resolution of the clock, in nanoseconds.
    #[serde(default)]
    pub timer_resolution_ns: f64,
    /// What a load test measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadStats>,
    /// The calibration benchmark's median time per iteration in this
    /// process, timed right after a benchmark (see
    /// [`crate::calibration`]), ns. Absent from load tests and from
    /// harnesses that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration_ns: Option<f64>,
}

impl TestResult {
    /// The result with the text it carries from the test (its failure
    /// message, the first messages of each kind of request error) made
    /// printable ([`crate::format::printable`]): cargo perf reads results
    /// through this, so no report shows a test's control characters.
    pub fn into_printable(mut self) -> Self {
        let clean = |text: &mut String| {
            if let std::borrow::Cow::Owned(shown) = crate::format::printable(text) {
                *text = shown;
            }
        };
        if let TestOutcome::Failed { message } = &mut self.outcome {
            clean(message);
        }
        if let Some(load) = &mut self.load {
            for kind in load.errors.values_mut() {
                kind.first_messages.iter_mut().for_each(clean);
            }
        }
        self
    }
}

#[cfg(test)]
mod generator_threads {
    use super::*;

    #[test]
    fn threads_are_a_whole_number_from_one_to_the_cap() {
        assert_eq!(parse_generator_threads("4"), Ok(4));
        assert_eq!(parse_generator_threads("1024"), Ok(1024));
        for bad in ["0", "-1", "abc", "100000", "", "2.5"] {
            let error = parse_generator_threads(bad).unwrap_err();
            assert!(
                error.starts_with("invalid CARGO_PERF_GENERATOR_THREADS")
                    && error.contains("from 1 to 1024"),
                "{bad}: {error}"
            );
        }
    }
}

#[cfg(test)]
mod listed_test {
    use super::*;

    #[test]
    fn a_listing_written_before_unsupported_features_were_listed_still_loads() {
        let old = r#"{"name":"parse","kind":"bench","ignored":false,
            "source":{"file":"benches/perf.rs","line":3}}"#;
        let listed: ListedTest = serde_json::from_str(old).expect("an old listing loads");
        assert!(listed.unsupported.is_empty());
        let written = serde_json::to_string(&listed).expect("serializes");
        assert!(!written.contains("unsupported"), "{written}");
    }
}
