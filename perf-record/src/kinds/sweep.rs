//! The sweeps: `stress(...)`, `scalability(...)`, `volume(...)` and
//! `pagination(...)`, a short load run per level, then how the figures
//! change from level to level.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::{List, Think};
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `stress(...)` and `scalability(...)`: one step per level of users.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSteps {
    /// The users of each step, ascending.
    pub users: List<u64>,
    /// How long each step runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// The users' think time.
    pub think_ns: Think,
}

/// `volume(...)` and `pagination(...)`: one step per level (payload bytes,
/// page), each with the same users.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelSteps {
    /// The level of each step, ascending.
    pub levels: List<u64>,
    /// The users at every level.
    pub users: u32,
    /// How long each step runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// The users' think time.
    pub think_ns: Think,
}

impl ThinkTime for UserSteps {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

impl ThinkTime for LevelSteps {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

/// The exponent of latency ~ level^k, shared by volume and pagination.
const GROWTH: MetricSpec = MetricSpec::figure(
    "growth",
    "growth",
    Unit::Number,
    false,
    Change::Absolute(0.3),
    "growth",
);

pub(super) const STRESS: Spec = Spec {
    name: "stress",
    parameter: "users",
    holds: "levels",
    keys: &["users", "step", "think"],
    example: "`stress(users = [1, 2, 4, 8, 16], step = \"2s\")` with `threshold(p95 = \"200ms\")`",
    aliases: &["breakingpoint"],
    figures: &[MetricSpec::figure(
        "breaking_point",
        "breaking_point",
        Unit::Number,
        true,
        Change::Relative,
        "breaking point",
    )],
    default_thresholds: &[],
    needs_threshold: Some(
        "a stress test steps the load up until a threshold breaks: give one, e.g. \
         `threshold(p95 = \"200ms\", error_rate = \"1%\")`",
    ),
};

pub(super) const SCALABILITY: Spec = Spec {
    name: "scalability",
    parameter: "users",
    holds: "levels",
    keys: &["users", "step", "think"],
    example: "`scalability(users = [1, 2, 4, 8], step = \"2s\")`",
    aliases: &[],
    figures: &[MetricSpec::figure(
        "efficiency",
        "efficiency_pct",
        Unit::Percent,
        true,
        Change::Relative,
        "efficiency",
    )],
    default_thresholds: &[("efficiency", ">= 50%")],
    needs_threshold: None,
};

pub(super) const VOLUME: Spec = Spec {
    name: "volume",
    parameter: "bytes",
    holds: "levels",
    keys: &["sizes", "users", "step", "think"],
    example: "`volume(sizes = [\"1KB\", \"64KB\", \"1MB\"], users = 1, step = \"2s\")`",
    aliases: &["payload", "payloads"],
    figures: &[GROWTH],
    default_thresholds: &[("growth", "<= 1.2")],
    needs_threshold: None,
};

pub(super) const PAGINATION: Spec = Spec {
    name: "pagination",
    parameter: "page",
    holds: "levels",
    keys: &["pages", "users", "step", "think"],
    example: "`pagination(pages = [1, 10, 100], users = 1, step = \"2s\")`",
    aliases: &["paging", "pages"],
    figures: &[GROWTH],
    default_thresholds: &[("growth", "<= 0.5")],
    needs_threshold: None,
};

/// Stress and scalability: `users` lists the levels.
pub(super) fn user_steps(spec: &Spec, given: &[Given]) -> Checked<UserSteps> {
    let mut steps = UserSteps {
        users: List::Borrowed(&[]),
        step_ns: 2_000_000_000,
        think_ns: None,
    };
    for arg in Arg::all(given) {
        match arg.key {
            "users" => steps.users = arg.levels(spec.example)?.into(),
            "step" => steps.step_ns = arg.positive_duration_ns()?,
            "think" => steps.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if steps.users.is_empty() {
        return Err(spec.missing("its levels, `users = [...]`"));
    }
    Ok(steps)
}

/// Volume and pagination: the first key lists the levels, `users` is the
/// users at every level.
pub(super) fn level_steps(spec: &Spec, given: &[Given]) -> Checked<LevelSteps> {
    let levels_key = spec.keys[0];
    let mut steps = LevelSteps {
        levels: List::Borrowed(&[]),
        users: 1,
        step_ns: 2_000_000_000,
        think_ns: None,
    };
    for arg in Arg::all(given) {
        match arg.key {
            "sizes" if levels_key == "sizes" => steps.levels = arg.sizes(spec.example)?.into(),
            key if key == levels_key => steps.levels = arg.levels(spec.example)?.into(),
            "users" => steps.users = arg.users()?,
            "step" => steps.step_ns = arg.positive_duration_ns()?,
            "think" => steps.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if steps.levels.is_empty() {
        return Err(spec.missing(&format!("its levels, `{levels_key} = [...]`")));
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Spot, Value};
    use crate::kinds::Kind;

    fn list(values: &[f64]) -> Value {
        Value::List(values.iter().map(|v| Value::Number(*v)).collect())
    }

    #[test]
    fn a_sweep_takes_its_levels_and_a_step() {
        let options = user_steps(
            &STRESS,
            &[
                Given::new("users", list(&[1.0, 2.0, 4.0])),
                Given::new("step", Value::Str("1s".into())),
            ],
        )
        .unwrap();
        assert_eq!(*options.users, [1, 2, 4]);
        assert_eq!(options.step_ns, 1_000_000_000);
        let sizes = Value::List(vec![Value::Str("1KB".into()), Value::Str("1MB".into())]);
        let volume = level_steps(
            &VOLUME,
            &[
                Given::new("sizes", sizes),
                Given::new("users", Value::Number(2.0)),
            ],
        )
        .unwrap();
        assert_eq!((&*volume.levels, volume.users), (&[1024, 1 << 20][..], 2));
    }

    #[test]
    fn a_sweep_without_levels_names_them_at_the_kind() {
        let error = Kind::Pagination.check(&[]).unwrap_err();
        assert_eq!(error.spot, Spot::Name);
        assert_eq!(
            error.message,
            "`pagination` needs its levels, `pages = [...]`: \
             `pagination(pages = [1, 10, 100], users = 1, step = \"2s\")`"
        );
    }

    #[test]
    fn a_zero_step_is_refused_at_its_value() {
        let error = Kind::Scalability
            .check(&[
                Given::new("users", list(&[1.0, 2.0])),
                Given::new("step", Value::Str("0s".into())),
            ])
            .unwrap_err();
        assert_eq!(error.spot, Spot::Value(1));
        assert_eq!(error.message, "`step` must be above zero, e.g. \"2s\"");
    }

    #[test]
    fn stress_takes_no_separate_users() {
        let error = Kind::Stress
            .check(&[Given::new("sizes", list(&[1.0]))])
            .unwrap_err();
        assert_eq!(error.spot, Spot::Key(0));
        assert!(
            error
                .message
                .starts_with("unknown `stress` option `sizes`; expected `users`, `step`, `think`")
        );
    }
}
