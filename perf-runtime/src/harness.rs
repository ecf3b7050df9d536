//! The test binary's `main`: libtest's command line through libtest-mimic,
//! so `cargo test`, `cargo bench`, nextest and `cargo perf` all drive it.
//!
//! Without `--bench` every perf test runs once, as a smoke test. With
//! `--bench` (as `cargo bench` and `cargo perf` pass it) each is measured,
//! one at a time.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libtest_mimic::{Arguments, Completion, Failed, Trial};
use perf_record::format;
use perf_record::protocol::{self, PROTOCOL_VERSION, env};
use perf_record::{BenchStats, ListedTest, Listing, TestConfig, TestKind, TestOutcome, TestResult};

use crate::bench::bencher::Bencher;
use crate::bench::engine::{EngineConfig, Sampler, timer_resolution};
use crate::bench::stopping::Stopping;
use crate::outcome::{append_result, panic_message};
use crate::registry::{DynamicBench, Registered, TestFn, entries};

/// Warm-up time when neither the test nor the command line sets one.
pub const DEFAULT_WARM_UP: Duration = Duration::from_nanos(protocol::DEFAULT_WARM_UP_NS);
/// Measurement time when neither the test nor the command line sets one.
pub const DEFAULT_MEASUREMENT: Duration = Duration::from_nanos(protocol::DEFAULT_MEASUREMENT_NS);
/// Longest warm-up in quick mode.
pub const QUICK_WARM_UP: Duration = Duration::from_nanos(protocol::QUICK_WARM_UP_NS);
/// Longest measurement in quick mode.
pub const QUICK_MEASUREMENT: Duration = Duration::from_nanos(protocol::QUICK_MEASUREMENT_NS);
/// Samples aimed for within the measurement time.
const TARGET_ROUNDS: u64 = 100;
/// Samples always taken, even past the budget.
const MIN_ROUNDS: u64 = 10;
/// The threshold a test's precision target is a fraction of when the test
/// sets none of its own: the 5% a team gating micro-benchmarks typically
/// sets, tighter than cargo perf's default, so that a process measures
/// enough for either.
const ASSUMED_THRESHOLD_PCT: f64 = 5.0;

/// What the environment asks of this run.
#[derive(Debug, Clone, Default)]
struct RunSettings {
    quick: bool,
    share: u32,
    warm_up: Option<Duration>,
    measurement: Option<Duration>,
    result_out: Option<PathBuf>,
    count_iterations: Option<u64>,
    no_calibration: bool,
}

impl RunSettings {
    fn from_env() -> Result<Self, String> {
        let duration = |name: &str| -> Result<Option<Duration>, String> {
            match std::env::var(name) {
                Ok(text) => perf_record::parse_duration(&text)
                    .map(Some)
                    .map_err(|e| format!("invalid {name}: {e}")),
                Err(_) => Ok(None),
            }
        };
        Ok(Self {
            quick: std::env::var(env::QUICK).is_ok_and(|v| v == "1" || v == "true"),
            no_calibration: std::env::var(env::NO_CALIBRATION).is_ok_and(|v| v == "1"),
            share: match std::env::var(env::SHARE) {
                Ok(text) => text
                    .parse::<u32>()
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| {
                        format!(
                            "invalid {}: `{text}` is not a whole number of at least 1",
                            env::SHARE
                        )
                    })?,
                Err(_) => 1,
            },
            warm_up: duration(env::WARM_UP_TIME)?,
            measurement: duration(env::MEASUREMENT_TIME)?,
            result_out: std::env::var_os(env::RESULT_OUT).map(PathBuf::from),
            count_iterations: match std::env::var(env::COUNT_ITERATIONS) {
                Ok(text) => Some(text.parse::<u64>().ok().filter(|&n| n >= 1).ok_or_else(
                    || {
                        format!(
                            "invalid {}: `{text}` is not a whole number of at least 1",
                            env::COUNT_ITERATIONS
                        )
                    },
                )?),
                Err(_) => None,
            },
        })
    }

    fn config_for(&self, entry: &Registered) -> TestConfig {
        let pick =
            |over: Option<Duration>, own: Option<u64>, default: Duration, quick: Duration| {
                over.unwrap_or_else(|| {
                    let own = own.map_or(default, Duration::from_nanos);
                    if self.quick { own.min(quick) } else { own }
                })
            };
        let nanos = |d: Duration| u64::try_from((d / self.share).as_nanos()).unwrap_or(u64::MAX);
        TestConfig {
            warm_up_ns: nanos(pick(
                self.warm_up,
                entry.warm_up_ns(),
                DEFAULT_WARM_UP,
                QUICK_WARM_UP,
            )),
            measurement_ns: nanos(pick(
                self.measurement,
                entry.measurement_ns(),
                DEFAULT_MEASUREMENT,
                QUICK_MEASUREMENT,
            )),
            quick: self.quick,
            processes: 1,
            regression_threshold_pct: entry.regression_threshold_pct(),
            load_overrides: None,
        }
    }
}

/// Runs the perf tests of this binary as libtest would; the binary's
/// `main` is this function (see [`crate::main!`]).
pub fn run_main() -> ExitCode {
    run_main_with(Vec::new())
}

/// [`run_main`] with benchmarks built at run time besides the registered
/// ones (a compat crate's, see [`DynamicBench`]).
pub fn run_main_with(dynamic: Vec<DynamicBench>) -> ExitCode {
    let mut args = Arguments::from_args();
    let settings = match RunSettings::from_env() {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let entries = entries(dynamic);
    if let Some(path) = std::env::var_os(env::LIST_OUT).filter(|_| args.list)
        && let Err(error) = write_listing(&entries, &PathBuf::from(&path))
    {
        eprintln!(
            "error: failed to write the test listing to {}: {error}",
            PathBuf::from(path).display()
        );
        return ExitCode::from(1);
    }
    // libtest-mimic would skip every `Trial::test` under `--bench`; perf
    // tests are listed as tests (nextest understands no other kind) and
    // `--bench` switches them from a smoke run to a measurement.
    let measure = std::mem::take(&mut args.bench);
    if measure && settings.result_out.is_some() {
        // Run by cargo perf: end with it.
        crate::watchdog::end_with_parent();
    }
    if measure {
        // Benchmarks must not share the CPU.
        args.test_threads = Some(1);
    }
    let resolution = if measure && !args.list {
        timer_resolution()
    } else {
        Duration::from_nanos(1)
    };
    let summary: Arc<Mutex<Vec<(String, BenchStats)>>> = Arc::default();
    let trials = entries
        .iter()
        .map(|entry| {
            let settings = settings.clone();
            let summary = Arc::clone(&summary);
            let ignore = entry.ignore();
            let entry = entry.clone();
            Trial::ignorable_test(entry.test_name(), move || match &entry {
                Registered::Entry(static_entry) => match static_entry.run {
                    TestFn::Bench(function) => run_entry(
                        &entry,
                        &|bencher| function(bencher),
                        measure,
                        resolution,
                        &settings,
                        &summary,
                    )
                    .map(|()| Completion::Completed),
                    TestFn::Load {
                        run,
                        options,
                        thresholds,
                    } => crate::load::run::run_load_entry(
                        static_entry,
                        run,
                        options,
                        thresholds,
                        measure,
                        settings.result_out.as_deref(),
                    ),
                },
                Registered::Dynamic(bench) => run_entry(
                    &entry,
                    bench.run.as_ref(),
                    measure,
                    resolution,
                    &settings,
                    &summary,
                )
                .map(|()| Completion::Completed),
            })
            .with_ignored_flag(ignore)
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    if measure {
        let summary = summary.lock().unwrap_or_else(|poison| poison.into_inner());
        print_summary(&summary);
    }
    conclusion.exit_code()
}

fn write_listing(entries: &[Registered], path: &PathBuf) -> std::io::Result<()> {
    let listing = Listing {
        protocol: PROTOCOL_VERSION,
        runtime_version: env!("CARGO_PKG_VERSION").to_owned(),
        tests: entries.iter().map(listed).collect(),
    };
    let json = serde_json::to_vec(&listing).map_err(std::io::Error::other)?;
    std::fs::write(path, json)
}

fn listed(registered: &Registered) -> ListedTest {
    match registered {
        Registered::Dynamic(bench) => ListedTest {
            name: bench.name.clone(),
            kind: TestKind::Bench,
            ignored: bench.ignore,
            ignore_reason: None,
            regression_threshold_pct: None,
            warm_up_ns: bench.warm_up_ns,
            measurement_ns: bench.measurement_ns,
            source: protocol::SourceLocation {
                file: bench.file.to_owned(),
                line: bench.line,
            },
            instructions: false,
            time_limit_ns: None,
            thresholds: Vec::new(),
            whole_run: false,
            unsupported: bench.unsupported.clone(),
            load_shape: None,
        },
        Registered::Entry(entry) => ListedTest {
            name: entry.test_name(),
            kind: kind_of(registered),
            ignored: entry.ignore,
            ignore_reason: entry.ignore_reason.map(str::to_owned),
            regression_threshold_pct: entry.regression_threshold_pct,
            warm_up_ns: entry.warm_up_ns,
            measurement_ns: entry.measurement_ns,
            source: protocol::SourceLocation {
                file: entry.file.to_owned(),
                line: entry.line,
            },
            instructions: entry.count_instructions,
            time_limit_ns: entry.time_limit_ns,
            thresholds: match entry.run {
                TestFn::Bench(_) => Vec::new(),
                // Checked by the macro at compile time.
                TestFn::Load { thresholds, .. } => crate::registry::parse_thresholds(thresholds),
            },
            whole_run: matches!(entry.run, TestFn::Load { options, .. } if options.sweep.is_some()),
            unsupported: Vec::new(),
            load_shape: match entry.run {
                TestFn::Bench(_) => None,
                TestFn::Load { options, .. } => Some(options.shape()),
            },
        },
    }
}

fn kind_of(entry: &Registered) -> TestKind {
    match entry {
        Registered::Entry(entry) => match entry.run {
            TestFn::Bench(_) => TestKind::Bench,
            TestFn::Load { .. } => TestKind::Load,
        },
        Registered::Dynamic(_) => TestKind::Bench,
    }
}

fn run_entry(
    entry: &Registered,
    function: &dyn Fn(&mut Bencher),
    measure: bool,
    resolution: Duration,
    settings: &RunSettings,
    summary: &Mutex<Vec<(String, BenchStats)>>,
) -> Result<(), Failed> {
    let config = settings.config_for(entry);
    // Counting instructions: the routine runs N times, untimed, and the
    // count of the whole process is the measurement (taken outside).
    let measure = measure && settings.count_iterations.is_none();
    let sampler = if let Some(iterations) = settings.count_iterations {
        Sampler::fixed(iterations)
    } else if measure {
        Sampler::measure(EngineConfig {
            warm_up: Duration::from_nanos(config.warm_up_ns),
            measurement: Duration::from_nanos(config.measurement_ns),
            timer_resolution: resolution,
            target_rounds: TARGET_ROUNDS,
            min_rounds: MIN_ROUNDS,
            target: Stopping::target_for(
                entry
                    .regression_threshold_pct()
                    .unwrap_or(ASSUMED_THRESHOLD_PCT),
            ),
        })
    } else {
        Sampler::smoke()
    };
    let mut bencher = Bencher::new(sampler);
    let outcome = match catch_unwind(AssertUnwindSafe(|| function(&mut bencher))) {
        Err(payload) => TestOutcome::Failed {
            message: panic_message(payload.as_ref()),
        },
        Ok(()) if !bencher.was_used() => TestOutcome::Failed {
            message: "the perf test never called `Bencher::iter`, `iter_with_setup` or \
                      `iter_async`, so there was nothing to measure"
                .to_owned(),
        },
        Ok(()) => TestOutcome::Passed,
    };
    let sampler = bencher.into_sampler();
    let stats = if measure && outcome.is_passed() {
        BenchStats::from_samples(sampler.samples_ns(), sampler.iterations_per_round()).map(
            |mut stats| {
                stats.stopped = sampler.stopped();
                stats
            },
        )
    } else {
        None
    };
    if let Some(stats) = &stats {
        summary
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push((entry.test_name(), stats.clone()));
    }
    if let Some(path) = &settings.result_out {
        // The machine's speed right after the test, for cargo perf to
        // judge the test's change against (see `bench::calibration`).
        let calibration_ns = stats
            .as_ref()
            .filter(|_| !settings.no_calibration)
            .and_then(|_| crate::bench::calibration::measure(resolution));
        let result = TestResult {
            protocol: PROTOCOL_VERSION,
            name: entry.test_name(),
            kind: kind_of(entry),
            config,
            outcome: outcome.clone(),
            stats,
            samples_ns: if measure {
                sampler.samples_ns().to_vec()
            } else {
                Vec::new()
            },
            timer_resolution_ns: resolution.as_nanos() as f64,
            load: None,
            calibration_ns,
        };
        if let Err(error) = append_result(path, &result) {
            return Err(
                format!("failed to write the result to {}: {error}", path.display()).into(),
            );
        }
    }
    match outcome {
        TestOutcome::Passed => Ok(()),
        TestOutcome::Failed { message } => Err(message.into()),
    }
}

fn print_summary(summary: &[(String, BenchStats)]) {
    if summary.is_empty() {
        return;
    }
    let width = summary
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0);
    println!();
    for (name, stats) in summary {
        println!(
            "{name:width$}  median {:>11}  [{} .. {}]  mean {}  ± {}  ({} x {} iters)",
            format::nanos(stats.median_ns),
            format::nanos(stats.median_ci_low_ns),
            format::nanos(stats.median_ci_high_ns),
            format::nanos(stats.mean_ns),
            format::nanos(stats.stddev_ns),
            stats.rounds,
            stats.iterations_per_round,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bench_built_at_run_time_is_listed_with_what_it_cannot_honour() {
        let bench = DynamicBench {
            name: "fibonacci::slow/10".to_owned(),
            file: "benches/divan.rs",
            line: 7,
            ignore: true,
            warm_up_ns: None,
            measurement_ns: Some(500),
            unsupported: vec!["`threads = [4]` is not honoured".to_owned()],
            run: Arc::new(|_| {}),
        };
        let listed = listed(&Registered::Dynamic(Arc::new(bench)));
        assert_eq!(listed.name, "fibonacci::slow/10");
        assert_eq!(listed.kind, TestKind::Bench);
        assert!(listed.ignored);
        assert_eq!(listed.measurement_ns, Some(500));
        assert_eq!(listed.source.line, 7);
        assert_eq!(listed.unsupported, ["`threads = [4]` is not honoured"]);
    }
}
