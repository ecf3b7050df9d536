//! Running a sweep: a stress, scalability, volume or pagination test runs
//! one short closed-model step per level (users, payload bytes, page), a
//! spike test one per phase (and per window of the time after the spike).

use perf_record::kinds::Kind;
use std::time::Duration;

use perf_record::load::{LevelStats, LoadStats, SweepStats, WorkloadSummary};
use perf_record::threshold::Threshold;

use super::analysis::analyse;
use crate::load::engine;
use crate::load::http::target::Target;
use crate::load::kinds::figures::{level_stats, think_ms};
use crate::load::merge::merge;
use crate::load::profile::{LoadOptions, LoadProfile, SweepOptions};
use crate::load::user::LoadFn;

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
