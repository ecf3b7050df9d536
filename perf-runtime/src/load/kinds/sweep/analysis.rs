//! What a stress, scalability, volume, pagination or spike sweep's levels
//! say: the kind's figures and its findings in words.

use std::collections::BTreeMap;

use perf_record::finding::Finding;
use perf_record::kinds::Kind;
use perf_record::load::LevelStats;

use super::kind::Sweep;

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

/// How a volume or pagination sweep reads its latency growth.
struct Growth {
    kind: Kind,
    /// A level, in words (`4096 bytes`, `page 3`).
    unit: fn(u64) -> String,
    /// Above this exponent the growth is worth a warning.
    limit: f64,
    /// The warning.
    warning: &'static str,
    /// The warning's stable code.
    warning_code: &'static str,
}

const VOLUME: Growth = Growth {
    kind: Kind::Volume,
    unit: |level| format!("{level} bytes"),
    limit: VOLUME_GROWTH_LIMIT,
    warning_code: "volume_super_linear",
    warning: "super-linear in the payload size: each byte costs more the larger the body (look for \
              quadratic work, such as repeated copies or concatenation)",
};

const PAGINATION: Growth = Growth {
    kind: Kind::Pagination,
    unit: |level| format!("page {level}"),
    limit: PAGINATION_GROWTH_LIMIT,
    warning_code: "pagination_deep_pages_slower",
    warning: "deep pages are slower than the first ones: the cost grows with the offset (OFFSET paging \
              scans the rows it skips; keyset pagination does not)",
};

/// The kind's figures and what they say.
pub(super) fn analyse(
    sweep: Sweep,
    levels: &[LevelStats],
    scale: f64,
) -> (BTreeMap<String, f64>, Vec<Finding>) {
    let mut metrics = BTreeMap::new();
    let mut findings = Vec::new();
    let (Some(first), Some(last)) = (levels.first(), levels.last()) else {
        return (metrics, findings);
    };
    match sweep {
        Sweep::Stress(_) => {
            let held: Vec<_> = levels.iter().take_while(|l| l.missed.is_empty()).collect();
            let point = held.last().map_or(0, |l| l.level);
            metrics.insert("breaking_point".to_owned(), point as f64);
            match levels.iter().find(|l| !l.missed.is_empty()) {
                Some(broken) if point == 0 => findings.push(Finding::BrokeAtFirstLevel {
                    users: broken.level,
                    missed: broken.missed.clone(),
                }),
                Some(broken) => findings.push(Finding::BreakingPoint {
                    users: point,
                    broke_at: broken.level,
                    missed: broken.missed.clone(),
                }),
                None => findings.push(Finding::HeldEveryLevel { users: last.level }),
            }
        }
        Sweep::Scalability(_) => {
            let peak = levels.iter().map(|l| l.rps).fold(0.0, f64::max);
            metrics.insert("peak_rps".to_owned(), peak);
            let efficiency = scaling(first, last);
            metrics.insert("efficiency_pct".to_owned(), efficiency * 100.0);
            findings.push(Finding::note("scalability_efficiency", format!(
                "throughput {:.0} -> {:.0} req/s from {} to {} user(s): {:.0}% scaling efficiency (100% is linear)",
                first.rps,
                last.rps,
                first.users,
                last.users,
                efficiency * 100.0
            )));
            if let Some(pair) = levels
                .windows(2)
                .find(|w| scaling(&w[0], &w[1]) < SCALING_KNEE)
            {
                findings.push(Finding::note("scalability_knee", format!(
                    "throughput stops growing past {} user(s) ({:.0} req/s; {:.0} req/s at {} users): something \
                     serialises the requests (a lock, a single worker, a small pool)",
                    pair[0].users, pair[0].rps, pair[1].rps, pair[1].users
                )));
            }
        }
        Sweep::Spike(spike) => {
            let window_us = spike.window_ns as f64 / 1e3 * scale;
            spike_recovery(
                levels,
                spike.tolerance_pct,
                window_us,
                &mut metrics,
                &mut findings,
            );
        }
        Sweep::Volume(_) => growth(&VOLUME, levels, &mut metrics, &mut findings),
        Sweep::Pagination(_) => growth(&PAGINATION, levels, &mut metrics, &mut findings),
    }
    (metrics, findings)
}

/// How a volume or pagination sweep's p50 grows with its level.
fn growth(
    growth: &Growth,
    levels: &[LevelStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
) {
    let (Some(first), Some(last)) = (levels.first(), levels.last()) else {
        return;
    };
    let Some(exponent) = growth_exponent(levels) else {
        findings.push(Finding::note(
            "growth_too_few_levels",
            "too few levels with answered requests to fit a growth curve (give at least two)",
        ));
        return;
    };
    metrics.insert("growth".to_owned(), exponent);
    let ms = |us: u64| us as f64 / 1e3;
    findings.push(Finding::note(
        "growth",
        format!(
            "p50 {:.2} ms at {} -> {:.2} ms at {}: latency grows as {}^{exponent:.2}",
            ms(first.p50_us),
            (growth.unit)(first.level),
            ms(last.p50_us),
            (growth.unit)(last.level),
            growth.kind.parameter()
        ),
    ));
    if exponent > growth.limit {
        findings.push(Finding::note(growth.warning_code, growth.warning));
    }
}

/// How long after the spike the p95 took to come back within the
/// tolerance of the pre-spike p95 and stay there.
fn spike_recovery(
    levels: &[LevelStats],
    tolerance_pct: f64,
    window_us: f64,
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
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
    findings.push(Finding::note(
        "spike_p95",
        format!(
            "p95 {:.2} ms before the spike, {:.2} ms during it ({} -> {} users)",
            ms(before.p95_us as f64),
            ms(during.p95_us as f64),
            before.users,
            during.users
        ),
    ));
    match recovered {
        Some(us) => {
            metrics.insert("recovery_us".to_owned(), us);
            findings.push(Finding::note("spike_recovered", format!(
                "recovered {:.2} s after the spike: p95 back within {tolerance_pct:.0}% of the pre-spike {:.2} ms",
                us / 1e6,
                ms(before.p95_us as f64)
            )));
        }
        None => {
            // Not back by the end: the recovery took at least that long.
            let us = after.len() as f64 * window_us;
            metrics.insert("recovery_us".to_owned(), us);
            let last = after.last().map_or(0.0, |l| l.p95_us as f64);
            findings.push(Finding::note("spike_not_recovered", format!(
                "not recovered {:.2} s after the spike: p95 {:.2} ms in the last window against {:.2} ms before \
                 (the server stays slow after a burst: a backlog, a cache or pool that does not recover, a \
                 circuit that stays open)",
                us / 1e6,
                ms(last),
                ms(before.p95_us as f64)
            )));
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

#[cfg(test)]
mod tests {
    use super::*;
    use perf_record::kinds::{LevelSteps, List, SpikeOptions, UserSteps};

    fn level(level: u64, users: u32, rps: f64, p50_us: u64) -> LevelStats {
        LevelStats {
            level,
            users,
            rps,
            p50_us,
            ..LevelStats::default()
        }
    }

    static USERS: UserSteps = UserSteps {
        users: List::Borrowed(&[]),
        step_ns: 1_000_000_000,
        think_ns: None,
    };

    static LEVELS: LevelSteps = LevelSteps {
        levels: List::Borrowed(&[]),
        users: 1,
        step_ns: 1_000_000_000,
        think_ns: None,
    };

    static SPIKE: SpikeOptions = SpikeOptions {
        users: 2,
        spike_users: 20,
        phases_ns: [0; 3],
        window_ns: 500_000_000,
        tolerance_pct: 50.0,
        think_ns: None,
    };

    fn sweep(kind: Kind) -> Sweep {
        match kind {
            Kind::Stress => Sweep::Stress(&USERS),
            Kind::Scalability => Sweep::Scalability(&USERS),
            Kind::Volume => Sweep::Volume(&LEVELS),
            Kind::Pagination => Sweep::Pagination(&LEVELS),
            Kind::Spike => Sweep::Spike(&SPIKE),
            other => panic!("{other} is no sweep"),
        }
    }

    fn analysed(kind: Kind, levels: &[LevelStats]) -> (BTreeMap<String, f64>, Vec<Finding>) {
        analyse(sweep(kind), levels, 1.0)
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
        let (metrics, _) = analysed(Kind::Spike, &sticky);
        assert_eq!(
            metrics["recovery_us"],
            3.0 * 500_000.0,
            "a dip that does not last is no recovery: back from the start of the fourth window"
        );
        let (metrics, findings) = analysed(Kind::Spike, &sticky[..5]);
        assert_eq!(metrics["recovery_us"], 3.0 * 500_000.0);
        assert_eq!(findings[1].code(), "spike_not_recovered", "{findings:?}");
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
        let (metrics, findings) = analysed(Kind::Volume, &quadratic);
        assert!(metrics["growth"] > VOLUME_GROWTH_LIMIT);
        assert!(
            findings.iter().any(|f| f.code() == "volume_super_linear"),
            "{findings:?}"
        );
    }

    #[test]
    fn deep_pages_that_get_slower_are_named_in_pages() {
        let pages = [1_u64, 10, 100, 1000];
        let offset: Vec<_> = pages
            .iter()
            .map(|&p| level(p, 1, 10.0, 1000 + p * 50))
            .collect();
        let (metrics, findings) = analysed(Kind::Pagination, &offset);
        assert!(metrics["growth"] > PAGINATION_GROWTH_LIMIT, "{metrics:?}");
        assert_eq!(findings[0].code(), "growth");
        assert_eq!(
            findings[0].to_string(),
            "p50 1.05 ms at page 1 -> 51.00 ms at page 1000: latency grows as page^0.77"
        );
        assert_eq!(
            findings[1].code(),
            "pagination_deep_pages_slower",
            "{findings:?}"
        );
        let keyset: Vec<_> = pages.iter().map(|&p| level(p, 1, 10.0, 1000)).collect();
        let (_, findings) = analysed(Kind::Pagination, &keyset);
        assert_eq!(findings.len(), 1, "{findings:?}");
    }

    #[test]
    fn a_serialised_endpoint_has_a_low_efficiency_and_a_knee() {
        let locked = [
            level(1, 1, 190.0, 5000),
            level(2, 2, 195.0, 10_000),
            level(4, 4, 197.0, 20_000),
        ];
        let (metrics, findings) = analysed(Kind::Scalability, &locked);
        assert!(metrics["efficiency_pct"] < 30.0, "{metrics:?}");
        assert!(
            findings.iter().any(|f| f.code() == "scalability_knee"
                && f.to_string()
                    == "throughput stops growing past 1 user(s) (190 req/s; 195 req/s at 2 users): \
                        something serialises the requests (a lock, a single worker, a small pool)"),
            "{findings:?}"
        );
        let free = [
            level(1, 1, 190.0, 5000),
            level(2, 2, 380.0, 5000),
            level(4, 4, 750.0, 5000),
        ];
        let (metrics, findings) = analysed(Kind::Scalability, &free);
        assert!(metrics["efficiency_pct"] > 90.0, "{metrics:?}");
        assert_eq!(findings.len(), 1, "{findings:?}");
    }

    #[test]
    fn the_breaking_point_is_the_last_level_that_held() {
        let mut levels = vec![level(1, 1, 100.0, 5000), level(8, 8, 800.0, 5000)];
        let mut broken = level(16, 16, 90.0, 160_000);
        broken.missed = vec!["p95 <= 50ms (measured 165.00 ms)".to_owned()];
        levels.push(broken);
        let (metrics, findings) = analysed(Kind::Stress, &levels);
        assert_eq!(metrics["breaking_point"], 8.0);
        assert_eq!(
            findings[0],
            Finding::BreakingPoint {
                users: 8,
                broke_at: 16,
                missed: vec!["p95 <= 50ms (measured 165.00 ms)".to_owned()],
            }
        );
        assert_eq!(
            findings[0].to_string(),
            "breaking point: 8 user(s); at 16 user(s) it broke: p95 <= 50ms (measured 165.00 ms)"
        );
        let (metrics, _) = analysed(Kind::Stress, &levels[2..]);
        assert_eq!(metrics["breaking_point"], 0.0);
    }
}
