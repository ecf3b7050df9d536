//! `rate_limit(...)`: below, then above a declared rate limit; the 429s,
//! what gets through, and the limit headers.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::Think;
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `rate_limit(limit = 50, over = 2)`: an open load below the declared
/// limit, then above it.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitOptions {
    /// The declared limit, requests per second.
    pub limit: f64,
    /// How far above the limit to drive (2: twice the limit).
    pub factor: f64,
    /// How long each phase runs, ns (before `--duration-scale`).
    pub step_ns: u64,
}

/// A rate-limit test's load is open: its arrivals have no think time.
impl ThinkTime for RateLimitOptions {
    fn think_ns(&self) -> Think {
        None
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "rate_limit",
    parameter: "phase",
    holds: "options",
    keys: &["limit", "over", "step"],
    example: "`rate_limit(limit = 50, over = 2, step = \"3s\")`",
    aliases: &["ratelimiting", "ratelimiter", "throttle", "throttling"],
    figures: &[
        MetricSpec::figure(
            "admitted",
            "admitted_pct",
            Unit::Percent,
            false,
            Change::Absolute(20.0),
            "admitted",
        ),
        MetricSpec::figure(
            "limited_below",
            "limited_below_pct",
            Unit::Percent,
            false,
            Change::Absolute(5.0),
            "429s below limit",
        ),
        MetricSpec::figure(
            "limit_headers",
            "limit_headers_pct",
            Unit::Percent,
            true,
            Change::Absolute(5.0),
            "limit headers",
        ),
    ],
    default_thresholds: &[
        ("admitted", "<= 120%"),
        ("limited_below", "<= 5%"),
        ("limit_headers", ">= 99%"),
    ],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<RateLimitOptions> {
    let mut options = RateLimitOptions {
        limit: 0.0,
        factor: 2.0,
        step_ns: 3_000_000_000,
    };
    for arg in Arg::all(given) {
        match arg.key {
            "limit" => options.limit = arg.above(0.0)?,
            "over" => {
                let over = arg.above(0.0)?;
                if over < 1.5 {
                    return Err(arg.error(
                        "`over` must be at least 1.5: closer to the limit, a limiter that lets too much through \
                         could not be told from one that works (the default is 2)",
                    ));
                }
                options.factor = over;
            }
            "step" => options.step_ns = arg.positive_duration_ns()?,
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.limit <= 0.0 {
        return Err(spec.missing("the declared limit, `limit = N` (requests per second)"));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Spot, Value};
    use crate::kinds::Kind;

    #[test]
    fn a_rate_limit_test_needs_the_limit_and_drives_well_above_it() {
        let options = check(&SPEC, &[Given::new("limit", Value::Number(100.0))]).unwrap();
        assert_eq!(
            (options.limit, options.factor, options.step_ns),
            (100.0, 2.0, 3_000_000_000)
        );
        let close = Kind::RateLimit
            .check(&[
                Given::new("limit", Value::Number(100.0)),
                Given::new("over", Value::Number(1.2)),
            ])
            .unwrap_err();
        assert_eq!(close.spot, Spot::Value(1));
        assert!(close.message.starts_with("`over` must be at least 1.5"));
        let missing = Kind::RateLimit.check(&[]).unwrap_err();
        assert!(
            missing
                .message
                .starts_with("`rate_limit` needs the declared limit")
        );
    }
}
