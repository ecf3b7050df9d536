//! Caching: cold keys, then warm ones; the speedup, the cache headers,
//! and conditional requests that come back 304.

use std::collections::BTreeMap;
use std::time::Duration;

use perf_record::load::LevelStats;

use crate::load::http::observe::Observed;
use crate::load::http::target::Target;
use crate::load::kinds::catalog::probe::get;
use crate::load::kinds::figures::share;

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
