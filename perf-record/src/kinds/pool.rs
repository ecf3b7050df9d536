//! `pool(...)`: more users per level than a connection pool holds; the
//! pool's errors and the latency knee.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::{List, Think};
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `pool(users = [2, 4, 8, 16], size = 4)`: one step per level of users.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolOptions {
    /// The users of each step, ascending.
    pub users: List<u64>,
    /// The pool's declared size, for the findings.
    pub size: Option<u64>,
    /// How long each step runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// The users' think time.
    pub think_ns: Think,
}

impl ThinkTime for PoolOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "pool",
    parameter: "users",
    holds: "options",
    keys: &["users", "size", "step", "think"],
    example: "`pool(users = [2, 4, 8, 16], size = 4, step = \"1s\")`",
    aliases: &["connectionpool", "connections", "pooling"],
    figures: &[
        MetricSpec::figure(
            "pool_errors",
            "pool_error_pct",
            Unit::Percent,
            false,
            Change::Absolute(1.0),
            "pool errors",
        ),
        MetricSpec::figure(
            "knee",
            "knee_users",
            Unit::Number,
            true,
            Change::Shown,
            "latency knee",
        ),
    ],
    default_thresholds: &[("pool_errors", "<= 1%")],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<PoolOptions> {
    let mut options = PoolOptions {
        users: List::Borrowed(&[]),
        size: None,
        step_ns: 1_000_000_000,
        think_ns: None,
    };
    for arg in Arg::all(given) {
        match arg.key {
            "users" => options.users = arg.levels(SPEC.example)?.into(),
            "size" => options.size = Some(arg.whole()?),
            "step" => options.step_ns = arg.positive_duration_ns()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.users.is_empty() {
        return Err(spec.missing("its levels, `users = [...]`"));
    }
    if options.users.len() < 2 {
        return Err(spec.too_few("two levels, to see how it grows"));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Value;
    use crate::kinds::Kind;

    #[test]
    fn a_pool_test_sweeps_users_past_the_pool() {
        let users = Value::List(vec![Value::Number(2.0), Value::Number(8.0)]);
        let options = check(
            &SPEC,
            &[
                Given::new("users", users),
                Given::new("size", Value::Number(4.0)),
            ],
        )
        .unwrap();
        assert_eq!((&*options.users, options.size), (&[2, 8][..], Some(4)));
        let missing = Kind::Pool.check(&[]).unwrap_err();
        assert!(
            missing
                .message
                .starts_with("`pool` needs its levels, `users = [...]`")
        );
    }
}
