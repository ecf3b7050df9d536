//! `soak(...)`: a long hold, to see the server's memory grow and its
//! latency drift (cargo perf reads the memory and runs [`analyse`]).

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::Think;
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

mod analysis;

pub use analysis::analyse;

/// `soak(users = 4, hold = "10m", warm_up = "1m")`: a warm-up, then a long
/// hold at the same users.
#[derive(Debug, Clone, PartialEq)]
pub struct SoakOptions {
    /// The users, throughout.
    pub users: u32,
    /// The warm-up, ns (left out of the memory's growth).
    pub warm_up_ns: u64,
    /// The hold, ns.
    pub hold_ns: u64,
    /// The users' think time.
    pub think_ns: Think,
}

impl ThinkTime for SoakOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "soak",
    parameter: "users",
    holds: "options",
    keys: &["users", "hold", "warm_up", "think"],
    example: "`soak(users = 4, hold = \"10m\", warm_up = \"1m\")`",
    aliases: &["endurance"],
    figures: &[MetricSpec::figure(
        "rss_growth",
        "rss_growth_bytes_per_s",
        Unit::BytesPerSecond,
        false,
        Change::Absolute(16_384.0),
        "rss growth",
    )],
    default_thresholds: &[("rss_growth", "<= 16KB/s")],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<SoakOptions> {
    let mut options = SoakOptions {
        users: 1,
        warm_up_ns: 0,
        hold_ns: 0,
        think_ns: None,
    };
    let mut hold_ns = None;
    for arg in Arg::all(given) {
        match arg.key {
            "users" => options.users = arg.users()?,
            "hold" => {
                let ns = arg.duration_ns()?;
                if ns == 0 {
                    return Err(arg.error("`hold` must be above zero, e.g. \"10m\""));
                }
                hold_ns = Some(ns);
            }
            "warm_up" => options.warm_up_ns = arg.duration_ns()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    let Some(hold_ns) = hold_ns else {
        return Err(spec.missing("a `hold` time"));
    };
    options.hold_ns = hold_ns;
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Spot, Value};
    use crate::kinds::Kind;

    #[test]
    fn a_soak_holds_its_users_after_a_warm_up() {
        let options = check(
            &SPEC,
            &[
                Given::new("users", Value::Number(4.0)),
                Given::new("hold", Value::Str("10m".into())),
                Given::new("warm_up", Value::Str("1m".into())),
            ],
        )
        .unwrap();
        assert_eq!(options.users, 4);
        assert_eq!(
            (options.warm_up_ns, options.hold_ns),
            (60_000_000_000, 600_000_000_000)
        );
    }

    #[test]
    fn a_soak_needs_a_hold_above_zero() {
        let missing = Kind::Soak
            .check(&[Given::new("users", Value::Number(4.0))])
            .unwrap_err();
        assert_eq!(missing.spot, Spot::Name);
        assert!(missing.message.starts_with("`soak` needs a `hold` time: "));
        let zero = Kind::Soak
            .check(&[Given::new("hold", Value::Str("0s".into()))])
            .unwrap_err();
        assert_eq!(zero.spot, Spot::Value(0));
    }
}
