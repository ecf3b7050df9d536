//! `caching(...)`: cold keys, then warm ones; the cache's speedup, its
//! headers, and conditional requests.
//!
//! By default a caching test judges what the server promises a client:
//! every answered GET carries cache headers, and every URL that gave a
//! validator answers a conditional request with 304. A server that
//! revalidates correctly needs no cache of its own, so a speedup of warm
//! over cold is judged only when the test asks (`speedup = ">= 2"`), and
//! by its 95% interval: a server that caches nothing has a speedup of
//! about 1, known closely, so `">= 0.5"` is met there and `">= 2"` missed.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::Think;
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `caching(keys = 20, users = 1)`: a cold phase of new keys, then a warm
/// one round the keys asked for before.
#[derive(Debug, Clone, PartialEq)]
pub struct CachingOptions {
    /// The keys the warm phase cycles over.
    pub keys: u64,
    /// The users of each phase.
    pub users: u32,
    /// How long each phase runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// The users' think time.
    pub think_ns: Think,
}

impl ThinkTime for CachingOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

/// The keys of the warm speedup's 95% interval in a caching test's
/// metrics, `[low, high]`, beside `warm_speedup`: a speedup threshold is
/// judged by it.
pub const WARM_SPEEDUP_INTERVAL: [&str; 2] = ["warm_speedup_ci_low", "warm_speedup_ci_high"];

pub(super) const SPEC: Spec = Spec {
    name: "caching",
    parameter: "phase",
    holds: "options",
    keys: &["keys", "users", "step", "think"],
    example: "`caching(keys = 20, users = 1, step = \"2s\")`",
    aliases: &["cache", "cached"],
    figures: &[
        MetricSpec::figure(
            "speedup",
            "warm_speedup",
            Unit::Number,
            true,
            Change::Shown,
            "warm speedup",
        )
        .with_interval(WARM_SPEEDUP_INTERVAL[0], WARM_SPEEDUP_INTERVAL[1]),
        MetricSpec::figure(
            "cache_headers",
            "cache_headers_pct",
            Unit::Percent,
            true,
            Change::Absolute(5.0),
            "cache headers",
        ),
        MetricSpec::figure(
            "revalidated",
            "revalidated_pct",
            Unit::Percent,
            true,
            Change::Absolute(5.0),
            "304s",
        ),
    ],
    default_thresholds: &[("cache_headers", ">= 100%"), ("revalidated", ">= 100%")],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<CachingOptions> {
    let mut options = CachingOptions {
        keys: 20,
        users: 1,
        step_ns: 2_000_000_000,
        think_ns: None,
    };
    for arg in Arg::all(given) {
        match arg.key {
            "keys" => options.keys = arg.whole()?,
            "users" => options.users = arg.users()?,
            "step" => options.step_ns = arg.positive_duration_ns()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Value;
    use crate::kinds::Kind;

    #[test]
    fn the_defaults_judge_headers_and_revalidation_and_a_speedup_is_asked_for() {
        use crate::kinds::check_thresholds;
        assert_eq!(
            check_thresholds(Some(Kind::Caching), &[]),
            Ok(vec![
                ("cache_headers", ">= 100%"),
                ("revalidated", ">= 100%")
            ])
        );
        assert_eq!(
            check_thresholds(Some(Kind::Caching), &["speedup", "revalidated"]),
            Ok(vec![("cache_headers", ">= 100%")]),
            "a speedup only where the test asks, beside the other default"
        );
    }

    #[test]
    fn caching_has_defaults_for_everything() {
        let options = check(&SPEC, &[]).unwrap();
        assert_eq!(
            (options.keys, options.users, options.step_ns),
            (20, 1, 2_000_000_000)
        );
        let options = check(&SPEC, &[Given::new("keys", Value::Number(10.0))]).unwrap();
        assert_eq!(options.keys, 10);
    }
}
