//! Running the selected tests one at a time, each in its own process, so
//! that benchmarks never share the CPU and a crash or panic in one test
//! never hides the others.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use perf_record::load::ServerStats;
use perf_record::protocol::env;
use perf_record::units::format_nanos;
use perf_record::{BenchStats, TestConfig, TestKind, TestOutcome, TestRecord, TestResult};

use super::progress::{PROGRESS_PREFIX, Progress};
use crate::cargo::PerfBinary;
use crate::discover::DiscoveredTest;
use crate::error::CliError;
use crate::server::{Sampler, ServerManager};

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
    /// `--allow-remote`: the binaries may load a non-loopback target.
    pub allow_remote: bool,
    /// `--verbose`: show the binaries' output.
    pub verbose: bool,
    /// `--instructions`: count instructions for every benchmark.
    pub instructions: bool,
}

/// Runs the tests and returns one record each.
///
/// Each test is measured in `processes` separate processes, each spending
/// its share of the time budget, and the passes go round the tests in turn
/// (test 1, test 2, ..., test 1, test 2, ...). A fresh process draws a new
/// address-space layout, new hash seeds and a fresh allocator, which move
/// a benchmark's median by several percent between runs of the same
/// binary; measuring several of them shows that spread instead of hiding
/// it, and interleaving the passes spreads slow drifts of the machine over
/// every test alike.
pub fn run_tests(
    tests: &[DiscoveredTest],
    binaries: &[PerfBinary],
    options: &RunOptions,
    scratch: &Path,
    servers: &mut ServerManager,
) -> Result<Vec<TestRecord>, CliError> {
    let passes = options.processes.max(1);
    let is_load = |t: &DiscoveredTest| t.listed.kind == TestKind::Load;
    let steps = tests
        .iter()
        .map(|t| if is_load(t) { 1 } else { passes as usize })
        .sum();
    let mut progress = Progress::new(steps);
    let mut results: Vec<Vec<TestResult>> = vec![Vec::new(); tests.len()];
    let mut failures: Vec<Option<TestRecord>> = vec![None; tests.len()];
    let mut server_stats: Vec<Option<ServerStats>> = vec![None; tests.len()];
    let last_load = tests.iter().rposition(is_load);
    let mut step = 0;
    for pass in 0..passes {
        for (index, test) in tests.iter().enumerate() {
            // A load test runs once: its length is its workload's.
            let load = is_load(test);
            if load && pass > 0 {
                continue;
            }
            step += 1;
            if failures[index].is_some() {
                // A failed test is not run again: its failure is the news.
                continue;
            }
            let binary = &binaries[test.binary];
            let (target, sampler) = if load {
                let url = servers.url_for_test()?;
                (Some(url), servers.sample())
            } else {
                (None, None)
            };
            let share = if load { 1 } else { passes };
            let label_passes = if load { 1 } else { passes };
            progress.start(step, test, pass, label_passes);
            let path = scratch.join(format!("result-{index}-{pass}.jsonl"));
            let outcome = run_process(
                test,
                binary,
                options,
                share,
                target.as_deref(),
                &path,
                &mut progress,
            )?;
            if load {
                server_stats[index] = sampler.and_then(Sampler::finish);
                servers.after_test()?;
                if Some(index) == last_load {
                    // The benchmarks that follow must not share the machine
                    // with an idle server.
                    servers.stop();
                }
            }
            match outcome {
                Ok(result) => {
                    progress.finish(step, test, pass, label_passes, Some(summary_of(&result)));
                    results[index].push(result);
                }
                Err(failed) => {
                    progress.finish(step, test, pass, label_passes, None);
                    failures[index] = Some(failed);
                }
            }
        }
    }
    Ok(tests
        .iter()
        .zip(results)
        .zip(failures)
        .zip(server_stats)
        .map(|(((test, results), failure), server)| {
            let mut record = failure.unwrap_or_else(|| merge(test, results));
            record.server = server;
            crate::run::soak::analyse(&mut record);
            count_instructions(&mut record, test, &binaries[test.binary], options);
            record
        })
        .collect())
}

/// Adds the instruction count to a benchmark's record when `--instructions`
/// or the test asks for it; a count that fails is a warning, not a failed
/// test (the time was measured).
pub(crate) fn count_instructions(
    record: &mut TestRecord,
    test: &DiscoveredTest,
    binary: &PerfBinary,
    options: &RunOptions,
) {
    let wanted = options.instructions || test.listed.instructions;
    let Some(stats) = record.stats.as_ref().filter(|_| wanted) else {
        return;
    };
    let Some(counter) = crate::run::instructions::Counter::detect() else {
        eprintln!(
            "warning: {}: {}",
            test.id,
            crate::run::instructions::Counter::UNAVAILABLE
        );
        return;
    };
    match crate::run::instructions::count(
        counter,
        test,
        &binary.executable,
        &binary.target.manifest_dir,
        stats.median_ns,
    ) {
        Ok(count) => record.instructions = Some(count),
        Err(message) => eprintln!("warning: {}: {message}", test.id),
    }
}

/// A few words on a finished process, for the progress line.
pub(crate) fn summary_of(result: &TestResult) -> String {
    match (&result.stats, &result.load) {
        (_, Some(load)) => format!(
            "{:.0} req/s, p95 {:.2} ms, errors {:.2}%",
            load.rps,
            load.latency.p95_us as f64 / 1e3,
            load.error_rate_pct
        ),
        (Some(stats), None) => format!("median {}", format_nanos(stats.median_ns)),
        (None, None) => "ok".to_owned(),
    }
}

/// One record from the processes that measured a test: the samples are
/// pooled, and each process's median is kept to show their spread.
pub(crate) fn merge(test: &DiscoveredTest, results: Vec<TestResult>) -> TestRecord {
    let processes = u32::try_from(results.len()).unwrap_or(u32::MAX);
    let mut samples = Vec::new();
    let mut process_medians = Vec::new();
    let mut iterations = 0;
    let mut config = None;
    let mut resolution = 0.0_f64;
    let mut kind = test.listed.kind;
    let mut load = None;
    for result in results {
        load = load.or(result.load);
        if let Some(stats) = &result.stats {
            process_medians.push(stats.median_ns);
            iterations += stats.iterations;
        }
        samples.extend(result.samples_ns);
        resolution = resolution.max(result.timer_resolution_ns);
        kind = result.kind;
        let config = config.get_or_insert_with(|| TestConfig {
            warm_up_ns: 0,
            measurement_ns: 0,
            ..result.config.clone()
        });
        config.warm_up_ns += result.config.warm_up_ns;
        config.measurement_ns += result.config.measurement_ns;
    }
    let mut config = config.unwrap_or(TestConfig {
        warm_up_ns: 0,
        measurement_ns: 0,
        quick: false,
        processes: 0,
        regression_threshold_pct: None,
    });
    config.processes = processes;
    let first_batch = samples.len().max(1);
    let stats =
        BenchStats::from_samples(&samples, iterations / first_batch as u64).map(|mut stats| {
            stats.iterations = iterations;
            stats
        });
    TestRecord {
        id: test.id.clone(),
        kind,
        config,
        outcome: TestOutcome::Passed,
        stats,
        samples_ns: samples,
        process_medians_ns: process_medians,
        timer_resolution_ns: resolution,
        load,
        server: None,
        thresholds: Vec::new(),
        instructions: None,
    }
}

/// Runs one process measuring one test: its result, or the record of its
/// failure.
pub(crate) fn run_process(
    test: &DiscoveredTest,
    binary: &PerfBinary,
    options: &RunOptions,
    share: u32,
    target: Option<&str>,
    result_path: &Path,
    progress: &mut Progress,
) -> Result<Result<TestResult, TestRecord>, CliError> {
    let mut command = Command::new(&binary.executable);
    command
        .args(one_test_args(test))
        .current_dir(&binary.target.manifest_dir)
        .env("CARGO_MANIFEST_DIR", &binary.target.manifest_dir)
        .env("CARGO_PKG_NAME", &binary.target.package)
        .env(env::RESULT_OUT, result_path)
        .env(env::SHARE, share.to_string());
    if test.listed.ignored {
        command.arg("--include-ignored");
    }
    if let Some(url) = target {
        command.env(env::TARGET_URL, url);
    }
    if options.allow_remote {
        command.env("PERF_ALLOW_REMOTE", "1");
    }
    if let Some(scale) = options.duration_scale {
        command.env(env::DURATION_SCALE, scale.to_string());
    }
    if options.quick {
        command.env(env::QUICK, "1");
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
    let mut stderr = String::new();
    if let Some(err) = child.stderr.take() {
        for line in std::io::BufRead::lines(std::io::BufReader::new(err)).map_while(Result::ok) {
            match line.strip_prefix(PROGRESS_PREFIX) {
                Some(json) => progress.live(json),
                None => {
                    stderr.push_str(&line);
                    stderr.push('\n');
                }
            }
        }
    }
    let status = child.wait();
    crate::interrupt::forget(pid);
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
    let result = std::fs::read_to_string(result_path).ok().and_then(|text| {
        text.lines()
            .filter_map(|line| serde_json::from_str::<TestResult>(line).ok())
            .find(|r| r.name == test.listed.name)
    });
    let failed = |config: TestConfig, message: String| TestRecord {
        id: test.id.clone(),
        kind: test.listed.kind,
        config,
        outcome: TestOutcome::Failed { message },
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
            TestOutcome::Failed { message } => {
                Err(failed(result.config, with_panic_location(message, &stderr)))
            }
        },
        // The process died before it could write a result: a crash, an
        // abort, or a binary that is not what it claimed to be.
        None => Err(failed(
            TestConfig {
                warm_up_ns: 0,
                measurement_ns: 0,
                quick: options.quick,
                processes: 1,
                regression_threshold_pct: test.listed.regression_threshold_pct,
            },
            format!(
                "the test process exited with {} before reporting a result{}",
                output.status,
                tail(&stderr, 15)
            ),
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
