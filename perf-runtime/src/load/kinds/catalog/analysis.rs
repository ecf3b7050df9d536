//! What each catalogue kind's steps say: the figures and the findings in
//! words. (Caching and timeout also send a few requests of their own: the
//! conditional requests, and the probe.)

use std::collections::BTreeMap;
use std::time::Duration;

use perf_record::load::{LevelStats, LoadStats};

use super::{BELOW_LIMIT, get};
use crate::load::http::observe::Observed;
use crate::load::profile::SweepOptions;
use crate::load::user::Target;

/// `part` in percent of `whole` (0 when there is none).
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64 * 100.0
    }
}

/// A pool level whose p95 is more than this many times the first level's
/// is past the latency knee.
const KNEE_FACTOR: f64 = 1.5;
/// Requests the timeout test's probe sends once the load is over.
const PROBES: u32 = 5;

pub(super) fn websocket(
    levels: &[LevelStats],
    seen: &[Observed],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<String>,
) {
    let attempted: u64 = seen.iter().map(|o| o.sockets_attempted).sum();
    let opened: u64 = seen.iter().map(|o| o.sockets_opened).sum();
    if attempted == 0 {
        findings.push(
            "no WebSocket was opened: call `user.websocket(\"/path\")` in the test (perf-runtime's `websocket` \
             feature)"
                .to_owned(),
        );
        return;
    }
    let connected = opened as f64 / attempted as f64 * 100.0;
    metrics.insert("connected_pct".to_owned(), connected);
    findings.push(format!(
        "{opened} of {attempted} WebSocket handshakes succeeded ({connected:.1}%)"
    ));
    let (Some(first), Some(last)) = (levels.first(), levels.last()) else {
        return;
    };
    let ms = |us: u64| us as f64 / 1e3;
    findings.push(format!(
        "round trip p50 {:.2} ms with {} connection(s) -> {:.2} ms with {}",
        ms(first.p50_us),
        first.level,
        ms(last.p50_us),
        last.level
    ));
    // Over every level: the round trip has no fixed cost large enough to
    // hide its growth, and sub-millisecond p50s are too noisy to fit on
    // the upper half alone.
    let points: Vec<(f64, f64)> = levels
        .iter()
        .filter(|l| l.level > 0 && l.p50_us > 0)
        .map(|l| ((l.level as f64).ln(), (l.p50_us as f64).ln()))
        .collect();
    if let Some(line) = perf_record::stats::fit_line(&points) {
        let growth = line.slope.max(0.0);
        metrics.insert("rtt_growth".to_owned(), growth);
        if growth > 0.5 {
            findings.push(format!(
                "the round trip slows as connections are added (as connections^{growth:.2}): per-message work \
                 grows with the number of open sockets (a broadcast loop, a shared lock, a scan of all sessions)"
            ));
        }
    }
}

pub(super) fn rate_limit(
    sweep: &SweepOptions,
    levels: &[LevelStats],
    seen: &[Observed],
    runs: &[LoadStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<String>,
) {
    let (Some(below), Some(above), Some(run)) = (seen.first(), seen.get(1), runs.get(1)) else {
        return;
    };
    let limit = sweep.limit;
    let early = share(below.limited, below.responses);
    metrics.insert("limited_below_pct".to_owned(), early);
    // What gets through once the limiter says no: from the first 429 on, a
    // token bucket's burst is spent and only its rate is left. (Without any
    // 429, everything that passed over the whole step.) 5xx are not let
    // through: they are failures.
    let steady = above
        .first_limited_at
        .zip(above.last_at)
        .map(|(first, last)| (last - first).as_secs_f64())
        .filter(|secs| *secs >= 0.2);
    let through = match steady {
        Some(secs) => above.passed_after_limit as f64 / secs,
        None => above.passed as f64 / run.duration_s.max(1e-9),
    };
    let admitted = through / limit * 100.0;
    metrics.insert("admitted_pct".to_owned(), admitted);
    let offered = levels
        .get(1)
        .map_or(0.0, |l| l.requests as f64 / run.duration_s.max(1e-9));
    findings.push(format!(
        "at {:.0} req/s ({:.0}% of the declared {limit} req/s): {:.1}% answered 429",
        limit * BELOW_LIMIT,
        BELOW_LIMIT * 100.0,
        early
    ));
    findings.push(format!(
        "at {offered:.0} req/s ({:.0}x the limit): {through:.1} req/s got through once the limiter started \
         answering 429 ({admitted:.0}% of the limit), {:.1}% answered 429",
        sweep.factor,
        share(above.limited, above.responses)
    ));
    if early > 5.0 {
        findings.push(
            "429s start below the declared limit: the limiter is stricter than documented"
                .to_owned(),
        );
    }
    if admitted > 120.0 {
        findings.push(format!(
            "{admitted:.0}% of the declared limit got through: the limiter lets more in than it promises"
        ));
    }
    if above.limited == 0 {
        // No 429 carried a header because there was none: the limit is not
        // enforced, and the header check fails with it.
        metrics.insert("limit_headers_pct".to_owned(), 0.0);
        findings.push("no 429 at all above the limit: the limit is not enforced".to_owned());
        return;
    }
    let with_headers = share(above.limited_with_headers, above.limited);
    metrics.insert("limit_headers_pct".to_owned(), with_headers);
    if above.limit_header_names.is_empty() {
        findings.push(
            "its 429s carry no Retry-After or RateLimit headers: clients cannot tell when to retry"
                .to_owned(),
        );
    } else {
        findings.push(format!(
            "{with_headers:.0}% of its 429s carry limit headers ({})",
            above.limit_header_names.join(", ")
        ));
    }
}

pub(super) fn caching(
    levels: &[LevelStats],
    seen: &[Observed],
    target: &Target,
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<String>,
) {
    let (Some(cold), Some(warm), Some(observed)) = (levels.first(), levels.get(1), seen.get(1))
    else {
        return;
    };
    let ms = |us: u64| us as f64 / 1e3;
    if seen.first().is_some_and(|o| o.keys_issued == 0) {
        findings.push(
            "the test never called `user.key()`: the cold and warm phases asked for the same thing, so the \
             speedup says nothing about the cache"
                .to_owned(),
        );
    }
    if cold.p50_us > 0 && warm.p50_us > 0 {
        let speedup = cold.p50_us as f64 / warm.p50_us as f64;
        metrics.insert("warm_speedup".to_owned(), speedup);
        findings.push(format!(
            "p50 {:.2} ms cold (a new key each request) -> {:.2} ms warm (keys asked for before): {speedup:.1}x",
            ms(cold.p50_us),
            ms(warm.p50_us)
        ));
        if speedup < 2.0 {
            findings.push(
                "warm requests are not much faster than cold ones (under 2x): the cache is not hit, or saves little".to_owned(),
            );
        }
    }
    let headers = share(observed.cacheable, observed.answered);
    metrics.insert("cache_headers_pct".to_owned(), headers);
    if observed.cache_header_names.is_empty() {
        findings
            .push("no cache headers (Cache-Control, ETag, Last-Modified, Age, Expires)".to_owned());
    } else {
        findings.push(format!(
            "{headers:.0}% of the warm responses carry cache headers ({})",
            observed.cache_header_names.join(", ")
        ));
    }
    let validators: Vec<_> = seen
        .iter()
        .flat_map(|o| &o.validators)
        .take(crate::load::http::observe::MAX_VALIDATORS)
        .collect();
    if validators.is_empty() {
        findings.push("no ETag or Last-Modified: conditional requests cannot be made".to_owned());
        return;
    }
    let mut not_modified = 0u64;
    for (path, name, value) in &validators {
        if let Ok((304, _)) = get(
            target,
            path,
            &[(name.clone(), value.clone())],
            Duration::from_secs(5),
        ) {
            not_modified += 1;
        }
    }
    let revalidated = share(not_modified, validators.len() as u64);
    metrics.insert("revalidated_pct".to_owned(), revalidated);
    findings.push(format!(
        "{not_modified} of {} conditional requests (If-None-Match / If-Modified-Since) answered 304 Not Modified",
        validators.len()
    ));
}

pub(super) fn n_plus_one(
    levels: &[LevelStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<String>,
) {
    let points: Vec<(f64, f64)> = levels
        .iter()
        .filter_map(|l| {
            l.per_request
                .filter(|q| *q > 0.0 && l.level > 0)
                .map(|q| ((l.level as f64).ln(), q.ln()))
        })
        .collect();
    let (Some(first), Some(last)) = (levels.first(), levels.last()) else {
        return;
    };
    let queries = |l: &LevelStats| l.per_request.unwrap_or(0.0);
    metrics.insert("queries_per_request".to_owned(), queries(last));
    findings.push(format!(
        "{:.1} queries per request at {} items -> {:.1} at {} items",
        queries(first),
        first.level,
        queries(last),
        last.level
    ));
    let Some(line) = perf_record::stats::fit_line(&points) else {
        findings.push(
            "too few levels to see how the queries grow (give at least two sizes)".to_owned(),
        );
        return;
    };
    let growth = line.slope.max(0.0);
    metrics.insert("query_growth".to_owned(), growth);
    if growth > 0.5 {
        findings.push(format!(
            "the queries grow with the page (as items^{growth:.2}): one query per item, an N+1; load the items \
             in one query (a join, or WHERE id IN (...))"
        ));
    } else {
        findings.push(format!(
            "the queries per request stay flat as the page grows (items^{growth:.2})"
        ));
    }
}

pub(super) fn pool(
    sweep: &SweepOptions,
    levels: &[LevelStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<String>,
) {
    let Some(first) = levels.first() else { return };
    let worst = levels.iter().map(|l| l.error_rate_pct).fold(0.0, f64::max);
    metrics.insert("pool_error_pct".to_owned(), worst);
    let fine = |l: &LevelStats| {
        l.error_rate_pct <= 1.0 && l.p95_us as f64 <= first.p95_us as f64 * KNEE_FACTOR
    };
    let knee = levels
        .iter()
        .take_while(|l| fine(l))
        .last()
        .map_or(0, |l| l.level);
    metrics.insert("knee_users".to_owned(), knee as f64);
    let size = if sweep.limit > 0.0 {
        format!(" (a pool of {})", sweep.limit)
    } else {
        String::new()
    };
    match levels.iter().find(|l| l.error_rate_pct > 1.0) {
        Some(failing) => findings.push(format!(
            "errors from {} users{size}: {:.1}% failed there, {worst:.1}% at worst (a pool that times \
             requests out instead of queueing them fails this way; the errors above say what failed)",
            failing.level, failing.error_rate_pct
        )),
        None => findings.push(format!("no errors up to {} users{size}", levels.last().map_or(0, |l| l.level))),
    }
    match levels.iter().find(|l| !fine(l)) {
        Some(past) if knee == 0 => findings.push(format!(
            "no knee to find: the first level, {} users, already failed {:.1}% of its requests",
            past.level, past.error_rate_pct
        )),
        Some(past) => findings.push(format!(
            "latency knee after {knee} users: p95 {:.2} ms at {} users against {:.2} ms at {}",
            past.p95_us as f64 / 1e3,
            past.level,
            first.p95_us as f64 / 1e3,
            first.level
        )),
        None => findings.push(
            "no latency knee in the sweep: p95 stays within 1.5x of the first level".to_owned(),
        ),
    }
}

pub(super) fn timeout(
    sweep: &SweepOptions,
    runs: &[LoadStats],
    target: &Target,
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<String>,
) {
    let Some(run) = runs.first() else { return };
    let count = |kind: &str| run.errors.get(kind).map_or(0, |e| e.count);
    let timed_out = count("timeout");
    let of_requests = |part: u64| share(part, run.requests);
    metrics.insert("timeout_pct".to_owned(), of_requests(timed_out));
    let server_errors: u64 = run
        .status_codes
        .iter()
        .filter(|(c, _)| **c >= 500)
        .map(|(_, n)| n)
        .sum();
    let answered = run
        .requests
        .saturating_sub(timed_out + count("connect") + count("io"));
    findings.push(format!(
        "{} requests with a {:.0} ms timeout: {timed_out} timed out ({:.1}%), {answered} answered ({server_errors} \
         with a 5xx), {} connection and {} I/O errors",
        run.requests,
        sweep.timeout_ns as f64 / 1e6,
        of_requests(timed_out),
        count("connect"),
        count("io")
    ));
    let mut served = 0u32;
    let mut last_error = String::new();
    for _ in 0..PROBES {
        match get(target, sweep.probe, &[], Duration::from_secs(2)) {
            Ok(_) => served += 1,
            Err(e) => last_error = e,
        }
    }
    metrics.insert(
        "served_after_pct".to_owned(),
        f64::from(served) / f64::from(PROBES) * 100.0,
    );
    if served == PROBES {
        findings.push(format!(
            "afterwards the server still answers: {PROBES} of {PROBES} GET {} within 2 s",
            sweep.probe
        ));
    } else {
        findings.push(format!(
            "afterwards the server answered {served} of {PROBES} GET {} within 2 s ({last_error}): the timed-out \
             requests left it unable to serve",
            sweep.probe
        ));
    }
    if timed_out > 0 {
        findings.push(
            "requests that outlive the client's timeout: the endpoint hangs; give it a deadline of its own (and \
             a fallback or an error) shorter than its callers'"
                .to_owned(),
        );
    }
}

pub(super) fn search(
    levels: &[LevelStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<String>,
) {
    let mut p95s: Vec<u64> = levels
        .iter()
        .filter(|l| l.requests > 0)
        .map(|l| l.p95_us)
        .collect();
    if p95s.is_empty() {
        return;
    }
    p95s.sort_unstable();
    // The median of the other queries: with the slowest among them, a
    // short list would measure the slowest against itself.
    let others = &p95s[..p95s.len() - 1];
    let median = others
        .get(others.len() / 2)
        .copied()
        .unwrap_or(p95s[0])
        .max(1) as f64;
    let mut ranked: Vec<&LevelStats> = levels.iter().filter(|l| l.requests > 0).collect();
    ranked.sort_by_key(|l| std::cmp::Reverse(l.p95_us));
    let slowest = ranked[0];
    let spread = slowest.p95_us as f64 / median;
    metrics.insert("slowest_p95_us".to_owned(), slowest.p95_us as f64);
    metrics.insert("query_spread".to_owned(), spread);
    let named: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|l| {
            format!(
                "\"{}\" {:.2} ms",
                l.phase.as_deref().unwrap_or(""),
                l.p95_us as f64 / 1e3
            )
        })
        .collect();
    findings.push(format!("slowest queries by p95: {}", named.join(", ")));
    findings.push(format!(
        "the slowest query's p95 is {spread:.1}x the median of the others' ({:.2} ms)",
        median / 1e3
    ));
}

#[cfg(test)]
mod tests;
