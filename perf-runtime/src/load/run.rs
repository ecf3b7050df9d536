//! A load test inside the harness: under `cargo perf` (`--bench`) it runs
//! its workload against `PERF_TARGET_URL`; under `cargo test` it runs a few
//! iterations when a target is set, and is ignored (with the reason) when
//! not.

use perf_record::kinds::KindOptions;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Duration;

use libtest_mimic::{Completion, Failed};
use perf_record::load::LoadStats;
use perf_record::overrides::LoadOverrides;
use perf_record::protocol::{PROTOCOL_VERSION, env};
use perf_record::threshold::Threshold;
use perf_record::{TestConfig, TestKind, TestOutcome, TestResult};

use crate::load::engine::{self, Generator};
use crate::load::http::target::resolve_target;
use crate::load::http::trust::TlsOptions;
use crate::load::kinds::{Smoke, runner, smoke};
use crate::load::profile::{LoadOptions, LoadProfile, apply_to_kind};
use crate::load::split::SplitStart;
use crate::load::user::LoadFn;
use crate::outcome::{append_result, panic_message};
use crate::registry::PerfTestEntry;

/// Iterations of a smoke run under `cargo test`.
const SMOKE_ITERATIONS: u32 = 3;

fn target_url() -> Option<String> {
    std::env::var(env::TARGET_URL)
        .ok()
        .filter(|u| !u.trim().is_empty())
}

fn allow_remote() -> bool {
    std::env::var("PERF_ALLOW_REMOTE").is_ok_and(|v| v == "1" || v == "true")
}

/// Runs one load test entry.
pub(crate) fn run_load_entry(
    entry: &PerfTestEntry,
    run: LoadFn,
    options: &'static LoadOptions,
    thresholds: &[crate::registry::DeclaredThreshold],
    measure: bool,
    result_out: Option<&Path>,
) -> Result<Completion, Failed> {
    if !measure {
        let Some(url) = target_url() else {
            return Ok(Completion::ignored_with(
                "a load test: set PERF_TARGET_URL=http://127.0.0.1:PORT to smoke-test it against a running server, \
                 or run `cargo perf`, which starts the server",
            ));
        };
        let target = resolve_target(&url, allow_remote(), &TlsOptions::from_env())?;
        let Smoke {
            level,
            label,
            timeout,
        } = options.sweep.as_ref().map_or_else(Smoke::default, smoke);
        return engine::smoke(run, target, SMOKE_ITERATIONS, level, label, timeout)
            .map(|()| Completion::Completed)
            .map_err(Failed::from);
    }
    let thresholds = crate::registry::parse_thresholds(thresholds);
    let flags = load_overrides();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let flags = flags.clone()?;
        measure_load(run, options, &flags, &thresholds)
    }));
    let (outcome, stats, total) = match outcome {
        Ok(Ok((stats, total))) => {
            let outcome = match unanswered(&stats, options) {
                Some(message) => TestOutcome::Failed { message },
                None => TestOutcome::Passed,
            };
            (outcome, Some(stats), total)
        }
        Ok(Err(message)) => (TestOutcome::Failed { message }, None, Duration::ZERO),
        Err(payload) => (
            TestOutcome::Failed {
                message: panic_message(payload.as_ref()),
            },
            None,
            Duration::ZERO,
        ),
    };
    if let Some(stats) = &stats {
        print_load_summary(&entry.test_name(), stats);
    }
    if let Some(path) = result_out {
        let result = TestResult {
            protocol: PROTOCOL_VERSION,
            name: entry.test_name(),
            kind: TestKind::Load,
            config: TestConfig {
                warm_up_ns: 0,
                measurement_ns: u64::try_from(total.as_nanos()).unwrap_or(u64::MAX),
                quick: false,
                processes: 1,
                regression_threshold_pct: entry.regression_threshold_pct,
                load_overrides: flags.ok().filter(|f| !f.is_empty()),
            },
            outcome: outcome.clone(),
            stats: None,
            calibration_ns: None,
            samples_ns: Vec::new(),
            timer_resolution_ns: 0.0,
            load: stats,
        };
        append_result(path, &result).map_err(|e| {
            Failed::from(format!(
                "failed to write the result to {}: {e}",
                path.display()
            ))
        })?;
    }
    match outcome {
        TestOutcome::Passed => Ok(Completion::Completed),
        TestOutcome::Failed { message } => Err(message.into()),
    }
}

/// Why a test that measured no response at all fails: its latency and
/// throughput describe nothing, and a threshold on them would be judged on
/// an empty histogram. A timeout test's requests time out on purpose; its
/// own analysis reads them.
fn unanswered(stats: &LoadStats, options: &'static LoadOptions) -> Option<String> {
    if stats.latency.count > 0
        || options
            .sweep
            .as_ref()
            .is_some_and(|s| runner(s).times_out_on_purpose())
    {
        return None;
    }
    if stats.requests == 0 {
        return Some(format!(
            "no response measured: no request was sent in the workload's {:.3} s \
             (too short? check --duration-scale)",
            stats.duration_s
        ));
    }
    let errors: Vec<String> = stats
        .errors
        .iter()
        .map(|(kind, e)| format!("{} {kind}", e.count))
        .collect();
    Some(format!(
        "no response measured: none of its {} request(s) was answered ({})",
        stats.requests,
        errors.join(", ")
    ))
}

/// The command line's workload flags ([`env::LOAD_OVERRIDES`]).
fn load_overrides() -> Result<LoadOverrides, String> {
    match std::env::var(env::LOAD_OVERRIDES) {
        Ok(json) => serde_json::from_str(&json)
            .map_err(|e| format!("invalid {}: {e}: `{json}`", env::LOAD_OVERRIDES)),
        Err(_) => Ok(LoadOverrides::default()),
    }
}

fn measure_load(
    run: LoadFn,
    options: &'static LoadOptions,
    flags: &LoadOverrides,
    thresholds: &[Threshold],
) -> Result<(LoadStats, Duration), String> {
    let url = target_url().ok_or_else(|| {
        "no server to load: `cargo perf` starts one from [package.metadata.perf.server], \
         or set PERF_TARGET_URL=http://127.0.0.1:PORT"
            .to_owned()
    })?;
    let target = resolve_target(&url, allow_remote(), &TlsOptions::from_env())?;
    let scale = match std::env::var(env::DURATION_SCALE) {
        Ok(text) => text
            .parse::<f64>()
            .map_err(|_| format!("invalid {}: `{text}` is not a number", env::DURATION_SCALE))?,
        Err(_) => 1.0,
    };
    let threads = match std::env::var(env::GENERATOR_THREADS) {
        Ok(text) => perf_record::protocol::parse_generator_threads(&text)?,
        // Leave half the cores to the server under test.
        Err(_) => std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
    };
    let split = SplitStart::from_env()?;
    let generator = Generator {
        load_fn: run,
        target: &target,
        threads,
        split: split.map(|s| s.split),
    };
    // Last before the workload, so that it starts as close to the shared
    // instant as this process can.
    let start = || split.map(|s| s.wait()).transpose();
    if let Some(sweep) = &options.sweep {
        let sweep: &'static KindOptions = if flags.is_empty() {
            sweep
        } else {
            // One test per process: its options live as long as it.
            Box::leak(Box::new(
                apply_to_kind(sweep, flags).map_err(|e| format!("invalid workload: {e}"))?,
            ))
        };
        start()?;
        return run_kind(generator, sweep, scale, thresholds);
    }
    let profile = LoadProfile::resolve_with(options, flags, scale)
        .map_err(|e| format!("invalid workload: {e}"))?;
    start()?;
    let stats = generator.run(&profile)?;
    Ok((stats, profile.total()))
}

/// Runs a test of a catalogue kind with the kind's runner, handing it the
/// kind's own options.
fn run_kind(
    generator: Generator<'_>,
    options: &'static KindOptions,
    scale: f64,
    thresholds: &[Threshold],
) -> Result<(LoadStats, Duration), String> {
    runner(options).run(generator, scale, thresholds)
}

fn print_load_summary(name: &str, stats: &LoadStats) {
    let ms = |us: u64| us as f64 / 1e3;
    println!(
        "\n{name}: {} requests, {:.1} req/s, {} received, errors {:.2}%, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, \
         max {:.2} ms",
        stats.requests,
        stats.rps,
        perf_record::format::byte_rate(stats.transfer.received_per_s),
        stats.error_rate_pct,
        ms(stats.latency.p50_us),
        ms(stats.latency.p95_us),
        ms(stats.latency.p99_us),
        ms(stats.latency.max_us),
    );
    if let Some(sweep) = &stats.sweep {
        for finding in &sweep.findings {
            println!("{}: {finding}", sweep.kind);
        }
    }
    for warning in &stats.warnings {
        println!("warning: {warning}");
    }
}
