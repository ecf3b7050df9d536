//! `caching(...)`: cold keys, then warm ones; the cache's speedup, its
//! headers, and conditional requests.

use super::figure::{Change, KindMetric, Unit};
use super::kind::Kind;
use super::spec::Spec;
use super::value::Think;
use crate::attr::{Arg, Checked, Given};

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

pub(super) const SPEC: Spec = Spec {
    name: "caching",
    variant: "Caching",
    parameter: "phase",
    holds: "options",
    keys: &["keys", "users", "step", "think"],
    example: "`caching(keys = 20, users = 1, step = \"2s\")`",
    aliases: &["cache", "cached"],
    figures: &[
        KindMetric::new(
            "speedup",
            "warm_speedup",
            Unit::Number,
            true,
            Change::Shown,
            "warm speedup",
        ),
        KindMetric::new(
            "cache_headers",
            "cache_headers_pct",
            Unit::Percent,
            true,
            Change::Absolute(5.0),
            "cache headers",
        ),
        KindMetric::new(
            "revalidated",
            "revalidated_pct",
            Unit::Percent,
            true,
            Change::Absolute(5.0),
            "304s",
        ),
    ],
    default_thresholds: &[("speedup", ">= 2")],
    needs_threshold: None,
    kind: Kind::Caching,
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
