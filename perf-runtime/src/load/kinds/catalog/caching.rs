//! Caching: cold keys, then warm ones. What the server promises a client
//! (cache headers, and 304 to a conditional request once per URL that gave
//! a validator), and the speedup of warm over cold, read from the whole of
//! both latency distributions, with its interval: about 1 where the two
//! cannot be told apart (a finding says so), not measurable only with too
//! few requests for an interval.

use std::collections::BTreeMap;
use std::time::Duration;

use hyper::header::{HeaderName, HeaderValue};
use perf_record::finding::Finding;
use perf_record::ratio::{Inseparable, LatencyRatio, latency_ratio};

use crate::load::http::observe::{MAX_VALIDATORS, Observed};
use crate::load::http::target::Target;
use crate::load::kinds::catalog::probe::get;
use crate::load::kinds::figures::share;
use std::sync::Arc;

use perf_record::kinds::{CachingOptions, Kind, Think, WARM_SPEEDUP_INTERVAL};

use super::kind::{Analysis, CatalogueKind, Ran, Step};
use crate::load::http::observe::{Keys, Observer};
use crate::load::latency::buckets;

/// A URL's validator: (path, `If-None-Match` or `If-Modified-Since`, the
/// value to send in it).
type Validator = (String, HeaderName, HeaderValue);

/// The conditional requests: one per distinct URL that gave a validator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Revalidation {
    /// Conditional requests sent.
    pub(super) sent: u64,
    /// Of which answered `304 Not Modified`.
    pub(super) not_modified: u64,
    /// The first that was not, and what it got instead.
    pub(super) first_miss: Option<String>,
}

/// Each distinct URL's first validator over every phase, at most
/// [`MAX_VALIDATORS`]: the warm phase asks for the cold phase's URLs again,
/// and revalidating one twice would count it twice.
pub(super) fn validators(seen: &[Observed]) -> Vec<Validator> {
    let mut distinct: Vec<Validator> = Vec::new();
    for validator in seen.iter().flat_map(|o| &o.validators) {
        if distinct.len() < MAX_VALIDATORS && !distinct.iter().any(|(p, _, _)| *p == validator.0) {
            distinct.push(validator.clone());
        }
    }
    distinct
}

/// Sends each validator once in a conditional GET.
pub(super) fn revalidate(target: &Target, validators: &[Validator]) -> Revalidation {
    let mut revalidation = Revalidation::default();
    for (path, name, value) in validators {
        revalidation.sent += 1;
        match get(
            target,
            path,
            &[(name.clone(), value.clone())],
            Duration::from_secs(5),
        ) {
            Ok((304, _)) => revalidation.not_modified += 1,
            answer => {
                let got = match answer {
                    Ok((status, _)) => status.to_string(),
                    Err(e) => format!("no answer ({e})"),
                };
                revalidation
                    .first_miss
                    .get_or_insert_with(|| format!("GET {path} with {name} answered {got}"));
            }
        }
    }
    revalidation
}

/// Judges a caching test from its phases (cold, warm): what each saw, the
/// latencies of each as histogram buckets `(lowest µs, highest µs,
/// requests)`, and the conditional requests. A figure it cannot measure
/// goes into `unmeasured` with why, instead of `metrics`.
pub(super) fn caching(
    seen: &[Observed],
    latencies: &[Vec<(f64, f64, u64)>],
    revalidation: &Revalidation,
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
    unmeasured: &mut BTreeMap<String, String>,
) {
    if seen.first().is_some_and(|o| o.keys_issued == 0) {
        findings.push(Finding::note(
            "caching_same_key",
            "the test never called `user.key()`: the cold and warm phases asked for the same thing, so the \
             speedup says nothing about the cache",
        ));
    }
    let empty = Vec::new();
    let (cold, warm) = (
        latencies.first().unwrap_or(&empty),
        latencies.get(1).unwrap_or(&empty),
    );
    match latency_ratio(cold, warm) {
        Some(ratio) => speedup(&ratio, metrics, findings, unmeasured),
        None => {
            let why = "no answered request in the cold or the warm phase";
            findings.push(Finding::note(
                "caching_speedup_not_measurable",
                format!("speedup not measurable: {why}"),
            ));
            unmeasured.insert("warm_speedup".to_owned(), why.to_owned());
        }
    }
    headers(seen, metrics, findings, unmeasured);
    if revalidation.sent == 0 {
        let why =
            "no response carried an ETag or Last-Modified, so no conditional request could be made";
        findings.push(Finding::note(
            "caching_no_revalidation",
            format!("no revalidation: {why}"),
        ));
        unmeasured.insert("revalidated_pct".to_owned(), why.to_owned());
        return;
    }
    metrics.insert(
        "revalidated_pct".to_owned(),
        share(revalidation.not_modified, revalidation.sent),
    );
    let urls = if revalidation.sent == 1 {
        "URL"
    } else {
        "URLs"
    };
    let mut finding = format!(
        "{} of {} {urls} answered 304 Not Modified to a conditional request (If-None-Match / \
         If-Modified-Since with the validator it gave, once per URL)",
        revalidation.not_modified, revalidation.sent
    );
    if let Some(miss) = &revalidation.first_miss {
        finding.push_str(&format!("; {miss}"));
    }
    findings.push(Finding::note("caching_revalidated", finding));
}

/// The speedup of warm over cold, read from every request of each, with
/// its 95% interval (Hodges–Lehmann's estimate and Lehmann's interval:
/// see `perf_record::ratio`). Two phases that cannot be told apart are a
/// speedup of about 1, known as closely as the interval says, and a
/// finding that says so; only too few requests for an interval leave it
/// not measurable.
fn speedup(
    ratio: &LatencyRatio,
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
    unmeasured: &mut BTreeMap<String, String>,
) {
    let (cold_requests, warm_requests) = ratio.counts;
    let Some((low, high)) = ratio.interval else {
        let why = format!(
            "too few requests for an interval ({cold_requests} cold, {warm_requests} warm)"
        );
        findings.push(Finding::note(
            "caching_speedup_not_measurable",
            format!("speedup not measurable: {why}"),
        ));
        unmeasured.insert("warm_speedup".to_owned(), why);
        return;
    };
    let [low_key, high_key] = WARM_SPEEDUP_INTERVAL;
    metrics.insert("warm_speedup".to_owned(), ratio.estimate);
    metrics.insert(low_key.to_owned(), low);
    metrics.insert(high_key.to_owned(), high);
    findings.push(Finding::CachingSpeedup {
        speedup: ratio.estimate,
        low,
        high,
        cold_requests,
        warm_requests,
    });
    let interval_holds_one = match ratio.inseparable() {
        None | Some(Inseparable::TooFew) => return,
        Some(Inseparable::IntervalHoldsOne) => true,
        Some(Inseparable::Overlap) => false,
    };
    findings.push(Finding::CachingInseparable {
        cold_slower_pct: ratio.slower_share * 100.0,
        interval_holds_one,
    });
}

/// The share of answered GETs, over both phases, that carry cache headers.
fn headers(
    seen: &[Observed],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
    unmeasured: &mut BTreeMap<String, String>,
) {
    let answered: u64 = seen.iter().map(|o| o.answered).sum();
    let cacheable: u64 = seen.iter().map(|o| o.cacheable).sum();
    if answered == 0 {
        let why = "no GET was answered 2xx or 304";
        findings.push(Finding::note(
            "caching_headers_not_measurable",
            format!("cache headers not measurable: {why}"),
        ));
        unmeasured.insert("cache_headers_pct".to_owned(), why.to_owned());
        return;
    }
    let pct = share(cacheable, answered);
    metrics.insert("cache_headers_pct".to_owned(), pct);
    let mut names: Vec<&str> = Vec::new();
    for name in seen.iter().flat_map(|o| &o.cache_header_names) {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    findings.push(Finding::note("caching_headers", if names.is_empty() {
        format!(
            "none of the {answered} answered GETs carries a cache header (Cache-Control without no-store, \
             ETag, Last-Modified, Age, Expires)"
        )
    } else {
        format!(
            "{pct:.0}% of the {answered} answered GETs carry cache headers ({})",
            names.join(", ")
        )
    }));
}

/// `caching(...)`: a cold phase, then a warm one round the same keys.
pub(crate) struct Caching(pub(crate) &'static CachingOptions);

impl CatalogueKind for Caching {
    fn kind(&self) -> Kind {
        Kind::Caching
    }

    fn think_ns(&self) -> Think {
        self.0.think_ns
    }

    fn plan(&self, _scale: f64) -> Vec<Step> {
        ["cold", "warm"]
            .into_iter()
            .map(|phase| Step::closed(Some(phase), 0, self.0.users, self.0.step_ns))
            .collect()
    }

    /// Hands out keys: the warm phase round the ones the cold phase asked
    /// for.
    fn observer(&self, base: u64, cold: Option<&Observed>) -> Arc<Observer> {
        let cycle = cold.map(|cold| self.0.keys.min(cold.keys_issued.max(1)));
        Observer::new(None, Some(Keys::new(base, cycle)))
    }

    fn analyse(&self, ran: &Ran<'_>, out: &mut Analysis) -> Result<(), String> {
        let revalidation = revalidate(ran.target, &validators(ran.seen));
        let latencies: Vec<_> = ran.runs.iter().map(|r| buckets(&r.latency)).collect();
        caching(
            ran.seen,
            &latencies,
            &revalidation,
            &mut out.metrics,
            &mut out.findings,
            &mut out.unmeasured,
        );
        Ok(())
    }
}
