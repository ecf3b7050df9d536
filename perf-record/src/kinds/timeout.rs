//! `timeout(...)`: a client timeout against a slow endpoint, then a probe
//! that the server still answers.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::{Text, Think};
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `timeout(after = "500ms", probe = "/health")`: a step of requests with
/// a client timeout, then a probe.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeoutOptions {
    /// The client's timeout of each request, ns (shorter than the step).
    pub after_ns: u64,
    /// The users of the step.
    pub users: u32,
    /// How long the step runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// The path probed once the step is over.
    pub probe: Text,
    /// The users' think time.
    pub think_ns: Think,
}

impl ThinkTime for TimeoutOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "timeout",
    parameter: "phase",
    holds: "options",
    keys: &["after", "users", "step", "probe", "think"],
    example: "`timeout(after = \"500ms\", users = 4, step = \"2s\", probe = \"/health\")`",
    aliases: &["timeouts"],
    figures: &[
        MetricSpec::figure(
            "timeouts",
            "timeout_pct",
            Unit::Percent,
            false,
            Change::Absolute(1.0),
            "timeouts",
        ),
        MetricSpec::figure(
            "served_after",
            "served_after_pct",
            Unit::Percent,
            true,
            Change::Absolute(1.0),
            "served after",
        ),
    ],
    default_thresholds: &[("timeouts", "<= 1%"), ("served_after", ">= 100%")],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<TimeoutOptions> {
    let mut options = TimeoutOptions {
        after_ns: 0,
        users: 4,
        step_ns: 2_000_000_000,
        probe: Text::Borrowed("/"),
        think_ns: None,
    };
    for arg in Arg::all(given) {
        match arg.key {
            "after" => options.after_ns = arg.positive_duration_ns()?,
            "users" => options.users = arg.users()?,
            "step" => options.step_ns = arg.positive_duration_ns()?,
            "probe" => options.probe = arg.path()?.into(),
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.after_ns == 0 {
        return Err(spec.missing("the client's timeout, `after = \"500ms\"`"));
    }
    if options.after_ns >= options.step_ns {
        return Err(spec.error(
            "`after` must be shorter than `step`, or no request could time out before the step ends",
        ));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Value;
    use crate::kinds::Kind;

    #[test]
    fn a_timeout_must_fit_in_its_step() {
        let after = Given::new("after", Value::Str("500ms".into()));
        let options = check(&SPEC, std::slice::from_ref(&after)).unwrap();
        assert_eq!((options.after_ns, options.users), (500_000_000, 4));
        assert_eq!(options.probe, "/");
        let step = Given::new("step", Value::Str("500ms".into()));
        let error = Kind::Timeout.check(&[after, step]).unwrap_err();
        assert!(
            error
                .message
                .starts_with("`after` must be shorter than `step`")
        );
    }
}
