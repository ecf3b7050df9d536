//! One process measuring one test: started with the test's arguments and
//! the run's settings, its progress relayed, its result read back, and a
//! crash, a panic or a process past its time limit turned into the record
//! of a failed test.

use std::path::Path;
use std::process::Command;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use perf_record::format;
use perf_record::protocol::env;
use perf_record::{TestConfig, TestOutcome, TestRecord, TestResult};

use super::deadline::Deadline;
use super::options::RunOptions;
use super::progress::{PROGRESS_PREFIX, Progress};
use crate::cargo::PerfBinary;
use crate::discover::{DiscoveredTest, Harness};
use crate::error::CliError;

/// A few words on a finished process, for the progress line.
pub(crate) fn summary_of(result: &TestResult) -> String {
    match (&result.stats, &result.load) {
        (_, Some(load)) => format!(
            "{:.0} req/s, p95 {:.2} ms, errors {:.2}%",
            load.rps,
            load.latency.p95_us as f64 / 1e3,
            load.error_rate_pct
        ),
        (Some(stats), None) => format!("median {}", format::nanos(stats.median_ns)),
        (None, None) => "ok".to_owned(),
    }
}

/// How one process is started: the run's settings, the share of the
/// test's budget it spends, and the length of its environment's padding.
pub(crate) struct Launch<'a> {
    /// The settings.
    pub(crate) options: &'a RunOptions,
    /// Into how many processes the test's budget is split.
    pub(crate) share: u32,
    /// The padding drawn for it (see [`crate::run::draw`]).
    pub(crate) pad: u16,
}

/// Runs one process measuring one test: its result, or the record of its
/// failure.
pub(crate) fn run_process(
    test: &DiscoveredTest,
    binary: &PerfBinary,
    Launch {
        options,
        share,
        pad,
    }: Launch<'_>,
    target: Option<&str>,
    result_path: &Path,
    progress: &mut Progress,
) -> Result<Result<TestResult, TestRecord>, CliError> {
    let mut command = Command::new(&binary.executable);
    // A criterion bench is run with criterion's command line and answered
    // on a port; what it measured reaches `result_path` all the same.
    let session = match test.harness {
        Harness::PerfRuntime => {
            command.args(one_test_args(test));
            None
        }
        Harness::Criterion => Some(
            crate::criterion::Session::start(
                &mut command,
                &test.listed.name,
                &crate::criterion::BudgetFlags {
                    quick: options.quick,
                    warm_up: options.warm_up,
                    measurement: options.measurement,
                },
                share,
                result_path,
            )
            .map_err(|source| CliError::Io {
                message: "failed to open a port for a criterion benchmark".into(),
                source,
            })?,
        ),
    };
    command
        .current_dir(&binary.target.manifest_dir)
        .env("CARGO_MANIFEST_DIR", &binary.target.manifest_dir)
        .env("CARGO_PKG_NAME", &binary.target.package)
        .env(env::RESULT_OUT, result_path)
        .env(env::SHARE, share.to_string())
        .env(env::PAD, ".".repeat(usize::from(pad)));
    if test.listed.ignored {
        command.arg("--include-ignored");
    }
    if let Some(url) = target {
        command.env(env::TARGET_URL, url);
    }
    if let Some(threads) = options.generator_threads {
        command.env(env::GENERATOR_THREADS, threads.to_string());
    }
    if options.allow_remote {
        command.env("PERF_ALLOW_REMOTE", "1");
    }
    if options.insecure {
        command.env(env::INSECURE, "1");
    }
    if let Some(ca_cert) = &options.ca_cert {
        command.env(env::CA_CERT, ca_cert);
    }
    if options.http2 {
        command.env(env::HTTP2, "1");
    }
    if let Some(streams) = options.http2_streams {
        command.env(env::HTTP2_STREAMS, streams.to_string());
    }
    if let Some(scale) = options.duration_scale {
        command.env(env::DURATION_SCALE, scale.to_string());
    }
    if let Some(overrides) = options.load_overrides_for(test) {
        let json = serde_json::to_string(&overrides).map_err(|e| CliError::Io {
            message: "failed to write the workload flags".to_owned(),
            source: std::io::Error::other(e),
        })?;
        command.env(env::LOAD_OVERRIDES, json);
    }
    if options.quick {
        command.env(env::QUICK, "1");
    }
    if options.skip_calibration {
        command.env(env::NO_CALIBRATION, "1");
    }
    if let Some(warm_up) = options.warm_up {
        command.env(env::WARM_UP_TIME, format!("{}ns", warm_up.as_nanos()));
    }
    if let Some(measurement) = options.measurement {
        command.env(
            env::MEASUREMENT_TIME,
            format!("{}ns", measurement.as_nanos()),
        );
    }
    let failed_to_run = |source| CliError::Io {
        message: format!("failed to run {}", binary.executable.display()),
        source,
    };
    if target.is_some() {
        command.env(env::PROGRESS, "1");
    }
    // A share of a split load test waits for its shared start: its time
    // limit counts from there.
    let split = options
        .split
        .as_ref()
        .filter(|_| test.listed.kind == perf_record::TestKind::Load);
    let mut started = Instant::now();
    if let Some(split) = split {
        let (vars, at) = split.next_start();
        command.envs(vars);
        started = started.max(at);
    }
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(failed_to_run)?;
    let pid = child.id();
    crate::interrupt::track(pid);
    // stdout is drained on a thread while stderr is read here, line by
    // line, for the load generator's progress.
    let stdout = child.stdout.take().map(|mut out| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = std::io::Read::read_to_end(&mut out, &mut text);
            text
        })
    });
    // stderr is read on a thread too, so that this one can watch the
    // clock: a process past its limit is killed.
    let (lines_out, lines) = mpsc::channel::<String>();
    if let Some(err) = child.stderr.take() {
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(err)).map_while(Result::ok)
            {
                if lines_out.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let mut deadline = Deadline::for_job(test, options, share, started);
    let mut stderr = String::new();
    let mut timed_out = false;
    loop {
        match lines.recv_timeout(deadline.remaining(Instant::now())) {
            Ok(line) => match line.strip_prefix(PROGRESS_PREFIX) {
                Some(json) => {
                    deadline.on_progress(json, Instant::now());
                    progress.live(json);
                }
                None => match (split, line.strip_prefix(perf_record::split::START_PREFIX)) {
                    (Some(split), Some(json)) => split.started(&test.id.to_string(), json),
                    _ => {
                        stderr.push_str(&line);
                        stderr.push('\n');
                    }
                },
            },
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                if deadline.remaining(Instant::now()).is_zero() {
                    // Already exited is fine: wait() below reaps it.
                    let _ = child.kill();
                    timed_out = true;
                    break;
                }
            }
        }
    }
    let status = child.wait();
    crate::interrupt::forget(pid);
    if let Some(session) = session {
        session.finish();
    }
    let status = status.map_err(failed_to_run)?;
    let stdout = stdout.and_then(|t| t.join().ok()).unwrap_or_default();
    let output = std::process::Output {
        status,
        stdout,
        stderr: Vec::new(),
    };
    if options.verbose {
        eprint!("{}{stderr}", String::from_utf8_lossy(&output.stdout));
    }
    let result = (!timed_out)
        .then(|| std::fs::read_to_string(result_path).ok())
        .flatten()
        .and_then(|text| {
            text.lines()
                .filter_map(|line| serde_json::from_str::<TestResult>(line).ok())
                .find(|r| r.name == test.listed.name)
                .map(TestResult::into_printable)
        });
    if let Some(split) = split {
        // Every share plans its next start from the workload's planned
        // length, the same in each, not from how long this one took.
        split.finished(Duration::from_nanos(
            result.as_ref().map_or(0, |r| r.config.measurement_ns),
        ));
    }
    let failed = |config: TestConfig, message: String| TestRecord {
        id: test.id.clone(),
        kind: test.listed.kind,
        config,
        outcome: TestOutcome::Failed {
            message: perf_record::format::printable(&message).into_owned(),
        },
        stats: None,
        samples_ns: Vec::new(),
        process_medians_ns: Vec::new(),
        timer_resolution_ns: 0.0,
        load: None,
        server: None,
        thresholds: Vec::new(),
        instructions: None,
    };
    Ok(match result {
        Some(result) => match result.outcome {
            TestOutcome::Passed => Ok(result),
            // A load test that failed on what it measured (no response)
            // keeps its figures: its errors and thresholds are reported.
            TestOutcome::Failed { message } => Err(TestRecord {
                load: result.load,
                ..failed(result.config, with_panic_location(message, &stderr))
            }),
        },
        // Killed at its limit; or the process died before it could write
        // a result: a crash, an abort, or a binary that is not what it
        // claimed to be.
        None => Err(failed(
            TestConfig {
                warm_up_ns: 0,
                measurement_ns: 0,
                quick: options.quick,
                processes: 1,
                regression_threshold_pct: test.listed.regression_threshold_pct,
                load_overrides: options.load_overrides_for(test),
            },
            if timed_out {
                format!("{}{}", deadline.message(), tail(&stderr, 15))
            } else {
                format!(
                    "the test process exited with {} before reporting a result{}",
                    output.status,
                    tail(&stderr, 15)
                )
            },
        )),
    })
}

/// The libtest arguments that run `test` alone, measured.
pub(crate) fn one_test_args(test: &DiscoveredTest) -> [&str; 5] {
    [
        "--exact",
        &test.listed.name,
        "--bench",
        "--test-threads",
        "1",
    ]
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
