//! `timeout(...)`: a client timeout against a slow endpoint, then a probe
//! that the server still answers.

use super::figure::{Change, KindMetric, Unit};
use super::kind::Kind;
use super::options::KindOptions;
use super::spec::Spec;
use crate::attr::{Arg, Checked, Given};

pub(super) const SPEC: Spec = Spec {
    name: "timeout",
    variant: "Timeout",
    parameter: "phase",
    holds: "options",
    keys: &["after", "users", "step", "probe", "think"],
    example: "`timeout(after = \"500ms\", users = 4, step = \"2s\", probe = \"/health\")`",
    aliases: &["timeouts"],
    figures: &[
        KindMetric::new(
            "timeouts",
            "timeout_pct",
            Unit::Percent,
            false,
            Change::Absolute(1.0),
            "timeouts",
        ),
        KindMetric::new(
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
    kind: Kind::Timeout,
    check,
};

fn check(spec: &Spec, given: &[Given]) -> Checked<KindOptions> {
    let mut options = KindOptions {
        users: 4,
        ..KindOptions::new(spec.kind)
    };
    for arg in Arg::all(given) {
        match arg.key {
            "after" => options.timeout_ns = arg.positive_duration_ns()?,
            "users" => options.users = arg.users()?,
            "step" => options.step_ns = arg.positive_duration_ns()?,
            "probe" => options.probe = arg.path()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.timeout_ns == 0 {
        return Err(spec.missing("the client's timeout, `after = \"500ms\"`"));
    }
    if options.timeout_ns >= options.step_ns {
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

    #[test]
    fn a_timeout_must_fit_in_its_step() {
        let after = Given::new("after", Value::Str("500ms".into()));
        let options = Kind::Timeout.check(std::slice::from_ref(&after)).unwrap();
        assert_eq!((options.timeout_ns, options.users), (500_000_000, 4));
        let step = Given::new("step", Value::Str("500ms".into()));
        let error = Kind::Timeout.check(&[after, step]).unwrap_err();
        assert!(
            error
                .message
                .starts_with("`after` must be shorter than `step`")
        );
    }
}
