//! The kinds that are one run: response time and soak.

use std::collections::BTreeMap;
use std::time::Duration;

use perf_record::finding::Finding;
use perf_record::load::{LoadStats, SweepStats};
use perf_record::threshold::Threshold;

use super::kind::Single;
use crate::load::engine::Generator;
use crate::load::kinds::kind_run::KindRun;
use crate::load::kinds::smoke::Smoke;
use crate::load::profile::{LoadOptions, LoadProfile};

/// The longest a response-time test may take, before `--duration-scale`.
const RESPONSE_TIME_LIMIT_NS: u64 = 300_000_000_000;

/// The kinds that are one run: a response-time test (one user, a count
/// of requests: scaled by `--duration-scale` like a duration, at least 1)
/// and a soak test (a warm-up and a long hold; cargo perf reads the
/// server's memory over it, which this process cannot see).
fn run_single(
    generator: Generator<'_>,
    single: Single,
    scale: f64,
) -> Result<(LoadStats, Duration), String> {
    let kind = single.kind();
    let mut metrics = BTreeMap::new();
    let mut findings = Vec::new();
    let (users, hold_ns, cap) = match single {
        Single::ResponseTime(options) => {
            let requests = options.requests;
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a positive count times a positive scale, rounded up"
            )]
            let scaled = ((requests as f64 * scale).ceil() as u64).max(1);
            metrics.insert("requests".to_owned(), scaled as f64);
            (1, RESPONSE_TIME_LIMIT_NS, Some(scaled))
        }
        Single::Soak(options) => {
            let (warm_up, hold) = (options.warm_up_ns, options.hold_ns);
            metrics.insert("warm_up_s".to_owned(), warm_up as f64 / 1e9 * scale);
            (options.users, warm_up + hold, None)
        }
    };
    let single = LoadOptions {
        users: Some(users),
        ramp_up_ns: Some(0),
        hold_ns: Some(hold_ns),
        think_ns: single.think_ns(),
        ..LoadOptions::default()
    };
    let mut profile =
        LoadProfile::resolve(&single, scale).map_err(|e| format!("invalid {kind} test: {e}"))?;
    profile.max_iterations = cap;
    let mut stats = generator.run(&profile)?;
    if let Some(cap) = cap {
        let l = &stats.latency;
        let ms = |us: u64| us as f64 / 1e3;
        findings.push(Finding::note("response_time_requests", format!(
            "{} of {cap} requests from one user, one after the other: min {:.2} ms, mean {:.2} ms, p50 {:.2} ms, \
             p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            stats.iterations,
            ms(l.min_us),
            l.mean_us / 1e3,
            ms(l.p50_us),
            ms(l.p95_us),
            ms(l.p99_us),
            ms(l.max_us)
        )));
        if stats.iterations < cap {
            findings.push(Finding::note(
                "response_time_time_limit",
                format!(
                    "stopped at the time limit ({} s) before all requests were sent",
                    RESPONSE_TIME_LIMIT_NS as f64 / 1e9 * scale
                ),
            ));
        }
    }
    let total = Duration::from_secs_f64(stats.duration_s);
    stats.sweep = Some(SweepStats::of(kind, Vec::new(), metrics, findings));
    Ok((stats, total))
}

impl KindRun for Single {
    fn run(
        &self,
        generator: Generator<'_>,
        scale: f64,
        _thresholds: &[Threshold],
    ) -> Result<(LoadStats, Duration), String> {
        run_single(generator, *self, scale)
    }

    /// A response-time test's requests, a soak test's users.
    fn smoke(&self) -> Smoke {
        let level = match self {
            Self::ResponseTime(options) => options.requests,
            Self::Soak(options) => options.users.into(),
        };
        Smoke {
            level,
            ..Smoke::default()
        }
    }
}
