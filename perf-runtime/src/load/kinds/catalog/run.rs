//! Running a catalogue test: its steps, each watched by an [`Observer`],
//! then the kind's own analysis.

use perf_record::kinds::{CatalogKind, CatalogOptions, QueryCounter};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use perf_record::load::{LevelStats, LoadStats, SweepStats, WorkloadSummary};

use super::caching::{caching, revalidate, validators};
use super::n_plus_one::{n_plus_one, per_request, scrape};
use super::pool::pool;
use super::rate_limit::{BELOW_LIMIT, discount_limited, rate_limit};
use super::search::search;
use super::timeout::timeout;
use super::websocket::{round_trips_only, websocket};
use crate::load::engine::Generator;
use crate::load::http::observe::{Keys, Observe, Observed, Observer};
use crate::load::kinds::figures::{level_stats, think_ms};
use crate::load::latency::buckets;
use crate::load::merge::merge;
use crate::load::profile::{LoadOptions, LoadProfile};

/// One step of a catalogue test.
struct Step {
    /// Its name in the report (`below`, `cold`, a query), if not a level.
    phase: Option<String>,
    level: u64,
    users: u32,
    /// Open model: iterations per second, instead of users.
    rate: Option<f64>,
    label: Option<&'static str>,
    ns: u64,
}

fn plan(options: &'static CatalogOptions) -> Vec<Step> {
    let step = |phase: Option<&str>, level: u64, users: u32| Step {
        phase: phase.map(ToOwned::to_owned),
        level,
        users,
        rate: None,
        label: None,
        ns: options.step_ns(),
    };
    // The level is the users (the connections).
    let by_users = |levels: &[u64]| -> Vec<Step> {
        levels
            .iter()
            .map(|&users| step(None, users, u32::try_from(users).unwrap_or(u32::MAX)))
            .collect()
    };
    match options {
        CatalogOptions::RateLimit(limiter) => [("below", BELOW_LIMIT), ("above", limiter.factor)]
            .into_iter()
            .map(|(phase, factor)| Step {
                rate: Some(limiter.limit * factor),
                ..step(Some(phase), 0, 1)
            })
            .collect(),
        CatalogOptions::Caching(caching) => ["cold", "warm"]
            .into_iter()
            .map(|phase| step(Some(phase), 0, caching.users))
            .collect(),
        CatalogOptions::Timeout(timeout) => vec![step(Some("load"), 0, timeout.users)],
        CatalogOptions::Search(search) => search
            .queries
            .iter()
            .zip(0..)
            .map(|(query, i)| {
                let query: &'static str = query;
                Step {
                    label: Some(query),
                    ..step(Some(query), i, search.users)
                }
            })
            .collect(),
        CatalogOptions::Pool(pool) => by_users(&pool.users),
        CatalogOptions::WebSocket(websocket) => by_users(&websocket.connections),
        // The level is the page size, at the same users.
        CatalogOptions::NPlusOne(n_plus_one) => n_plus_one
            .sizes
            .iter()
            .map(|&level| step(None, level, n_plus_one.users))
            .collect(),
    }
}

/// What a step watches besides timing: a caching test hands out keys (the
/// warm phase round the ones the cold phase asked for), an N+1 test reads
/// its query header.
fn observer(options: &CatalogOptions, base: u64, cold: Option<&Observed>) -> Arc<Observer> {
    match options {
        CatalogOptions::Caching(caching) => {
            let cycle = cold.map(|cold| caching.keys.min(cold.keys_issued.max(1)));
            Observer::new(None, Some(Keys::new(base, cycle)))
        }
        CatalogOptions::NPlusOne(n_plus_one) => match &n_plus_one.counter {
            QueryCounter::Header(header) => Observer::new(Some(header), None),
            QueryCounter::Metric { .. } => Observer::new(None, None),
        },
        CatalogOptions::RateLimit(_)
        | CatalogOptions::Pool(_)
        | CatalogOptions::Timeout(_)
        | CatalogOptions::Search(_)
        | CatalogOptions::WebSocket(_) => Observer::new(None, None),
    }
}

/// The client's timeout of each request: a timeout test's own.
pub(crate) fn request_timeout(options: &CatalogOptions) -> Option<Duration> {
    match options {
        CatalogOptions::Timeout(timeout) => Some(Duration::from_nanos(timeout.after_ns)),
        CatalogOptions::RateLimit(_)
        | CatalogOptions::Caching(_)
        | CatalogOptions::NPlusOne(_)
        | CatalogOptions::Pool(_)
        | CatalogOptions::Search(_)
        | CatalogOptions::WebSocket(_) => None,
    }
}

/// The first cache key of this run: different in every run, so that a
/// server kept from an earlier run has none of them cached.
fn key_base() -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    (now.as_secs() % 1_000_000) * 1_000_000 + u64::from(std::process::id() % 1000) * 1000
}

/// Runs a catalogue test and returns its figures with the analysis, and
/// how long the workload was meant to take.
pub(crate) fn run(
    generator: Generator<'_>,
    options: &'static CatalogOptions,
    scale: f64,
) -> Result<(LoadStats, Duration), String> {
    let kind = options.kind();
    let think_ns = options.think_ns();
    let target = generator.target;
    let mut runs: Vec<LoadStats> = Vec::new();
    let mut levels: Vec<LevelStats> = Vec::new();
    let mut seen: Vec<Observed> = Vec::new();
    let mut total = Duration::ZERO;
    let base = key_base();
    let mut steps = plan(options);
    if kind == CatalogKind::RateLimit {
        // A limiter's rate needs a second or so to read, whatever
        // --duration-scale asks: at least 1 s after scaling.
        let floor = (1e9 / scale).ceil() as u64;
        for step in &mut steps {
            step.ns = step.ns.max(floor);
        }
    }
    for step in &steps {
        let observer = observer(options, base, seen.first());
        let step_options = match step.rate {
            Some(rate) => LoadOptions {
                rate: Some(rate),
                duration_ns: Some(step.ns),
                ..LoadOptions::default()
            },
            None => LoadOptions {
                users: Some(step.users),
                ramp_up_ns: Some(0),
                hold_ns: Some(step.ns),
                think_ns,
                ..LoadOptions::default()
            },
        };
        let describe = step.phase.clone().unwrap_or_else(|| match kind {
            CatalogKind::NPlusOne => format!("{} items", step.level),
            CatalogKind::WebSocket => format!("{} connections", step.users),
            CatalogKind::RateLimit
            | CatalogKind::Caching
            | CatalogKind::Pool
            | CatalogKind::Timeout
            | CatalogKind::Search => format!("{} users", step.users),
        });
        let mut profile = LoadProfile::resolve(&step_options, scale)
            .map_err(|e| format!("invalid {kind} step ({describe}): {e}"))?;
        profile.level = step.level;
        profile.label = step.label;
        profile.request_timeout = request_timeout(options);
        profile.observer = Some(Observe(Arc::clone(&observer)));
        total += profile.total();
        eprintln!("{kind}: {describe}");
        let before = scrape(options, target)?;
        let stats = generator.run(&profile)?;
        let after = scrape(options, target)?;
        let mut observed = observer.observed();
        observed.keys_issued = observer.keys.as_ref().map_or(0, Keys::issued);
        let mut level = level_stats(step.level, step.users, &stats, Vec::new());
        level.phase.clone_from(&step.phase);
        match options {
            CatalogOptions::NPlusOne(n_plus_one) => {
                level.per_request =
                    Some(per_request(n_plus_one, &observed, before, after, &stats)?);
            }
            CatalogOptions::WebSocket(_) => round_trips_only(&mut level, &stats),
            CatalogOptions::RateLimit(_)
            | CatalogOptions::Caching(_)
            | CatalogOptions::Pool(_)
            | CatalogOptions::Timeout(_)
            | CatalogOptions::Search(_) => {}
        }
        levels.push(level);
        seen.push(observed);
        runs.push(stats);
    }
    let mut metrics = BTreeMap::new();
    let mut findings = Vec::new();
    let mut unmeasured = BTreeMap::new();
    match options {
        CatalogOptions::RateLimit(options) => {
            rate_limit(options, &levels, &seen, &runs, &mut metrics, &mut findings);
        }
        CatalogOptions::Caching(_) => {
            let revalidation = revalidate(target, &validators(&seen));
            let latencies: Vec<_> = runs.iter().map(|r| buckets(&r.latency)).collect();
            caching(
                &seen,
                &latencies,
                &revalidation,
                &mut metrics,
                &mut findings,
                &mut unmeasured,
            );
        }
        CatalogOptions::NPlusOne(_) => n_plus_one(&levels, &mut metrics, &mut findings),
        CatalogOptions::Pool(options) => pool(options, &levels, &mut metrics, &mut findings),
        CatalogOptions::Timeout(options) => {
            timeout(options, &runs, target, &mut metrics, &mut findings);
        }
        CatalogOptions::Search(_) => search(&levels, &mut metrics, &mut findings),
        CatalogOptions::WebSocket(_) => websocket(&levels, &seen, &mut metrics, &mut findings),
    }
    if kind == CatalogKind::WebSocket && seen.iter().all(|o| o.sockets_attempted == 0) {
        return Err(
            "a websocket(...) test opened no WebSocket: call `user.websocket(\"/path\")` in it (perf-runtime's \
             `websocket` feature)"
                .to_owned(),
        );
    }
    let mut overall = merge(&runs);
    if kind == CatalogKind::RateLimit {
        // The 429s are what the test provokes: counted above, not as errors.
        discount_limited(&mut overall, &seen);
        for (level, observed) in levels.iter_mut().zip(&seen) {
            if level.requests > 0 {
                level.error_rate_pct = (level.error_rate_pct
                    - observed.limited as f64 / level.requests as f64 * 100.0)
                    .max(0.0);
            }
        }
    }
    overall.workload = WorkloadSummary {
        model: if kind == CatalogKind::RateLimit {
            "open"
        } else {
            "closed"
        }
        .to_owned(),
        preset: None,
        stages: steps
            .iter()
            .map(|s| {
                (
                    s.ns as f64 / 1e9 * scale,
                    s.rate.unwrap_or(f64::from(s.users)),
                )
            })
            .collect(),
        think_ms: think_ms(think_ns, scale),
        max_in_flight: None,
    };
    let mut sweep = SweepStats::of(kind, levels, metrics, findings);
    sweep.unmeasured = unmeasured;
    overall.sweep = Some(sweep);
    Ok((overall, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use perf_record::kinds::{List, PoolOptions, RateLimitOptions, SearchOptions, Text};

    static LIMITED: CatalogOptions = CatalogOptions::RateLimit(RateLimitOptions {
        limit: 50.0,
        factor: 3.0,
        step_ns: 3_000_000_000,
    });

    static SEARCH: CatalogOptions = CatalogOptions::Search(SearchOptions {
        queries: List::Borrowed(&[Text::Borrowed("a"), Text::Borrowed("b")]),
        users: 2,
        step_ns: 1_000_000_000,
        think_ns: None,
    });

    static POOL: CatalogOptions = CatalogOptions::Pool(PoolOptions {
        users: List::Borrowed(&[2, 8]),
        size: Some(4),
        step_ns: 1_000_000_000,
        think_ns: None,
    });

    #[test]
    fn each_kind_plans_its_steps_from_its_own_options() {
        let rates: Vec<_> = plan(&LIMITED).iter().map(|s| (s.rate, s.ns)).collect();
        assert_eq!(
            rates,
            [(Some(40.0), 3_000_000_000), (Some(150.0), 3_000_000_000)],
            "below the limit, then `over` times it"
        );
        let queries: Vec<_> = plan(&SEARCH)
            .iter()
            .map(|s| (s.label, s.level, s.users))
            .collect();
        assert_eq!(queries, [(Some("a"), 0, 2), (Some("b"), 1, 2)]);
        let users: Vec<_> = plan(&POOL).iter().map(|s| (s.level, s.users)).collect();
        assert_eq!(users, [(2, 2), (8, 8)]);
        assert_eq!(request_timeout(&POOL), None);
    }
}
