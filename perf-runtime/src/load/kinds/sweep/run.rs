//! Running a sweep: a stress, scalability, volume or pagination test runs
//! one short closed-model step per level (users, payload bytes, page), a
//! spike test one per phase (and per window of the time after the spike).

use std::time::Duration;

use perf_record::load::{LevelStats, LoadStats, SweepStats, WorkloadSummary};
use perf_record::metric::Unit;
use perf_record::threshold::Threshold;

use super::analysis::analyse;
use super::kind::Sweep;
use crate::load::engine::Generator;
use crate::load::kinds::figures::{level_stats, think_ms};
use crate::load::kinds::kind_run::KindRun;
use crate::load::kinds::smoke::Smoke;
use crate::load::merge::merge;
use crate::load::profile::{LoadOptions, LoadProfile};

/// Runs every level of the sweep (a stress sweep stops at the first level
/// that breaks a threshold) and returns the test's figures with the
/// analysis attached, and how long the workload was meant to take.
fn run(
    generator: Generator<'_>,
    sweep: Sweep,
    scale: f64,
    thresholds: &[Threshold],
) -> Result<(LoadStats, Duration), String> {
    let kind = sweep.kind();
    let think_ns = sweep.think_ns();
    let mut runs: Vec<LoadStats> = Vec::new();
    let mut levels: Vec<LevelStats> = Vec::new();
    let mut total = Duration::ZERO;
    for step in plan(sweep, scale) {
        let options = LoadOptions {
            users: Some(step.users),
            ramp_up_ns: Some(0),
            hold_ns: Some(step.ns),
            think_ns,
            ..LoadOptions::default()
        };
        let mut profile = LoadProfile::resolve(&options, scale)
            .map_err(|e| format!("invalid {kind} step ({}): {e}", step.describe(sweep)))?;
        profile.level = step.level;
        total += profile.total();
        eprintln!("{kind}: {}", step.describe(sweep));
        let stats = generator.run(&profile)?;
        let missed = match sweep {
            Sweep::Stress(_) => missed_thresholds(thresholds, &stats),
            Sweep::Scalability(_) | Sweep::Volume(_) | Sweep::Pagination(_) | Sweep::Spike(_) => {
                Vec::new()
            }
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
    let mut overall = match sweep {
        // The load it sustains: the breaking point's level, or the first
        // level when even that one broke.
        Sweep::Stress(_) => {
            let held = levels.iter().take_while(|l| l.missed.is_empty()).count();
            runs.swap_remove(held.saturating_sub(1))
        }
        // The others: every level together.
        Sweep::Scalability(_) | Sweep::Volume(_) | Sweep::Pagination(_) | Sweep::Spike(_) => {
            merge(&runs)
        }
    };
    overall.workload = WorkloadSummary {
        model: "closed".to_owned(),
        preset: None,
        stages: plan(sweep, scale)
            .iter()
            .take(levels.len())
            .map(|s| (s.ns as f64 / 1e9 * scale, f64::from(s.users)))
            .collect(),
        think_ms: think_ms(think_ns, scale),
        max_in_flight: None,
    };
    overall.sweep = Some(SweepStats::of(kind, levels, metrics, findings));
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
    fn describe(&self, sweep: Sweep) -> String {
        if let Some(phase) = &self.phase {
            return format!("{phase}, {} user(s)", self.users);
        }
        match sweep {
            Sweep::Volume(_) => format!("{} bytes, {} user(s)", self.level, self.users),
            Sweep::Pagination(_) => format!("page {}, {} user(s)", self.level, self.users),
            Sweep::Stress(_) | Sweep::Scalability(_) | Sweep::Spike(_) => {
                format!("{} user(s)", self.users)
            }
        }
    }
}

/// The runs of a sweep, in order. A spike is its phases, with the time
/// after the spike cut into windows so that the recovery can be timed.
fn plan(sweep: Sweep, scale: f64) -> Vec<Step> {
    let users_of = |level: u64| u32::try_from(level).unwrap_or(u32::MAX);
    match sweep {
        Sweep::Spike(spike) => {
            let (base, peak) = (spike.users, spike.spike_users);
            let [before, during, after] = spike.phases_ns;
            let window = spike.window_ns.max(1);
            let mut steps = vec![
                Step {
                    level: base.into(),
                    users: base,
                    ns: before,
                    phase: Some("before".to_owned()),
                },
                Step {
                    level: peak.into(),
                    users: peak,
                    ns: during,
                    phase: Some("spike".to_owned()),
                },
            ];
            for k in 0..(after / window).max(1) {
                steps.push(Step {
                    level: base.into(),
                    users: base,
                    ns: window,
                    phase: Some(format!("after +{:.2}s", (k * window) as f64 / 1e9 * scale)),
                });
            }
            steps
        }
        Sweep::Stress(steps) | Sweep::Scalability(steps) => steps
            .users
            .iter()
            .map(|&level| Step {
                level,
                users: users_of(level),
                ns: steps.step_ns,
                phase: None,
            })
            .collect(),
        // The same users at every level.
        Sweep::Volume(steps) | Sweep::Pagination(steps) => steps
            .levels
            .iter()
            .map(|&level| Step {
                level,
                users: steps.users,
                ns: steps.step_ns,
                phase: None,
            })
            .collect(),
    }
}

/// The level of the sweep's first step (a smoke run's).
fn first_level(sweep: Sweep) -> u64 {
    plan(sweep, 1.0).first().map_or(0, |step| step.level)
}

impl KindRun for Sweep {
    fn run(
        &self,
        generator: Generator<'_>,
        scale: f64,
        thresholds: &[Threshold],
    ) -> Result<(LoadStats, Duration), String> {
        run(generator, *self, scale, thresholds)
    }

    /// Its first step's level.
    fn smoke(&self) -> Smoke {
        Smoke {
            level: first_level(*self),
            ..Smoke::default()
        }
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
            let metric = r.threshold.metric;
            let measured = match metric.unit {
                Unit::RequestsPerSecond => metric.threshold_text(r.value),
                _ => metric.value_text(r.value),
            };
            format!("{} (measured {measured})", r.threshold.label())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use perf_record::kinds::{LevelSteps, List, SpikeOptions, UserSteps};

    static BY_USERS: UserSteps = UserSteps {
        users: List::Borrowed(&[1024, 4096]),
        step_ns: 1_000_000_000,
        think_ns: None,
    };

    static BY_LEVEL: LevelSteps = LevelSteps {
        levels: List::Borrowed(&[1024, 4096]),
        users: 3,
        step_ns: 1_000_000_000,
        think_ns: None,
    };

    static SPIKE: SpikeOptions = SpikeOptions {
        users: 2,
        spike_users: 20,
        phases_ns: [1_000_000_000, 1_000_000_000, 2_000_000_000],
        window_ns: 500_000_000,
        tolerance_pct: 50.0,
        think_ns: None,
    };

    #[test]
    fn user_sweeps_run_their_levels_as_users_and_the_others_keep_theirs() {
        let users =
            |sweep: Sweep| -> Vec<u32> { plan(sweep, 1.0).iter().map(|s| s.users).collect() };
        assert_eq!(users(Sweep::Stress(&BY_USERS)), [1024, 4096]);
        assert_eq!(users(Sweep::Scalability(&BY_USERS)), [1024, 4096]);
        assert_eq!(users(Sweep::Volume(&BY_LEVEL)), [3, 3]);
        assert_eq!(users(Sweep::Pagination(&BY_LEVEL)), [3, 3]);
        let spike = plan(Sweep::Spike(&SPIKE), 1.0);
        assert_eq!(spike.len(), 2 + 4, "before, spike, and four windows after");
        assert_eq!(spike[1].phase.as_deref(), Some("spike"));
        assert_eq!(spike[1].describe(Sweep::Spike(&SPIKE)), "spike, 20 user(s)");
        assert_eq!(spike[5].phase.as_deref(), Some("after +1.50s"));
        assert_eq!(
            plan(Sweep::Volume(&BY_LEVEL), 1.0)[1].describe(Sweep::Volume(&BY_LEVEL)),
            "4096 bytes, 3 user(s)"
        );
    }

    #[test]
    fn a_smoke_run_starts_at_the_first_level() {
        assert_eq!(first_level(Sweep::Stress(&BY_USERS)), 1024);
        assert_eq!(first_level(Sweep::Pagination(&BY_LEVEL)), 1024);
        assert_eq!(first_level(Sweep::Spike(&SPIKE)), 2, "the base users");
    }
}
