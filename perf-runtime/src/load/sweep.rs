//! Sweeps: a stress, scalability, volume or pagination test runs one short
//! closed-model step per level (users, payload bytes, page), a spike test
//! one per phase (and per window of the time after the spike), and then
//! reads how the figures change from step to step.

use std::collections::BTreeMap;
use std::time::Duration;

use perf_record::load::{EndpointStats, LevelStats, LoadStats, SweepStats, WorkloadSummary};
use perf_record::threshold::Threshold;

use crate::load::engine::{self, LoadFn};
use crate::load::profile::{LoadOptions, LoadProfile, SweepKind, SweepOptions};
use crate::load::recorder::merge_summaries;
use crate::load::user::Target;

/// Above this growth exponent a volume sweep's latency grows faster than
/// its payload: super-linear.
pub(crate) const VOLUME_GROWTH_LIMIT: f64 = 1.2;
/// Above this growth exponent deep pages are measurably slower than the
/// first ones.
pub(crate) const PAGINATION_GROWTH_LIMIT: f64 = 0.5;
/// Below this share of linear scaling from one level to the next, adding
/// users stopped paying off (a fully serialised endpoint scores 0.5 when
/// the users double, a healthy one close to 1).
pub(crate) const SCALING_KNEE: f64 = 0.6;

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
        SweepKind::ResponseTime | SweepKind::Soak => {
            return run_single(load_fn, options, sweep, scale, target, threads);
        }
        SweepKind::RateLimit
        | SweepKind::Caching
        | SweepKind::NPlusOne
        | SweepKind::Pool
        | SweepKind::Timeout
        | SweepKind::Search
        | SweepKind::WebSocket => {
            return crate::load::catalog::run(load_fn, options, sweep, scale, target, threads);
        }
        SweepKind::Stress
        | SweepKind::Scalability
        | SweepKind::Volume
        | SweepKind::Pagination
        | SweepKind::Spike => {}
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
        let missed = if sweep.kind == SweepKind::Stress {
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
        SweepKind::Stress => {
            let held = levels.iter().take_while(|l| l.missed.is_empty()).count();
            runs.swap_remove(held.saturating_sub(1))
        }
        SweepKind::Scalability
        | SweepKind::Volume
        | SweepKind::Pagination
        | SweepKind::Spike
        | SweepKind::ResponseTime
        | SweepKind::Soak
        | SweepKind::RateLimit
        | SweepKind::Caching
        | SweepKind::NPlusOne
        | SweepKind::Pool
        | SweepKind::Timeout
        | SweepKind::Search
        | SweepKind::WebSocket => merge(&runs),
    };
    overall.workload = WorkloadSummary {
        model: "closed".to_owned(),
        preset: None,
        stages: plan(sweep, scale)
            .iter()
            .take(levels.len())
            .map(|s| (s.ns as f64 / 1e9 * scale, f64::from(s.users)))
            .collect(),
        think_ms: [
            options.think_ns.map_or(0.0, |t| t.0 as f64 / 1e6 * scale),
            options.think_ns.map_or(0.0, |t| t.1 as f64 / 1e6 * scale),
        ],
        max_in_flight: None,
    };
    overall.sweep = Some(SweepStats {
        kind: sweep.kind.name().to_owned(),
        parameter: sweep.kind.parameter().to_owned(),
        levels,
        metrics,
        findings,
    });
    Ok((overall, total))
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
        SweepKind::ResponseTime => {
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
        kind: sweep.kind.name().to_owned(),
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
            (None, SweepKind::Volume) => format!("{} bytes, {} user(s)", self.level, self.users),
            (None, SweepKind::Pagination) => format!("page {}, {} user(s)", self.level, self.users),
            (None, _) => format!("{} user(s)", self.users),
        }
    }
}

/// The runs of a sweep, in order. A spike is its phases, with the time
/// after the spike cut into windows so that the recovery can be timed.
fn plan(sweep: &SweepOptions, scale: f64) -> Vec<Step> {
    let users_of = |level: u64| u32::try_from(level).unwrap_or(u32::MAX);
    match sweep.kind {
        SweepKind::Spike => {
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
        SweepKind::Stress | SweepKind::Scalability => sweep
            .levels
            .iter()
            .map(|&level| Step {
                level,
                users: users_of(level),
                ns: sweep.step_ns,
                phase: None,
            })
            .collect(),
        SweepKind::Volume
        | SweepKind::Pagination
        | SweepKind::ResponseTime
        | SweepKind::Soak
        | SweepKind::RateLimit
        | SweepKind::Caching
        | SweepKind::NPlusOne
        | SweepKind::Pool
        | SweepKind::Timeout
        | SweepKind::Search
        | SweepKind::WebSocket => sweep
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

/// The kind's figures and what they say.
fn analyse(
    sweep: &SweepOptions,
    levels: &[LevelStats],
    scale: f64,
) -> (BTreeMap<String, f64>, Vec<String>) {
    let mut metrics = BTreeMap::new();
    let mut findings = Vec::new();
    let (Some(first), Some(last)) = (levels.first(), levels.last()) else {
        return (metrics, findings);
    };
    match sweep.kind {
        SweepKind::Stress => {
            let held: Vec<_> = levels.iter().take_while(|l| l.missed.is_empty()).collect();
            let point = held.last().map_or(0, |l| l.level);
            metrics.insert("breaking_point".to_owned(), point as f64);
            match levels.iter().find(|l| !l.missed.is_empty()) {
                Some(broken) if point == 0 => findings.push(format!(
                    "broke at the first level, {} user(s): {}",
                    broken.level,
                    broken.missed.join(", ")
                )),
                Some(broken) => findings.push(format!(
                    "breaking point: {point} user(s); at {} user(s) it broke: {}",
                    broken.level,
                    broken.missed.join(", ")
                )),
                None => findings.push(format!(
                    "held every threshold up to {} user(s), the last level: the breaking point is beyond the \
                     sweep (add higher levels to find it)",
                    last.level
                )),
            }
        }
        SweepKind::Scalability => {
            let peak = levels.iter().map(|l| l.rps).fold(0.0, f64::max);
            metrics.insert("peak_rps".to_owned(), peak);
            let efficiency = scaling(first, last);
            metrics.insert("efficiency_pct".to_owned(), efficiency * 100.0);
            findings.push(format!(
                "throughput {:.0} -> {:.0} req/s from {} to {} user(s): {:.0}% scaling efficiency (100% is linear)",
                first.rps,
                last.rps,
                first.users,
                last.users,
                efficiency * 100.0
            ));
            if let Some(pair) = levels
                .windows(2)
                .find(|w| scaling(&w[0], &w[1]) < SCALING_KNEE)
            {
                findings.push(format!(
                    "throughput stops growing past {} user(s) ({:.0} req/s; {:.0} req/s at {} users): something \
                     serialises the requests (a lock, a single worker, a small pool)",
                    pair[0].users, pair[0].rps, pair[1].rps, pair[1].users
                ));
            }
        }
        // Analysed where they run (run_single, catalog::run) and, for
        // soak, by cargo perf.
        SweepKind::ResponseTime
        | SweepKind::Soak
        | SweepKind::RateLimit
        | SweepKind::Caching
        | SweepKind::NPlusOne
        | SweepKind::Pool
        | SweepKind::Timeout
        | SweepKind::Search
        | SweepKind::WebSocket => {}
        SweepKind::Spike => {
            let window_us = sweep.window_ns as f64 / 1e3 * scale;
            spike_recovery(
                levels,
                sweep.tolerance_pct,
                window_us,
                &mut metrics,
                &mut findings,
            );
        }
        SweepKind::Volume | SweepKind::Pagination => {
            let Some(growth) = growth_exponent(levels) else {
                findings.push(
                    "too few levels with answered requests to fit a growth curve (give at least two)".to_owned(),
                );
                return (metrics, findings);
            };
            metrics.insert("growth".to_owned(), growth);
            let unit = |level: u64| match sweep.kind {
                SweepKind::Volume => format!("{level} bytes"),
                _ => format!("page {level}"),
            };
            let ms = |us: u64| us as f64 / 1e3;
            let shape = format!(
                "p50 {:.2} ms at {} -> {:.2} ms at {}: latency grows as {}^{growth:.2}",
                ms(first.p50_us),
                unit(first.level),
                ms(last.p50_us),
                unit(last.level),
                sweep.kind.parameter()
            );
            findings.push(shape);
            if sweep.kind == SweepKind::Volume && growth > VOLUME_GROWTH_LIMIT {
                findings.push(
                    "super-linear in the payload size: each byte costs more the larger the body (look for \
                     quadratic work, such as repeated copies or concatenation)"
                        .to_owned(),
                );
            }
            if sweep.kind == SweepKind::Pagination && growth > PAGINATION_GROWTH_LIMIT {
                findings.push(
                    "deep pages are slower than the first ones: the cost grows with the offset (OFFSET paging \
                     scans the rows it skips; keyset pagination does not)"
                        .to_owned(),
                );
            }
        }
    }
    (metrics, findings)
}

/// How long after the spike the p95 took to come back within the
/// tolerance of the pre-spike p95 and stay there.
fn spike_recovery(
    levels: &[LevelStats],
    tolerance_pct: f64,
    window_us: f64,
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<String>,
) {
    let (Some(before), Some(during)) = (levels.first(), levels.get(1)) else {
        return;
    };
    let after = &levels[2.min(levels.len())..];
    let limit = before.p95_us as f64 * (1.0 + tolerance_pct / 100.0);
    let back = |l: &LevelStats| l.requests > 0 && l.p95_us as f64 <= limit;
    // The start of the first window from which every later one is back
    // (0: back at once). Real time: --duration-scale shortens the windows,
    // not the server's recovery.
    let recovered = (0..after.len())
        .find(|&i| after[i..].iter().all(back))
        .map(|i| i as f64 * window_us);
    let ms = |us: f64| us / 1e3;
    metrics.insert("baseline_p95_us".to_owned(), before.p95_us as f64);
    metrics.insert("spike_p95_us".to_owned(), during.p95_us as f64);
    findings.push(format!(
        "p95 {:.2} ms before the spike, {:.2} ms during it ({} -> {} users)",
        ms(before.p95_us as f64),
        ms(during.p95_us as f64),
        before.users,
        during.users
    ));
    match recovered {
        Some(us) => {
            metrics.insert("recovery_us".to_owned(), us);
            findings.push(format!(
                "recovered {:.2} s after the spike: p95 back within {tolerance_pct:.0}% of the pre-spike {:.2} ms",
                us / 1e6,
                ms(before.p95_us as f64)
            ));
        }
        None => {
            // Not back by the end: the recovery took at least that long.
            let us = after.len() as f64 * window_us;
            metrics.insert("recovery_us".to_owned(), us);
            let last = after.last().map_or(0.0, |l| l.p95_us as f64);
            findings.push(format!(
                "not recovered {:.2} s after the spike: p95 {:.2} ms in the last window against {:.2} ms before \
                 (the server stays slow after a burst: a backlog, a cache or pool that does not recover, a \
                 circuit that stays open)",
                us / 1e6,
                ms(last),
                ms(before.p95_us as f64)
            ));
        }
    }
}

/// Throughput gained over users added, from `a` to `b`: 1 is linear.
fn scaling(a: &LevelStats, b: &LevelStats) -> f64 {
    if a.rps <= 0.0 || a.users == 0 {
        return 0.0;
    }
    let users = f64::from(b.users) / f64::from(a.users);
    (b.rps / a.rps) / users.max(1e-9)
}

/// The exponent k of `p50 ~ level^k`, a least-squares fit in log-log
/// space over the upper half of the levels, where a fixed per-request
/// cost no longer hides how the level's own cost grows.
fn growth_exponent(levels: &[LevelStats]) -> Option<f64> {
    let usable: Vec<(f64, f64)> = levels
        .iter()
        .filter(|l| l.level > 0 && l.p50_us > 0)
        .map(|l| ((l.level as f64).ln(), (l.p50_us as f64).ln()))
        .collect();
    let upper = &usable[(usable.len().saturating_sub(1)) / 2..];
    perf_record::stats::fit_line(upper).map(|line| line.slope.max(0.0))
}

/// One result for several runs: sums, the union of the histograms, and
/// the timelines one after the other.
pub(crate) fn merge(runs: &[LoadStats]) -> LoadStats {
    let Some(first) = runs.first() else {
        unreachable!("a sweep has at least one level: the macro checks it")
    };
    let mut total = first.clone();
    if runs.len() == 1 {
        return total;
    }
    let duration_s: f64 = runs.iter().map(|r| r.duration_s).sum();
    let secs = duration_s.max(1e-9);
    total.duration_s = duration_s;
    total.iterations = runs.iter().map(|r| r.iterations).sum();
    total.requests = runs.iter().map(|r| r.requests).sum();
    total.latency = merge_summaries(runs.iter().map(|r| &r.latency));
    total.raw_latency = None;
    total.rps = total.latency.count as f64 / secs;
    let failed: f64 = runs
        .iter()
        .map(|r| r.error_rate_pct / 100.0 * r.requests as f64)
        .sum();
    total.error_rate_pct = if total.requests > 0 {
        failed / total.requests as f64 * 100.0
    } else {
        0.0
    };
    let mut names: Vec<&str> = runs
        .iter()
        .flat_map(|r| r.endpoints.iter().map(|e| e.name.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    total.endpoints = names
        .into_iter()
        .map(|name| {
            let parts: Vec<&EndpointStats> = runs
                .iter()
                .filter_map(|r| r.endpoints.iter().find(|e| e.name == name))
                .collect();
            let latency = merge_summaries(parts.iter().map(|e| &e.latency));
            EndpointStats {
                name: name.to_owned(),
                rps: latency.count as f64 / secs,
                errors: parts.iter().map(|e| e.errors).sum(),
                latency,
            }
        })
        .collect();
    total.errors = BTreeMap::new();
    total.status_codes = BTreeMap::new();
    total.timeline = Vec::new();
    total.warnings = Vec::new();
    let mut offset = 0u32;
    for run in runs {
        for (kind, errors) in &run.errors {
            let entry = total.errors.entry(kind.clone()).or_default();
            entry.count += errors.count;
            for message in &errors.first_messages {
                if entry.first_messages.len() < 5 && !entry.first_messages.contains(message) {
                    entry.first_messages.push(message.clone());
                }
            }
        }
        for (code, count) in &run.status_codes {
            *total.status_codes.entry(*code).or_default() += count;
        }
        let len = u32::try_from(run.timeline.len()).unwrap_or(u32::MAX);
        total.timeline.extend(run.timeline.iter().map(|s| {
            let mut s = s.clone();
            s.t += offset;
            s
        }));
        offset = offset.saturating_add(len);
        for warning in &run.warnings {
            if !total.warnings.contains(warning) {
                total.warnings.push(warning.clone());
            }
        }
    }
    total.late_iterations = runs.iter().map(|r| r.late_iterations).sum();
    total.dropped_iterations = runs.iter().map(|r| r.dropped_iterations).sum();
    total.generator_cpu_s = runs.iter().map(|r| r.generator_cpu_s).sum();
    total.generator_cpu_pct = runs
        .iter()
        .map(|r| r.generator_cpu_pct * r.duration_s)
        .sum::<f64>()
        / secs;
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(level: u64, users: u32, rps: f64, p50_us: u64) -> LevelStats {
        LevelStats {
            level,
            users,
            rps,
            p50_us,
            ..LevelStats::default()
        }
    }

    fn sweep(kind: SweepKind) -> SweepOptions {
        SweepOptions {
            kind,
            levels: &[],
            step_ns: 1_000_000_000,
            users: 1,
            phases_ns: [0; 3],
            window_ns: 500_000_000,
            tolerance_pct: 50.0,
            ..SweepOptions::DEFAULT
        }
    }

    #[test]
    fn recovery_is_the_start_of_the_first_window_that_stays_back() {
        let p95 = |phase: &str, p95_us: u64| LevelStats {
            phase: Some(phase.to_owned()),
            requests: 10,
            p95_us,
            users: 2,
            ..LevelStats::default()
        };
        let sticky = [
            p95("before", 6000),
            p95("spike", 90_000),
            p95("after", 40_000),
            p95("after", 8000),
            p95("after", 40_000),
            p95("after", 7000),
            p95("after", 6500),
        ];
        let (metrics, _) = analyse(&sweep(SweepKind::Spike), &sticky, 1.0);
        assert_eq!(
            metrics["recovery_us"],
            3.0 * 500_000.0,
            "a dip that does not last is no recovery: back from the start of the fourth window"
        );
        let (metrics, findings) = analyse(&sweep(SweepKind::Spike), &sticky[..5], 1.0);
        assert_eq!(metrics["recovery_us"], 3.0 * 500_000.0);
        assert!(findings[1].starts_with("not recovered"), "{findings:?}");
    }

    #[test]
    fn a_quadratic_cost_has_a_growth_near_two_and_a_fixed_cost_near_zero() {
        let sizes = [1024_u64, 4096, 16_384, 65_536, 262_144];
        let quadratic: Vec<_> = sizes
            .iter()
            .map(|&s| level(s, 1, 10.0, 100 + (s / 1024).pow(2)))
            .collect();
        let growth = growth_exponent(&quadratic).unwrap();
        assert!((1.7..2.1).contains(&growth), "{growth}");
        let flat: Vec<_> = sizes.iter().map(|&s| level(s, 1, 10.0, 120)).collect();
        assert!(growth_exponent(&flat).unwrap() < 0.1);
        let (metrics, findings) = analyse(&sweep(SweepKind::Volume), &quadratic, 1.0);
        assert!(metrics["growth"] > VOLUME_GROWTH_LIMIT);
        assert!(
            findings.iter().any(|f| f.contains("super-linear")),
            "{findings:?}"
        );
    }

    #[test]
    fn a_serialised_endpoint_has_a_low_efficiency_and_a_knee() {
        let locked = [
            level(1, 1, 190.0, 5000),
            level(2, 2, 195.0, 10_000),
            level(4, 4, 197.0, 20_000),
        ];
        let (metrics, findings) = analyse(&sweep(SweepKind::Scalability), &locked, 1.0);
        assert!(metrics["efficiency_pct"] < 30.0, "{metrics:?}");
        assert!(
            findings
                .iter()
                .any(|f| f.contains("stops growing past 1 user")),
            "{findings:?}"
        );
        let free = [
            level(1, 1, 190.0, 5000),
            level(2, 2, 380.0, 5000),
            level(4, 4, 750.0, 5000),
        ];
        let (metrics, findings) = analyse(&sweep(SweepKind::Scalability), &free, 1.0);
        assert!(metrics["efficiency_pct"] > 90.0, "{metrics:?}");
        assert_eq!(findings.len(), 1, "{findings:?}");
    }

    #[test]
    fn the_breaking_point_is_the_last_level_that_held() {
        let mut levels = vec![level(1, 1, 100.0, 5000), level(8, 8, 800.0, 5000)];
        let mut broken = level(16, 16, 90.0, 160_000);
        broken.missed = vec!["p95 <= 50ms (measured 165.00 ms)".to_owned()];
        levels.push(broken);
        let (metrics, findings) = analyse(&sweep(SweepKind::Stress), &levels, 1.0);
        assert_eq!(metrics["breaking_point"], 8.0);
        assert!(
            findings[0].contains("at 16 user(s) it broke"),
            "{findings:?}"
        );
        let (metrics, _) = analyse(&sweep(SweepKind::Stress), &levels[2..], 1.0);
        assert_eq!(metrics["breaking_point"], 0.0);
    }
}
