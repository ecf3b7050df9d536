//! Running the selected tests one at a time, each in its own process, so
//! that benchmarks never share the CPU and a crash or panic in one test
//! never hides the others.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use perf_record::protocol::env;
use perf_record::units::format_nanos;
use perf_record::{TestConfig, TestOutcome, TestRecord, TestResult};

use crate::cargo::PerfBinary;
use crate::discover::DiscoveredTest;
use crate::error::CliError;

/// How the tests are to be measured.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// `--quick`.
    pub quick: bool,
    /// `--warm-up-time`.
    pub warm_up: Option<Duration>,
    /// `--measurement-time`.
    pub measurement: Option<Duration>,
    /// `--verbose`: show the binaries' output.
    pub verbose: bool,
}

/// Runs the tests in order and returns one record each.
pub fn run_tests(
    tests: &[DiscoveredTest],
    binaries: &[PerfBinary],
    options: &RunOptions,
    scratch: &Path,
) -> Result<Vec<TestRecord>, CliError> {
    let mut progress = Progress::new(tests.len());
    let mut records = Vec::with_capacity(tests.len());
    for (index, test) in tests.iter().enumerate() {
        let binary = &binaries[test.binary];
        progress.start(index, test);
        let record = run_one(test, binary, options, &scratch.join(format!("result-{index}.jsonl")))?;
        progress.finish(index, &record);
        records.push(record);
    }
    Ok(records)
}

fn run_one(
    test: &DiscoveredTest,
    binary: &PerfBinary,
    options: &RunOptions,
    result_path: &Path,
) -> Result<TestRecord, CliError> {
    let mut command = Command::new(&binary.executable);
    command
        .args(["--exact", &test.listed.name, "--bench", "--test-threads", "1"])
        .current_dir(&binary.target.manifest_dir)
        .env("CARGO_MANIFEST_DIR", &binary.target.manifest_dir)
        .env("CARGO_PKG_NAME", &binary.target.package)
        .env(env::RESULT_OUT, result_path);
    if test.listed.ignored {
        command.arg("--include-ignored");
    }
    if options.quick {
        command.env(env::QUICK, "1");
    }
    if let Some(warm_up) = options.warm_up {
        command.env(env::WARM_UP_TIME, format!("{}ns", warm_up.as_nanos()));
    }
    if let Some(measurement) = options.measurement {
        command.env(env::MEASUREMENT_TIME, format!("{}ns", measurement.as_nanos()));
    }
    let output = command.output().map_err(|source| CliError::Io {
        message: format!("failed to run {}", binary.executable.display()),
        source,
    })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if options.verbose {
        eprint!("{}{stderr}", String::from_utf8_lossy(&output.stdout));
    }
    let result = std::fs::read_to_string(result_path)
        .ok()
        .and_then(|text| {
            text.lines()
                .filter_map(|line| serde_json::from_str::<TestResult>(line).ok())
                .find(|r| r.name == test.listed.name)
        });
    let record = match result {
        Some(result) => {
            let outcome = match result.outcome {
                TestOutcome::Failed { message } => TestOutcome::Failed {
                    message: with_panic_location(message, &stderr),
                },
                passed @ TestOutcome::Passed => passed,
            };
            TestRecord {
                id: test.id.clone(),
                kind: result.kind,
                config: result.config,
                outcome,
                stats: result.stats,
                samples_ns: result.samples_ns,
                timer_resolution_ns: result.timer_resolution_ns,
            }
        }
        // The process died before it could write a result: a crash, an
        // abort, or a binary that is not what it claimed to be.
        None => TestRecord {
            id: test.id.clone(),
            kind: test.listed.kind,
            config: TestConfig {
                warm_up_ns: 0,
                measurement_ns: 0,
                quick: options.quick,
                regression_threshold_pct: test.listed.regression_threshold_pct,
            },
            outcome: TestOutcome::Failed {
                message: format!(
                    "the test process exited with {} before reporting a result{}",
                    output.status,
                    tail(&stderr, 15)
                ),
            },
            stats: None,
            samples_ns: Vec::new(),
            timer_resolution_ns: 0.0,
        },
    };
    Ok(record)
}

/// Adds where the panic happened (`panicked at src/lib.rs:10:5`), which
/// only the panic hook's output on stderr knows.
fn with_panic_location(message: String, stderr: &str) -> String {
    match stderr.lines().find(|line| line.contains("panicked at ")) {
        Some(line) => {
            let location = line
                .split_once("panicked at ")
                .map_or(line, |(_, rest)| rest)
                .trim_end_matches(':');
            format!("{message} (at {location})")
        }
        None => message,
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    if all.is_empty() {
        return String::new();
    }
    let start = all.len().saturating_sub(lines);
    format!(":\n{}", all[start..].join("\n"))
}

/// Progress on stderr: a line per test, rewritten in place on a terminal.
struct Progress {
    total: usize,
    tty: bool,
    started: Instant,
}

impl Progress {
    fn new(total: usize) -> Self {
        Self {
            total,
            tty: std::io::stderr().is_terminal(),
            started: Instant::now(),
        }
    }

    fn start(&mut self, index: usize, test: &DiscoveredTest) {
        self.started = Instant::now();
        let line = format!("{:>12} [{}/{}] {}", "Running", index + 1, self.total, test.id);
        let mut stderr = std::io::stderr().lock();
        // A failed write to the terminal is not worth stopping the run for.
        let _ = if self.tty {
            write!(stderr, "\r\x1b[2K{line} ...")
        } else {
            writeln!(stderr, "{line}")
        };
        let _ = stderr.flush();
    }

    fn finish(&mut self, index: usize, record: &TestRecord) {
        let elapsed = self.started.elapsed().as_secs_f64();
        let what = match (&record.outcome, &record.stats) {
            (TestOutcome::Failed { .. }, _) => "FAILED".to_owned(),
            (TestOutcome::Passed, Some(stats)) => format!("median {}", format_nanos(stats.median_ns)),
            (TestOutcome::Passed, None) => "ok".to_owned(),
        };
        let line = format!(
            "{:>12} [{}/{}] {} {what} ({elapsed:.1}s)",
            "Finished",
            index + 1,
            self.total,
            record.id
        );
        let mut stderr = std::io::stderr().lock();
        let _ = if self.tty {
            writeln!(stderr, "\r\x1b[2K{line}")
        } else {
            writeln!(stderr, "{line}")
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_locations_are_added() {
        let stderr = "\nthread 'boom' (123) panicked at benches/perf.rs:40:5:\nboom\n";
        assert_eq!(
            with_panic_location("panicked: boom".into(), stderr),
            "panicked: boom (at benches/perf.rs:40:5)"
        );
        assert_eq!(with_panic_location("x".into(), "no panic"), "x");
    }
}
