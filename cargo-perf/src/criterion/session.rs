//! One process of a criterion benchmark measured for cargo perf: the
//! benchmark is run with criterion's own command line (`--bench --exact
//! NAME` and the time budget cargo perf chose) and `CARGO_CRITERION_PORT`
//! pointing at a port here; a thread answers criterion's protocol and,
//! when the benchmark's samples arrive, writes them as the same
//! [`TestResult`] a perf-runtime binary writes. Everything downstream
//! (the spread between processes, paired rounds, the verdict, the
//! reports) cannot tell the two apart.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use perf_record::protocol::{
    DEFAULT_MEASUREMENT_NS, DEFAULT_WARM_UP_NS, PROTOCOL_VERSION, QUICK_MEASUREMENT_NS,
    QUICK_WARM_UP_NS,
};
use perf_record::stats::BenchStats;
use perf_record::{TestConfig, TestKind, TestOutcome, TestResult};

use super::message::{FromBenchmark, Measurement, ToBenchmark};
use super::wire::{Connection, Listener, PORT_ENV, WireError};

/// How long a benchmark process may take to connect: criterion connects
/// as its `main` starts, before any benchmark runs.
const CONNECT_LIMIT: Duration = Duration::from_secs(600);

/// The benchmark's side of one measured process, running on a thread.
pub(crate) struct Session {
    ended: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Session {
    /// Sets up `command` (the criterion bench executable) to measure the
    /// benchmark `name` once, within `1/share` of its budget, and starts
    /// listening for it; its result goes to `result_path`.
    pub(crate) fn start(
        command: &mut Command,
        name: &str,
        options: &BudgetFlags,
        share: u32,
        result_path: &Path,
    ) -> std::io::Result<Self> {
        let listener = Listener::open()?;
        let budget = Budget::of(options, share);
        command
            .args(["--bench", "--exact", name])
            .arg("--warm-up-time")
            .arg(seconds(budget.warm_up_ns))
            .arg("--measurement-time")
            .arg(seconds(budget.measurement_ns))
            .env(PORT_ENV, listener.port()?.to_string());
        let ended = Arc::new(AtomicBool::new(false));
        let answer = Answer {
            name: name.to_owned(),
            quick: options.quick,
            result_path: result_path.to_owned(),
        };
        let stop = Arc::clone(&ended);
        let thread = std::thread::spawn(move || answer.serve(&listener, &stop));
        Ok(Self { ended, thread })
    }

    /// Waits for the conversation to end, once the process has exited (its
    /// end closes the connection).
    pub(crate) fn finish(self) {
        self.ended.store(true, Ordering::Release);
        // A panic on the thread leaves no result: the test is reported as
        // a process that exited without one.
        let _ = self.thread.join();
    }
}

/// The run's flags a criterion benchmark's budget follows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BudgetFlags {
    /// `--quick`.
    pub(crate) quick: bool,
    /// `--warm-up-time`.
    pub(crate) warm_up: Option<Duration>,
    /// `--measurement-time`.
    pub(crate) measurement: Option<Duration>,
}

/// A process's warm-up and measurement, as a perf-runtime benchmark would
/// spend them: `--warm-up-time`/`--measurement-time`, else the defaults
/// (capped by `--quick`), split over the processes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Budget {
    warm_up_ns: u64,
    measurement_ns: u64,
}

impl Budget {
    fn of(options: &BudgetFlags, share: u32) -> Self {
        let pick = |flag: Option<Duration>, default: u64, quick: u64| {
            let ns = flag.map_or_else(
                || {
                    if options.quick {
                        default.min(quick)
                    } else {
                        default
                    }
                },
                |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX),
            );
            // Criterion refuses a zero measurement time.
            (ns / u64::from(share.max(1))).max(1_000_000)
        };
        Self {
            warm_up_ns: pick(options.warm_up, DEFAULT_WARM_UP_NS, QUICK_WARM_UP_NS),
            measurement_ns: pick(
                options.measurement,
                DEFAULT_MEASUREMENT_NS,
                QUICK_MEASUREMENT_NS,
            ),
        }
    }
}

/// Seconds as criterion's command line takes them.
fn seconds(ns: u64) -> String {
    format!("{}", ns as f64 / 1e9)
}

/// What the thread needs to answer the benchmark.
struct Answer {
    name: String,
    quick: bool,
    result_path: PathBuf,
}

impl Answer {
    fn serve(self, listener: &Listener, ended: &AtomicBool) {
        let Some(socket) = listener.accept(ended, CONNECT_LIMIT) else {
            // Never connected (the process failed to start, or is not a
            // criterion benchmark after all): the run reports the process.
            return;
        };
        let mut measured = Vec::new();
        let outcome = Connection::handshake(socket)
            .and_then(|mut connection| self.converse(&mut connection, &mut measured));
        match outcome {
            Ok(true) => {}
            Ok(false) => self.write(self.failed(format!(
                "criterion measured no benchmark named `{}`{}",
                self.name,
                if measured.is_empty() {
                    String::new()
                } else {
                    format!(" (it measured {})", measured.join(", "))
                }
            ))),
            Err(error) => self.write(self.failed(format!(
                "{error}{}",
                std::error::Error::source(&error).map_or(String::new(), |s| format!(": {s}"))
            ))),
        }
    }

    /// Answers messages until the benchmark hangs up: whether this
    /// benchmark's result was written.
    fn converse(
        &self,
        connection: &mut Connection,
        measured: &mut Vec<String>,
    ) -> Result<bool, WireError> {
        let mut written = false;
        while let Some(message) = connection.recv()? {
            match message {
                FromBenchmark::MeasurementComplete(measurement) => {
                    let name = measurement.id.full_id();
                    if name == self.name && !written {
                        connection.send(&ToBenchmark::ScaleForMachines { values: vec![1.0] })?;
                        let unit = loop {
                            match connection.recv()? {
                                Some(FromBenchmark::ScaledValues { unit }) => break unit,
                                Some(_) => {}
                                None => return Ok(written),
                            }
                        };
                        self.write(self.result(&measurement, &unit, &connection.criterion_version));
                        written = true;
                    } else {
                        measured.push(format!("`{name}`"));
                    }
                    connection.send(&ToBenchmark::Continue)?;
                }
                FromBenchmark::FinishedBenchmarkGroup => connection.send(&ToBenchmark::Continue)?,
                FromBenchmark::BeginningBenchmark(_)
                | FromBenchmark::SkippingBenchmark(_)
                | FromBenchmark::ScaledValues { .. }
                | FromBenchmark::Other => {}
            }
        }
        Ok(written)
    }

    /// The samples as cargo perf records them: the time per iteration of
    /// each sample, in the order taken.
    fn result(&self, m: &Measurement, unit: &str, version: &str) -> TestResult {
        let config = TestConfig {
            warm_up_ns: m.benchmark_config.warm_up_time.as_nanos(),
            measurement_ns: m.benchmark_config.measurement_time.as_nanos(),
            quick: self.quick,
            processes: 1,
            regression_threshold_pct: None,
            load_overrides: None,
        };
        if unit != "ns" {
            return TestResult {
                config,
                ..self.failed(format!(
                    "it is measured in `{unit}` (a custom criterion Measurement), and cargo \
                     perf gates wall time only"
                ))
            };
        }
        let samples: Vec<f64> = m
            .iters
            .iter()
            .zip(&m.times)
            .map(|(&iters, &time)| time / iters)
            .collect();
        if samples.is_empty() || samples.iter().any(|s| !s.is_finite() || *s <= 0.0) {
            return TestResult {
                config,
                ..self.failed(format!(
                    "criterion {version} reported a sample of no time or no iterations \
                     (an `iter_custom` returning zero?): it cannot be gated"
                ))
            };
        }
        let iterations: f64 = m.iters.iter().sum();
        let per_round = (iterations / samples.len() as f64).round().max(1.0) as u64;
        TestResult {
            config,
            outcome: TestOutcome::Passed,
            stats: BenchStats::from_samples(&samples, per_round),
            samples_ns: samples,
            ..self.failed(String::new())
        }
    }

    /// A result that failed with `message`, for this benchmark.
    fn failed(&self, message: String) -> TestResult {
        TestResult {
            protocol: PROTOCOL_VERSION,
            name: self.name.clone(),
            kind: TestKind::Bench,
            config: TestConfig {
                warm_up_ns: 0,
                measurement_ns: 0,
                quick: self.quick,
                processes: 1,
                regression_threshold_pct: None,
                load_overrides: None,
            },
            outcome: TestOutcome::Failed { message },
            stats: None,
            samples_ns: Vec::new(),
            timer_resolution_ns: 0.0,
            load: None,
            calibration_ns: None,
        }
    }

    /// Writes the result as a perf-runtime binary does: one JSON line. A
    /// failure to write leaves no result, which the run reports.
    fn write(&self, result: TestResult) {
        if let Ok(mut line) = serde_json::to_string(&result) {
            line.push('\n');
            let _ = std::fs::write(&self.result_path, line);
        }
    }
}

#[cfg(test)]
mod tests;
