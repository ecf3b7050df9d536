//! Each kind's analysis, on made-up levels and observations.

use perf_record::kinds::{List, PoolOptions, RateLimitOptions};
use std::collections::BTreeMap;
use std::time::Duration;

use perf_record::finding::Finding;
use perf_record::load::{LevelStats, LoadStats, WorkloadSummary};

use super::caching::{Revalidation, caching, validators};
use super::n_plus_one::n_plus_one;
use super::pool::pool;
use super::rate_limit::rate_limit;
use super::search::search;
use crate::load::http::observe::Observed;

fn level(level: u64, p95_us: u64, error_rate_pct: f64) -> LevelStats {
    LevelStats {
        level,
        users: u32::try_from(level).unwrap(),
        requests: 100,
        p95_us,
        error_rate_pct,
        ..LevelStats::default()
    }
}

fn pool_of(size: Option<u64>) -> PoolOptions {
    PoolOptions {
        users: List::Borrowed(&[]),
        size,
        step_ns: 1_000_000_000,
        think_ns: None,
    }
}

#[test]
fn a_pool_that_times_out_has_errors_and_an_early_knee() {
    let small = [
        level(2, 11_000, 0.0),
        level(4, 11_500, 0.0),
        level(8, 23_000, 0.0),
        level(16, 35_000, 28.0),
    ];
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    pool(&pool_of(Some(4)), &small, &mut metrics, &mut findings);
    assert_eq!(
        (metrics["pool_error_pct"], metrics["knee_users"]),
        (28.0, 4.0)
    );
    assert_eq!(findings[0].code(), "pool_errors");
    assert_eq!(
        findings[0].to_string(),
        "errors from 16 users (a pool of 4): 28.0% failed there, 28.0% at worst (a pool that times requests \
         out instead of queueing them fails this way; the errors above say what failed)"
    );
    let sized = [level(2, 11_000, 0.0), level(16, 12_000, 0.0)];
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    pool(&pool_of(None), &sized, &mut metrics, &mut findings);
    assert_eq!(
        (metrics["pool_error_pct"], metrics["knee_users"]),
        (0.0, 16.0)
    );
}

#[test]
fn the_slowest_query_is_named_and_measured_against_the_median() {
    let mut levels: Vec<LevelStats> = [("a", 200), ("b", 250), ("c", 220), ("*z", 4000)]
        .iter()
        .map(|(q, p95)| LevelStats {
            phase: Some((*q).to_owned()),
            ..level(1, *p95, 0.0)
        })
        .collect();
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    search(&levels, &mut metrics, &mut findings);
    assert_eq!(metrics["slowest_p95_us"], 4000.0);
    assert_eq!(
        metrics["query_spread"],
        4000.0 / 220.0,
        "against the median of the others"
    );
    assert_eq!(findings[0].code(), "search_slowest");
    assert_eq!(
        findings[0].to_string(),
        "slowest queries by p95: \"*z\" 4.00 ms, \"b\" 0.25 ms, \"c\" 0.22 ms"
    );
    levels.truncate(3);
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    search(&levels, &mut metrics, &mut findings);
    assert!(metrics["query_spread"] < 1.2);
}

#[test]
fn queries_that_grow_with_the_page_are_an_n_plus_one() {
    let with = |per: &[(u64, f64)]| -> Vec<LevelStats> {
        per.iter()
            .map(|&(items, q)| LevelStats {
                per_request: Some(q),
                ..level(items, 1000, 0.0)
            })
            .collect()
    };
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    n_plus_one(
        &with(&[(10, 11.0), (30, 31.0), (100, 101.0)]),
        &mut metrics,
        &mut findings,
    );
    assert!(metrics["query_growth"] > 0.9, "{metrics:?}");
    assert_eq!(metrics["queries_per_request"], 101.0);
    assert_eq!(findings[1].code(), "n_plus_one_growing", "{findings:?}");
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    n_plus_one(&with(&[(10, 2.0), (100, 2.0)]), &mut metrics, &mut findings);
    assert!(metrics["query_growth"] < 0.01);
}

#[test]
fn a_limiter_is_judged_on_what_gets_through_and_its_headers() {
    let options = RateLimitOptions {
        limit: 50.0,
        factor: 2.0,
        step_ns: 3_000_000_000,
    };
    // `after`: responses under 400 in the 2 s after the first 429.
    let observed = |responses: u64, limited: u64, with_headers: u64, after: u64| {
        let start = std::time::Instant::now();
        Observed {
            responses,
            limited,
            limited_with_headers: with_headers,
            passed: responses - limited,
            first_limited_at: (limited > 0).then_some(start),
            passed_after_limit: after,
            last_at: Some(start + Duration::from_secs(2)),
            ..Observed::default()
        }
    };
    let run = |requests: u64| LoadStats {
        workload: WorkloadSummary {
            model: "open".to_owned(),
            preset: None,
            stages: Vec::new(),
            think_ms: [0.0; 2],
            max_in_flight: None,
        },
        duration_s: 2.0,
        iterations: requests,
        requests,
        rps: 0.0,
        connections: None,
        transfer: perf_record::load::Transfer::default(),
        error_rate_pct: 0.0,
        latency: perf_record::load::LatencySummary::default(),
        raw_latency: None,
        endpoints: Vec::new(),
        errors: BTreeMap::new(),
        status_codes: BTreeMap::new(),
        timeline: Vec::new(),
        started_unix_ms: None,
        late_iterations: 0,
        dropped_iterations: 0,
        generator_cpu_s: 0.0,
        generator_cpu_pct: 0.0,
        warnings: Vec::new(),
        sweep: None,
        processes: Vec::new(),
    };
    let levels = [level(0, 100, 0.0), level(0, 100, 0.0)];
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    let loose = [observed(80, 0, 0, 0), observed(200, 40, 0, 160)];
    rate_limit(
        &options,
        &levels,
        &loose,
        &[run(80), run(200)],
        &mut metrics,
        &mut findings,
    );
    assert_eq!(metrics["admitted_pct"], 160.0);
    assert_eq!(metrics["limit_headers_pct"], 0.0);
    assert_eq!(metrics["limited_below_pct"], 0.0);
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    // A burst of 50 before the first 429, then the limit: the burst
    // does not count.
    let strict = [observed(80, 0, 0, 0), observed(200, 48, 48, 104)];
    rate_limit(
        &options,
        &levels,
        &strict,
        &[run(80), run(200)],
        &mut metrics,
        &mut findings,
    );
    assert_eq!(metrics["admitted_pct"], 104.0);
    assert_eq!(metrics["limit_headers_pct"], 100.0);
    // No 429 at all: everything got through, and the header check fails.
    let (mut metrics, mut findings) = (BTreeMap::new(), Vec::new());
    let open = [observed(80, 0, 0, 0), observed(200, 0, 0, 0)];
    rate_limit(
        &options,
        &levels,
        &open,
        &[run(80), run(200)],
        &mut metrics,
        &mut findings,
    );
    assert_eq!(metrics["admitted_pct"], 200.0);
    assert_eq!(metrics["limit_headers_pct"], 0.0);
}

/// `n` latencies around `centre` µs, spread evenly over ±5%.
fn around(centre: f64, n: usize) -> Vec<(f64, f64, u64)> {
    (0..n)
        .map(|i| centre * (0.95 + 0.1 * (i as f64 * 0.618_034).fract()))
        .map(|latency| (latency, latency, 1))
        .collect()
}

/// A phase that asked for `paths`, each answered with `headers`.
fn phase(paths: &[&str], headers: &[(&'static str, &'static str)]) -> Observed {
    let observer = crate::load::http::observe::Observer::new(None, None);
    let headers: hyper::HeaderMap = headers
        .iter()
        .map(|(n, v)| {
            (
                hyper::header::HeaderName::from_static(n),
                hyper::header::HeaderValue::from_static(v),
            )
        })
        .collect();
    for path in paths {
        observer.observe("GET /static", true, path, 200, &headers);
    }
    observer.observed()
}

#[test]
fn each_url_is_revalidated_once_over_both_phases() {
    let files = ["/a.css", "/b.js", "/index.html"];
    let etag = [("etag", "\"1\""), ("cache-control", "no-cache")];
    let seen = [phase(&files, &etag), phase(&files, &etag)];
    let validators = validators(&seen);
    let paths: Vec<&str> = validators.iter().map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(paths, files, "3 files, 3 conditional requests");
    assert_eq!(validators[0].1, hyper::header::IF_NONE_MATCH);
    let (mut metrics, mut findings, mut unmeasured) =
        (BTreeMap::new(), Vec::new(), BTreeMap::new());
    let revalidation = Revalidation {
        sent: 3,
        not_modified: 3,
        first_miss: None,
    };
    let same = [around(300.0, 400), around(300.0, 399)];
    caching(
        &seen,
        &same,
        &revalidation,
        &mut metrics,
        &mut findings,
        &mut unmeasured,
    );
    assert_eq!(metrics["revalidated_pct"], 100.0);
    assert_eq!(metrics["cache_headers_pct"], 100.0);
    assert!(
        findings.iter().any(|f| f.code() == "caching_revalidated"),
        "{findings:?}"
    );
    // No cache of its own: cold and warm are the same server, a speedup
    // of about 1, known closely, and a finding that says so.
    let (low, high) = (
        metrics["warm_speedup_ci_low"],
        metrics["warm_speedup_ci_high"],
    );
    assert!(
        (0.99..=1.0).contains(&low) && (1.0..=1.01).contains(&high),
        "{metrics:?}"
    );
    assert!(!unmeasured.contains_key("warm_speedup"), "{unmeasured:?}");
    assert!(
        findings.iter().any(|f| matches!(
            f,
            Finding::CachingInseparable {
                interval_holds_one: true,
                ..
            }
        )),
        "{findings:?}"
    );
}

#[test]
fn a_bimodal_server_has_a_speedup_of_about_1_and_a_cache_has_one() {
    let seen = [phase(&["/x?key=1"], &[]), phase(&["/x?key=1"], &[])];
    let none = Revalidation::default();
    // Half the responses stall 40 ms in both phases, a few more when cold:
    // the p50s would read 80x; the median over the pairs reads about 1.
    let stalled = |slow: usize, n: usize| {
        let mut all = around(40_000.0, slow);
        all.extend(around(500.0, n - slow));
        all
    };
    let (mut metrics, mut findings, mut unmeasured) =
        (BTreeMap::new(), Vec::new(), BTreeMap::new());
    caching(
        &seen,
        &[stalled(240, 400), stalled(170, 400)],
        &none,
        &mut metrics,
        &mut findings,
        &mut unmeasured,
    );
    assert!(
        (0.9..1.12).contains(&metrics["warm_speedup"]),
        "{metrics:?}"
    );
    assert!(metrics["warm_speedup_ci_high"] < 1.5, "{metrics:?}");
    assert!(!unmeasured.contains_key("warm_speedup"), "{unmeasured:?}");
    let overlap = findings
        .iter()
        .find(|f| f.code() == "caching_inseparable")
        .unwrap();
    assert!(
        matches!(
            overlap,
            Finding::CachingInseparable {
                interval_holds_one: false,
                cold_slower_pct,
            } if (50.0..64.0).contains(cold_slower_pct)
        ),
        "{overlap:?}"
    );
    assert!(
        overlap
            .to_string()
            .starts_with("cold and warm latencies overlap: a cold request is the slower"),
        "{overlap}"
    );
    // Without a validator there is nothing to revalidate: not measured,
    // with why; no header at all reads 0%.
    assert!(!metrics.contains_key("revalidated_pct"));
    assert!(unmeasured["revalidated_pct"].contains("ETag or Last-Modified"));
    assert_eq!(metrics["cache_headers_pct"], 0.0);

    let (mut metrics, mut findings, mut unmeasured) =
        (BTreeMap::new(), Vec::new(), BTreeMap::new());
    caching(
        &seen,
        &[around(10_000.0, 100), around(120.0, 5000)],
        &none,
        &mut metrics,
        &mut findings,
        &mut unmeasured,
    );
    let speedup = metrics["warm_speedup"];
    assert!((75.0..92.0).contains(&speedup), "{metrics:?}");
    assert!(metrics["warm_speedup_ci_low"] > 70.0, "{metrics:?}");
    assert!(!unmeasured.contains_key("warm_speedup"));
    assert!(
        findings.iter().any(|f| matches!(
            f,
            Finding::CachingSpeedup {
                cold_requests: 100,
                warm_requests: 5000,
                ..
            }
        )),
        "{findings:?}"
    );
    assert!(
        !findings.iter().any(|f| f.code() == "caching_inseparable"),
        "{findings:?}"
    );

    // Too few requests for an interval: not measurable, and why.
    let (mut metrics, mut findings, mut unmeasured) =
        (BTreeMap::new(), Vec::new(), BTreeMap::new());
    caching(
        &seen,
        &[around(10_000.0, 3), around(120.0, 3)],
        &none,
        &mut metrics,
        &mut findings,
        &mut unmeasured,
    );
    assert!(!metrics.contains_key("warm_speedup"), "{metrics:?}");
    assert_eq!(
        unmeasured["warm_speedup"],
        "too few requests for an interval (3 cold, 3 warm)"
    );
    assert!(
        findings.contains(&Finding::note(
            "caching_speedup_not_measurable",
            "speedup not measurable: too few requests for an interval (3 cold, 3 warm)"
        )),
        "{findings:?}"
    );
}

/// `n` latencies round `median_us` (log-spread by `sigma`) through the
/// recorder's own histogram, read back as the analysis reads a phase.
fn recorded(median_us: f64, sigma: f64, n: u64, seed: u64) -> Vec<(f64, f64, u64)> {
    use crate::load::latency::{buckets, histogram, summarize};
    let mut hist = histogram(3);
    let mut state = seed;
    let mut uniform = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    for _ in 0..n {
        let z = (-2.0 * uniform().ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
        let latency = std::time::Duration::from_secs_f64(median_us * (sigma * z).exp() / 1e6);
        hist.record(crate::load::latency::micros(latency)).unwrap();
    }
    buckets(&summarize(&hist))
}

#[test]
fn a_server_that_caches_nothing_meets_a_low_speedup_threshold_and_misses_a_high_one() {
    use perf_record::kinds::Kind;
    use perf_record::load::SweepStats;
    use perf_record::threshold::Threshold;
    // static-web-server on loopback: about 13 µs, 150,000 requests a
    // phase, and no cache: issue 20's "speedup >= 0.5 MISSED: not
    // measurable (cold and warm latencies overlap ...)".
    let phases = [
        recorded(13.0, 0.3, 150_000, 11),
        recorded(13.0, 0.3, 150_000, 12),
    ];
    let seen = [phase(&["/a.css"], &[]), phase(&["/a.css"], &[])];
    let (mut metrics, mut findings, mut unmeasured) =
        (BTreeMap::new(), Vec::new(), BTreeMap::new());
    caching(
        &seen,
        &phases,
        &Revalidation::default(),
        &mut metrics,
        &mut findings,
        &mut unmeasured,
    );
    let (low, high) = (
        metrics["warm_speedup_ci_low"],
        metrics["warm_speedup_ci_high"],
    );
    assert!(
        0.97 < low && low < 1.0 && 1.0 < high && high < 1.03,
        "{metrics:?}"
    );
    assert!(
        findings.iter().any(|f| f.code() == "caching_inseparable"),
        "{findings:?}"
    );
    let mut sweep = SweepStats::of(Kind::Caching, Vec::new(), metrics, findings);
    sweep.unmeasured = unmeasured;
    let stats = perf_record::load::LoadStats {
        requests: 300_000,
        sweep: Some(sweep),
        ..perf_record::load::LoadStats::default()
    };
    let judge = |limit: &str| Threshold::parse("speedup", limit).unwrap().check(&stats);
    for met in [">= 0", ">= 0.5"] {
        let result = judge(met);
        assert!(result.passed && !result.unmeasured, "{met}: {result:?}");
    }
    let result = judge(">= 2");
    assert!(!result.passed && !result.unmeasured, "{result:?}");
    let result = judge(">= 1");
    assert!(!result.passed && result.unmeasured, "{result:?}");
}
