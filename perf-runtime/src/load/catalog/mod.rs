//! The catalogue's kinds that read more than timing: rate limits, caches,
//! N+1 queries, connection pools, timeouts and search. Each runs a few
//! short steps (like a sweep), watches the responses with an
//! [`Observer`], and then says what it found.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hyper::body::Bytes;
use perf_record::kinds::Kind;
use perf_record::load::{LevelStats, LoadStats, SweepStats, WorkloadSummary};

use crate::load::client::{Connection, SendError};
use crate::load::engine::{self, LoadFn};
use crate::load::merge::merge;
use crate::load::observe::{Keys, Observe, Observed, Observer};
use crate::load::profile::{LoadOptions, LoadProfile, SweepOptions};
use crate::load::sweep::{level_stats, think_ms};
use crate::load::user::Target;

mod analysis;

use analysis::{caching, n_plus_one, pool, rate_limit, search, timeout, websocket};

/// Below the limit, a rate-limit test drives this share of it.
pub(super) const BELOW_LIMIT: f64 = 0.8;

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

fn plan(sweep: &SweepOptions) -> Vec<Step> {
    let step = |phase: Option<&str>, level: u64, users: u32| Step {
        phase: phase.map(ToOwned::to_owned),
        level,
        users,
        rate: None,
        label: None,
        ns: sweep.step_ns,
    };
    match sweep.kind {
        Kind::RateLimit => [("below", BELOW_LIMIT), ("above", sweep.factor)]
            .into_iter()
            .map(|(phase, factor)| Step {
                rate: Some(sweep.limit * factor),
                ..step(Some(phase), 0, 1)
            })
            .collect(),
        Kind::Caching => ["cold", "warm"]
            .into_iter()
            .map(|phase| step(Some(phase), 0, sweep.users))
            .collect(),
        Kind::Timeout => vec![step(Some("load"), 0, sweep.users)],
        Kind::Search => sweep
            .labels
            .iter()
            .zip(0..)
            .map(|(&query, i)| Step {
                label: Some(query),
                ..step(Some(query), i, sweep.users)
            })
            .collect(),
        Kind::Pool | Kind::WebSocket => sweep
            .levels
            .iter()
            .map(|&users| step(None, users, u32::try_from(users).unwrap_or(u32::MAX)))
            .collect(),
        _ => sweep
            .levels
            .iter()
            .map(|&level| step(None, level, sweep.users))
            .collect(),
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
    load_fn: LoadFn,
    options: &LoadOptions,
    sweep: &SweepOptions,
    scale: f64,
    target: &Target,
    threads: usize,
) -> Result<(LoadStats, Duration), String> {
    let kind = sweep.kind;
    let mut runs: Vec<LoadStats> = Vec::new();
    let mut levels: Vec<LevelStats> = Vec::new();
    let mut seen: Vec<Observed> = Vec::new();
    let mut total = Duration::ZERO;
    let base = key_base();
    let mut steps = plan(sweep);
    if sweep.kind == Kind::RateLimit {
        // A limiter's rate needs a second or so to read, whatever
        // --duration-scale asks: at least 1 s after scaling.
        let floor = (1e9 / scale).ceil() as u64;
        for step in &mut steps {
            step.ns = step.ns.max(floor);
        }
    }
    for step in &steps {
        let keys = (sweep.kind == Kind::Caching).then(|| match &seen.first() {
            // Warm: round the keys the cold phase asked for.
            Some(cold) => Keys::new(base, Some(sweep.keys.min(cold.keys_issued.max(1)))),
            None => Keys::new(base, None),
        });
        let observer = Observer::new(sweep.counter_header, keys);
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
                think_ns: options.think_ns,
                ..LoadOptions::default()
            },
        };
        let describe = step.phase.clone().unwrap_or_else(|| match sweep.kind {
            Kind::NPlusOne => format!("{} items", step.level),
            Kind::WebSocket => format!("{} connections", step.users),
            _ => format!("{} users", step.users),
        });
        let mut profile = LoadProfile::resolve(&step_options, scale)
            .map_err(|e| format!("invalid {kind} step ({describe}): {e}"))?;
        profile.level = step.level;
        profile.label = step.label;
        profile.request_timeout =
            (sweep.timeout_ns > 0).then(|| Duration::from_nanos(sweep.timeout_ns));
        profile.observer = Some(Observe(std::sync::Arc::clone(&observer)));
        total += profile.total();
        eprintln!("{kind}: {describe}");
        let before = scrape(sweep, target)?;
        let stats = engine::run(load_fn, &profile, target.clone(), threads)
            .map_err(|e| format!("failed to start the load generator: {e}"))?;
        let after = scrape(sweep, target)?;
        let mut observed = observer.observed();
        observed.keys_issued = observer.keys.as_ref().map_or(0, Keys::issued);
        let mut level = level_stats(step.level, step.users, &stats, Vec::new());
        level.phase.clone_from(&step.phase);
        if sweep.kind == Kind::NPlusOne {
            level.per_request = Some(per_request(sweep, &observed, before, after, &stats)?);
        }
        if sweep.kind == Kind::WebSocket {
            round_trips_only(&mut level, &stats);
        }
        levels.push(level);
        seen.push(observed);
        runs.push(stats);
    }
    let mut metrics = BTreeMap::new();
    let mut findings = Vec::new();
    match sweep.kind {
        Kind::RateLimit => rate_limit(sweep, &levels, &seen, &runs, &mut metrics, &mut findings),
        Kind::Caching => caching(&levels, &seen, target, &mut metrics, &mut findings),
        Kind::NPlusOne => n_plus_one(&levels, &mut metrics, &mut findings),
        Kind::Pool => pool(sweep, &levels, &mut metrics, &mut findings),
        Kind::Timeout => timeout(sweep, &runs, target, &mut metrics, &mut findings),
        Kind::Search => search(&levels, &mut metrics, &mut findings),
        Kind::WebSocket => websocket(&levels, &seen, &mut metrics, &mut findings),
        _ => {}
    }
    if sweep.kind == Kind::WebSocket && seen.iter().all(|o| o.sockets_attempted == 0) {
        return Err(
            "a websocket(...) test opened no WebSocket: call `user.websocket(\"/path\")` in it (perf-runtime's \
             `websocket` feature)"
                .to_owned(),
        );
    }
    let mut overall = merge(&runs);
    if sweep.kind == Kind::RateLimit {
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
        model: if sweep.kind == Kind::RateLimit {
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
        think_ms: think_ms(options, scale),
        max_in_flight: None,
    };
    overall.sweep = Some(SweepStats {
        kind,
        parameter: sweep.kind.parameter().to_owned(),
        levels,
        metrics,
        findings,
    });
    Ok((overall, total))
}

/// A WebSocket level's latency: its round trips', without the handshakes.
fn round_trips_only(level: &mut LevelStats, stats: &LoadStats) {
    let trips = stats
        .endpoints
        .iter()
        .filter(|e| e.name.starts_with("WS ") && !e.name.starts_with("WS connect "))
        .max_by_key(|e| e.latency.count);
    if let Some(trips) = trips {
        level.mean_us = trips.latency.mean_us;
        level.p50_us = trips.latency.p50_us;
        level.p95_us = trips.latency.p95_us;
        level.p99_us = trips.latency.p99_us;
    }
}

/// Takes the 429s out of a result's errors.
fn discount_limited(stats: &mut LoadStats, seen: &[Observed]) {
    let limited: u64 = seen.iter().map(|o| o.limited).sum();
    if stats.requests == 0 || limited == 0 {
        return;
    }
    // The engine's "most requests failed" warning counted the 429s, which
    // were answered and are in the latencies.
    stats
        .warnings
        .retain(|w| !w.contains("requests failed: the latency and throughput"));
    for endpoint in &mut stats.endpoints {
        let of_it: u64 = seen
            .iter()
            .flat_map(|o| &o.limited_by_name)
            .filter(|(name, _)| *name == endpoint.name)
            .map(|(_, n)| n)
            .sum();
        endpoint.errors = endpoint.errors.saturating_sub(of_it);
    }
    let failed = stats.error_rate_pct / 100.0 * stats.requests as f64;
    stats.error_rate_pct = ((failed - limited as f64) / stats.requests as f64 * 100.0).max(0.0);
    if let Some(status) = stats.errors.get_mut("status") {
        status.count = status.count.saturating_sub(limited);
        status.first_messages.retain(|m| !m.ends_with(" 429"));
        if status.count == 0 {
            stats.errors.remove("status");
        }
    }
}

/// A blocking GET of `path` on a fresh connection: its status and body,
/// or why it failed.
pub(super) fn get(
    target: &Target,
    path: &str,
    headers: &[(hyper::header::HeaderName, hyper::header::HeaderValue)],
    timeout: Duration,
) -> Result<(u16, Bytes), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("failed to build a tokio runtime: {e}"))?;
    runtime.block_on(async {
        let mut connection = Connection::new(target.addr);
        connection
            .send(
                &hyper::Method::GET,
                path,
                &target.authority,
                headers,
                &Bytes::new(),
                timeout,
            )
            .await
            .map(|r| (r.status, r.body))
            .map_err(|e| match e {
                SendError::Timeout => format!("no answer within {timeout:?}"),
                SendError::Connect(m) | SendError::Io(m) => m,
            })
    })
}

/// N+1 with `metric = "..."`: the counter's value on the server, read from
/// its Prometheus text (the sum over its label sets).
fn scrape(sweep: &SweepOptions, target: &Target) -> Result<Option<f64>, String> {
    let Some((name, path)) = sweep.counter_metric else {
        return Ok(None);
    };
    let (status, body) = get(target, path, &[], Duration::from_secs(5))
        .map_err(|e| format!("cannot read the counter `{name}` from {path}: {e}"))?;
    if status != 200 {
        return Err(format!(
            "cannot read the counter `{name}`: GET {path} returned {status}; give the path of the Prometheus \
             text with `metrics_path = \"/metrics\"`"
        ));
    }
    let text = String::from_utf8_lossy(&body);
    let found = counter_value(&text, name);
    found.map(Some).ok_or_else(|| {
        format!("the server's {path} has no counter `{name}`; check the name (it is matched without labels)")
    })
}

/// The sum of a counter's samples (over its label sets) in Prometheus
/// text: `name{labels} value [timestamp]`, labels may hold spaces.
fn counter_value(text: &str, name: &str) -> Option<f64> {
    let mut found = None;
    for line in text.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
        let (series, rest) = match line.find('{') {
            Some(open) => match line[open..].find('}') {
                Some(close) => line.split_at(open + close + 1),
                None => continue,
            },
            None => line.split_once(char::is_whitespace).unwrap_or((line, "")),
        };
        let bare = series.split('{').next().unwrap_or(series).trim();
        let value = rest.split_whitespace().next().unwrap_or("");
        if bare == name
            && let Ok(v) = value.parse::<f64>()
        {
            *found.get_or_insert(0.0) += v;
        }
    }
    found
}

/// Queries per request in one N+1 step.
fn per_request(
    sweep: &SweepOptions,
    observed: &Observed,
    before: Option<f64>,
    after: Option<f64>,
    stats: &LoadStats,
) -> Result<f64, String> {
    if let (Some(before), Some(after)) = (before, after) {
        return Ok((after - before) / stats.requests.max(1) as f64);
    }
    let header = sweep.counter_header.unwrap_or("");
    if observed.counter_seen == 0 {
        return Err(format!(
            "no response carried a number in the `{header}` header ({} responses): check the header's name, \
             or read a Prometheus counter with `metric = \"...\"` instead",
            observed.responses
        ));
    }
    Ok(observed.counter_sum / observed.counter_seen as f64)
}

#[cfg(test)]
mod tests {
    use super::counter_value;

    #[test]
    fn counters_are_read_with_labels_and_timestamps() {
        let text = "# TYPE db_queries_total counter\n\
                    db_queries_total{table=\"a b\"} 40 1700000000000\n\
                    db_queries_total{table=\"c\"} 2\n\
                    db_queries_total_created 1.7e9\n\
                    other_total 5\n";
        assert_eq!(counter_value(text, "db_queries_total"), Some(42.0));
        assert_eq!(
            counter_value("db_queries_total 7 1700000000000", "db_queries_total"),
            Some(7.0)
        );
        assert_eq!(counter_value(text, "missing_total"), None);
    }
}
