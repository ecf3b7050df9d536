//! Rate limit: below and above a declared limit, the 429s, what gets
//! through, and the limit headers.

use std::collections::BTreeMap;

use perf_record::finding::Finding;
use perf_record::finding::Warning;
use perf_record::kinds::RateLimitOptions;
use perf_record::load::{LevelStats, LoadStats, RequestErrorKind, error_rate_pct};

use crate::load::http::observe::Observed;
use crate::load::kinds::figures::share;
use perf_record::kinds::{Kind, Think};

use super::kind::{Analysis, CatalogueKind, Ran, Step};

/// Below the limit, a rate-limit test drives this share of it.
pub(super) const BELOW_LIMIT: f64 = 0.8;

pub(super) fn rate_limit(
    options: &RateLimitOptions,
    levels: &[LevelStats],
    seen: &[Observed],
    runs: &[LoadStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
) {
    let (Some(below), Some(above), Some(run)) = (seen.first(), seen.get(1), runs.get(1)) else {
        return;
    };
    let limit = options.limit;
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
    findings.push(Finding::note(
        "rate_limit_below",
        format!(
            "at {:.0} req/s ({:.0}% of the declared {limit} req/s): {:.1}% answered 429",
            limit * BELOW_LIMIT,
            BELOW_LIMIT * 100.0,
            early
        ),
    ));
    findings.push(Finding::note("rate_limit_above", format!(
        "at {offered:.0} req/s ({:.0}x the limit): {through:.1} req/s got through once the limiter started \
         answering 429 ({admitted:.0}% of the limit), {:.1}% answered 429",
        options.factor,
        share(above.limited, above.responses)
    )));
    if early > 5.0 {
        findings.push(Finding::note(
            "rate_limit_stricter",
            "429s start below the declared limit: the limiter is stricter than documented",
        ));
    }
    if admitted > 120.0 {
        findings.push(Finding::note("rate_limit_lets_more_in", format!(
            "{admitted:.0}% of the declared limit got through: the limiter lets more in than it promises"
        )));
    }
    if above.limited == 0 {
        // No 429 carried a header because there was none: the limit is not
        // enforced, and the header check fails with it.
        metrics.insert("limit_headers_pct".to_owned(), 0.0);
        findings.push(Finding::note(
            "rate_limit_not_enforced",
            "no 429 at all above the limit: the limit is not enforced",
        ));
        return;
    }
    let with_headers = share(above.limited_with_headers, above.limited);
    metrics.insert("limit_headers_pct".to_owned(), with_headers);
    if above.limit_header_names.is_empty() {
        findings.push(Finding::note(
            "rate_limit_no_headers",
            "its 429s carry no Retry-After or RateLimit headers: clients cannot tell when to retry",
        ));
    } else {
        findings.push(Finding::note(
            "rate_limit_headers",
            format!(
                "{with_headers:.0}% of its 429s carry limit headers ({})",
                above.limit_header_names.join(", ")
            ),
        ));
    }
}

/// Takes the 429s out of a result's errors.
pub(super) fn discount_limited(stats: &mut LoadStats, seen: &[Observed]) {
    let limited: u64 = seen.iter().map(|o| o.limited).sum();
    if stats.requests == 0 || limited == 0 {
        return;
    }
    // The engine's "most requests failed" warning counted the 429s, which
    // were answered and are in the latencies.
    stats
        .warnings
        .retain(|w| !matches!(w, Warning::MostlyFailed { .. }));
    for endpoint in &mut stats.endpoints {
        let of_it: u64 = seen
            .iter()
            .flat_map(|o| &o.limited_by_name)
            .filter(|(name, _)| *name == endpoint.name)
            .map(|(_, n)| n)
            .sum();
        endpoint.errors = endpoint.errors.saturating_sub(of_it);
    }
    stats.error_rate_pct = error_rate_pct(stats.failed().saturating_sub(limited), stats.requests);
    if let Some(status) = stats.errors.get_mut(&RequestErrorKind::Status) {
        status.count = status.count.saturating_sub(limited);
        status.first_messages.retain(|m| !m.ends_with(" 429"));
        if status.count == 0 {
            stats.errors.remove(&RequestErrorKind::Status);
        }
    }
}

/// `rate_limit(...)`: an open load below the limit, then above it.
pub(crate) struct RateLimit(pub(crate) &'static RateLimitOptions);

impl CatalogueKind for RateLimit {
    fn kind(&self) -> Kind {
        Kind::RateLimit
    }

    /// An open load: no think time.
    fn think_ns(&self) -> Think {
        None
    }

    fn plan(&self, scale: f64) -> Vec<Step> {
        let limiter = self.0;
        // A limiter's rate needs a second or so to read, whatever
        // --duration-scale asks: at least 1 s after scaling.
        let floor = (1e9 / scale).ceil() as u64;
        [("below", BELOW_LIMIT), ("above", limiter.factor)]
            .into_iter()
            .map(|(phase, factor)| Step {
                rate: Some(limiter.limit * factor),
                ..Step::closed(Some(phase), 0, 1, limiter.step_ns.max(floor))
            })
            .collect()
    }

    fn analyse(&self, ran: &Ran<'_>, out: &mut Analysis) -> Result<(), String> {
        rate_limit(
            self.0,
            ran.levels,
            ran.seen,
            ran.runs,
            &mut out.metrics,
            &mut out.findings,
        );
        Ok(())
    }

    /// The 429s are what the test provokes: counted by the analysis, not
    /// as errors.
    fn settle(&self, overall: &mut LoadStats, levels: &mut [LevelStats], seen: &[Observed]) {
        discount_limited(overall, seen);
        for (level, observed) in levels.iter_mut().zip(seen) {
            level.error_rate_pct = error_rate_pct(
                level.failed().saturating_sub(observed.limited),
                level.requests,
            );
        }
    }
}
