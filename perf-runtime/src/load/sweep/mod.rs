//! Sweeps: a stress, scalability, volume or pagination test runs one short
//! closed-model step per level (users, payload bytes, page), a spike test
//! one per phase (and per window of the time after the spike), and then
//! reads how the figures change from step to step.

use std::collections::BTreeMap;
use std::time::Duration;

use perf_record::kinds::Kind;
use perf_record::load::{LevelStats, LoadStats, SweepStats, WorkloadSummary};
use perf_record::threshold::Threshold;

use crate::load::engine::{self, LoadFn};
use crate::load::merge::merge;
use crate::load::profile::{LoadOptions, LoadProfile, SweepOptions};
use crate::load::user::Target;

mod analysis;

use analysis::analyse;

/// Runs every level of the sweep (a stress sweep stops at the first level
/// that breaks a threshold) and returns the test's figures with the
/// analysis attached, and how long the workload was meant to take.
pub(crate) fn run(
    load_fn: LoadFn,
    options: &LoadOptions,
    sweep: &SweepOptions,
    scale: f64,
    target: &Target,
    threads: usize,
    thresholds: &[Threshold],
) -> Result<(LoadStats, Duration), String> {
    match sweep.kind {
        Kind::ResponseTime | Kind::Soak => {
            return run_single(load_fn, options, sweep, scale, target, threads);
        }
        Kind::RateLimit
        | Kind::Caching
        | Kind::NPlusOne
        | Kind::Pool
        | Kind::Timeout
        | Kind::Search
        | Kind::WebSocket => {
            return crate::load::catalog::run(load_fn, options, sweep, scale, target, threads);
        }
        Kind::Stress | Kind::Scalability | Kind::Volume | Kind::Pagination | Kind::Spike => {}
    }
    let mut runs: Vec<LoadStats> = Vec::new();
    let mut levels: Vec<LevelStats> = Vec::new();
    let mut total = Duration::ZERO;
    for step in plan(sweep, scale) {
        let options = LoadOptions {
            users: Some(step.users),
            ramp_up_ns: Some(0),
            hold_ns: Some(step.ns),
            think_ns: options.think_ns,
            ..LoadOptions::default()
        };
        let mut profile = LoadProfile::resolve(&options, scale).map_err(|e| {
            format!(
                "invalid {} step ({}): {e}",
                sweep.kind.name(),
                step.describe(sweep)
            )
        })?;
        profile.level = step.level;
        total += profile.total();
        eprintln!("{}: {}", sweep.kind.name(), step.describe(sweep));
        let stats = engine::run(load_fn, &profile, target.clone(), threads)
            .map_err(|e| format!("failed to start the load generator: {e}"))?;
        let missed = if sweep.kind == Kind::Stress {
            missed_thresholds(thresholds, &stats)
        } else {
            Vec::new()
        };
        let broke = !missed.is_empty();
        let mut level = level_stats(step.level, step.users, &stats, missed);
        level.phase = step.phase;
        levels.push(level);
        runs.push(stats);
        if broke {
            break;
        }
    }
    let (metrics, findings) = analyse(sweep, &levels, scale);
    let mut overall = match sweep.kind {
        // The load it sustains: the breaking point's level, or the first
        // level when even that one broke.
        Kind::Stress => {
            let held = levels.iter().take_while(|l| l.missed.is_empty()).count();
            runs.swap_remove(held.saturating_sub(1))
        }
        // The others: every level together.
        _ => merge(&runs),
    };
    overall.workload = WorkloadSummary {
        model: "closed".to_owned(),
        preset: None,
        stages: plan(sweep, scale)
            .iter()
            .take(levels.len())
            .map(|s| (s.ns as f64 / 1e9 * scale, f64::from(s.users)))
            .collect(),
        think_ms: think_ms(options, scale),
        max_in_flight: None,
    };
    overall.sweep = Some(SweepStats {
        kind: sweep.kind,
        parameter: sweep.kind.parameter().to_owned(),
        levels,
        metrics,
        findings,
    });
    Ok((overall, total))
}

/// A test's think time, `[min, max]` in milliseconds after
/// `--duration-scale`, for its workload summary.
pub(crate) fn think_ms(options: &LoadOptions, scale: f64) -> [f64; 2] {
    let ms = |ns: u64| ns as f64 / 1e6 * scale;
    options
        .think_ns
        .map_or([0.0, 0.0], |(low, high)| [ms(low), ms(high)])
}

/// The longest a response-time test may take, before `--duration-scale`.
const RESPONSE_TIME_LIMIT_NS: u64 = 300_000_000_000;

/// The kinds that are one run: a response-time test (one user, a count
/// of requests: scaled by `--duration-scale` like a duration, at least 1)
/// and a soak test (a warm-up and a long hold; cargo perf reads the
/// server's memory over it, which this process cannot see).
fn run_single(
    load_fn: LoadFn,
    options: &LoadOptions,
    sweep: &SweepOptions,
    scale: f64,
    target: &Target,
    threads: usize,
) -> Result<(LoadStats, Duration), String> {
    let mut metrics = BTreeMap::new();
    let mut findings = Vec::new();
    let (users, hold_ns, cap) = match sweep.kind {
        Kind::ResponseTime => {
            let requests = sweep.levels.first().copied().unwrap_or(1);
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a positive count times a positive scale, rounded up"
            )]
            let scaled = ((requests as f64 * scale).ceil() as u64).max(1);
            metrics.insert("requests".to_owned(), scaled as f64);
            (1, RESPONSE_TIME_LIMIT_NS, Some(scaled))
        }
        _ => {
            let [warm_up, hold, _] = sweep.phases_ns;
            metrics.insert("warm_up_s".to_owned(), warm_up as f64 / 1e9 * scale);
            (sweep.users, warm_up + hold, None)
        }
    };
    let single = LoadOptions {
        users: Some(users),
        ramp_up_ns: Some(0),
        hold_ns: Some(hold_ns),
        think_ns: options.think_ns,
        ..LoadOptions::default()
    };
    let mut profile = LoadProfile::resolve(&single, scale)
        .map_err(|e| format!("invalid {} test: {e}", sweep.kind.name()))?;
    profile.max_iterations = cap;
    let mut stats = engine::run(load_fn, &profile, target.clone(), threads)
        .map_err(|e| format!("failed to start the load generator: {e}"))?;
    if let Some(cap) = cap {
        let l = &stats.latency;
        let ms = |us: u64| us as f64 / 1e3;
        findings.push(format!(
            "{} of {cap} requests from one user, one after the other: min {:.2} ms, mean {:.2} ms, p50 {:.2} ms, \
             p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            stats.iterations,
            ms(l.min_us),
            l.mean_us / 1e3,
            ms(l.p50_us),
            ms(l.p95_us),
            ms(l.p99_us),
            ms(l.max_us)
        ));
        if stats.iterations < cap {
            findings.push(format!(
                "stopped at the time limit ({} s) before all requests were sent",
                RESPONSE_TIME_LIMIT_NS as f64 / 1e9 * scale
            ));
        }
    }
    let total = Duration::from_secs_f64(stats.duration_s);
    stats.sweep = Some(SweepStats {
        kind: sweep.kind,
        parameter: sweep.kind.parameter().to_owned(),
        levels: Vec::new(),
        metrics,
        findings,
    });
    Ok((stats, total))
}

/// One load run of a sweep.
struct Step {
    level: u64,
    users: u32,
    /// How long, before `--duration-scale`.
    ns: u64,
    phase: Option<String>,
}

impl Step {
    /// For the log and for errors.
    fn describe(&self, sweep: &SweepOptions) -> String {
        match (&self.phase, sweep.kind) {
            (Some(phase), _) => format!("{phase}, {} user(s)", self.users),
            (None, Kind::Volume) => format!("{} bytes, {} user(s)", self.level, self.users),
            (None, Kind::Pagination) => format!("page {}, {} user(s)", self.level, self.users),
            (None, _) => format!("{} user(s)", self.users),
        }
    }
}

/// The runs of a sweep, in order. A spike is its phases, with the time
/// after the spike cut into windows so that the recovery can be timed.
fn plan(sweep: &SweepOptions, scale: f64) -> Vec<Step> {
    let users_of = |level: u64| u32::try_from(level).unwrap_or(u32::MAX);
    match sweep.kind {
        Kind::Spike => {
            let (base, peak) = (
                sweep.levels.first().copied().unwrap_or(1),
                sweep.levels.get(1).copied().unwrap_or(1),
            );
            let [before, during, after] = sweep.phases_ns;
            let window = sweep.window_ns.max(1);
            let mut steps = vec![
                Step {
                    level: base,
                    users: users_of(base),
                    ns: before,
                    phase: Some("before".to_owned()),
                },
                Step {
                    level: peak,
                    users: users_of(peak),
                    ns: during,
                    phase: Some("spike".to_owned()),
                },
            ];
            for k in 0..(after / window).max(1) {
                steps.push(Step {
                    level: base,
                    users: users_of(base),
                    ns: window,
                    phase: Some(format!("after +{:.2}s", (k * window) as f64 / 1e9 * scale)),
                });
            }
            steps
        }
        Kind::Stress | Kind::Scalability => sweep
            .levels
            .iter()
            .map(|&level| Step {
                level,
                users: users_of(level),
                ns: sweep.step_ns,
                phase: None,
            })
            .collect(),
        // Volume and pagination: the same users at every level (the other
        // kinds run elsewhere: run_single, catalog::run).
        _ => sweep
            .levels
            .iter()
            .map(|&level| Step {
                level,
                users: sweep.users,
                ns: sweep.step_ns,
                phase: None,
            })
            .collect(),
    }
}

/// The latency, error and throughput thresholds a level missed, with what
/// was measured (the sweep's own metrics are checked on the whole test).
fn missed_thresholds(thresholds: &[Threshold], stats: &LoadStats) -> Vec<String> {
    thresholds
        .iter()
        .filter(|t| t.sweep_kinds().is_none())
        .map(|t| t.check(stats))
        .filter(|r| !r.passed)
        .map(|r| {
            let measured = match r.threshold.metric.as_str() {
                "error_rate" => format!("{:.2}%", r.value),
                "rps" => format!("{:.1} req/s", r.value),
                _ => format!("{:.2} ms", r.value / 1e3),
            };
            format!("{} (measured {measured})", r.threshold.text)
        })
        .collect()
}

pub(crate) fn level_stats(
    level: u64,
    users: u32,
    stats: &LoadStats,
    missed: Vec<String>,
) -> LevelStats {
    LevelStats {
        level,
        users,
        requests: stats.requests,
        rps: stats.rps,
        error_rate_pct: stats.error_rate_pct,
        mean_us: stats.latency.mean_us,
        p50_us: stats.latency.p50_us,
        p95_us: stats.latency.p95_us,
        p99_us: stats.latency.p99_us,
        phase: None,
        per_request: None,
        missed,
    }
}
