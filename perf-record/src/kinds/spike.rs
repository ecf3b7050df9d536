//! `spike(...)`: base load, a burst, base load again; how long latency
//! takes to come back.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::Think;
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `spike(users = 2, spike_users = 20, ...)`: base users, the spike's, base
/// users again, the time after the spike read in windows.
#[derive(Debug, Clone, PartialEq)]
pub struct SpikeOptions {
    /// The users before and after the spike.
    pub users: u32,
    /// The users during the spike (above `users`).
    pub spike_users: u32,
    /// How long before, during and after the spike, ns.
    pub phases_ns: [u64; 3],
    /// The length of the windows the recovery is read in, ns.
    pub window_ns: u64,
    /// A window whose p95 is within this much of the pre-spike p95 has
    /// recovered, %.
    pub tolerance_pct: f64,
    /// The users' think time.
    pub think_ns: Think,
}

impl ThinkTime for SpikeOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "spike",
    parameter: "phase",
    holds: "levels",
    keys: &[
        "users",
        "spike_users",
        "before",
        "spike",
        "after",
        "window",
        "tolerance",
        "think",
    ],
    example: "`spike(users = 2, spike_users = 20, before = \"5s\", spike = \"3s\", after = \"10s\")`",
    aliases: &["burst"],
    figures: &[MetricSpec::figure(
        "recovery",
        "recovery_us",
        Unit::Duration,
        false,
        Change::Relative,
        "recovery",
    )],
    default_thresholds: &[("recovery", "<= 1s")],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<SpikeOptions> {
    let mut options = SpikeOptions {
        users: 1,
        spike_users: 0,
        phases_ns: [5_000_000_000, 3_000_000_000, 10_000_000_000],
        window_ns: 500_000_000,
        tolerance_pct: 50.0,
        think_ns: None,
    };
    let mut spike_users = None;
    for arg in Arg::all(given) {
        match arg.key {
            "users" => options.users = arg.users()?,
            "spike_users" => spike_users = Some(arg.users()?),
            "before" => options.phases_ns[0] = arg.positive_duration_ns()?,
            "spike" => options.phases_ns[1] = arg.positive_duration_ns()?,
            "after" => options.phases_ns[2] = arg.positive_duration_ns()?,
            "window" => options.window_ns = arg.positive_duration_ns()?,
            "tolerance" => options.tolerance_pct = arg.percent()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    let Some(spike_users) = spike_users else {
        return Err(spec.missing("`spike_users = N`"));
    };
    let users = options.users;
    if spike_users <= users {
        return Err(spec.error(format!(
            "`spike_users` ({spike_users}) must be above `users` ({users}): the spike is more load"
        )));
    }
    if options.window_ns > options.phases_ns[2] {
        return Err(spec.error("`window` must not be longer than `after`"));
    }
    options.spike_users = spike_users;
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Spot, Value};
    use crate::kinds::Kind;

    #[test]
    fn a_spike_runs_its_base_users_then_its_spike_users() {
        let options = check(
            &SPEC,
            &[
                Given::new("users", Value::Number(2.0)),
                Given::new("spike_users", Value::Number(20.0)),
                Given::new("tolerance", Value::Str("30%".into())),
            ],
        )
        .unwrap();
        assert_eq!((options.users, options.spike_users), (2, 20));
        assert_eq!(options.tolerance_pct, 30.0);
        assert_eq!(options.window_ns, 500_000_000);
    }

    #[test]
    fn a_spike_must_be_more_load_and_its_window_fit_after_it() {
        let smaller = Kind::Spike
            .check(&[
                Given::new("users", Value::Number(4.0)),
                Given::new("spike_users", Value::Number(4.0)),
            ])
            .unwrap_err();
        assert_eq!(smaller.spot, Spot::Name);
        assert!(smaller.message.contains("must be above `users` (4)"));
        let window = Kind::Spike
            .check(&[
                Given::new("spike_users", Value::Number(8.0)),
                Given::new("after", Value::Str("1s".into())),
                Given::new("window", Value::Str("2s".into())),
            ])
            .unwrap_err();
        assert_eq!(window.message, "`window` must not be longer than `after`");
        let missing = Kind::Spike.check(&[]).unwrap_err();
        assert!(
            missing
                .message
                .starts_with("`spike` needs `spike_users = N`: `spike(")
        );
    }
}
