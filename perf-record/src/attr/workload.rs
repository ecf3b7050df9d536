//! `load = "preset"` and `load(...)`: a load test's workload, checked as
//! far as it can be before the test runs (the runtime checks the rest, such
//! as a think time longer than the test).

use super::value::{Arg, Checked, Given, OptionError, Spot, Value, no_repeats};

/// The named workloads.
pub const PRESETS: &[&str] = &[
    "baseline",
    "light_load",
    "normal_load",
    "heavy_load",
    "stress_test",
    "spike_test",
    "endurance_test",
];

/// The options of `load(...)`, for messages.
pub const WORKLOAD_KEYS: &str = "`preset`, `users`, `ramp_up`, `hold`, `rate`, `duration`, \
                                 `max_in_flight`, `think`, `stages = [(\"10s\", 20), ...]`, \
                                 `rate_stages = [(\"10s\", 100.0), ...]`";

/// A checked workload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workload {
    /// A preset it starts from.
    pub preset: Option<String>,
    /// Virtual users (closed model).
    pub users: Option<u32>,
    /// Ramp-up, ns.
    pub ramp_up_ns: Option<u64>,
    /// Hold, ns.
    pub hold_ns: Option<u64>,
    /// Iterations per second (open model).
    pub rate: Option<f64>,
    /// Length of the open model's run, ns.
    pub duration_ns: Option<u64>,
    /// Cap on iterations in flight.
    pub max_in_flight: Option<u64>,
    /// Think time, (min ns, max ns).
    pub think_ns: Option<(u64, u64)>,
    /// (ns, users) per stage.
    pub stages: Vec<(u64, f64)>,
    /// (ns, iterations per second) per stage.
    pub rate_stages: Vec<(u64, f64)>,
}

/// A preset by name, or the message that lists them.
pub fn preset(name: &str) -> Result<String, String> {
    if PRESETS.contains(&name) {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "unknown load preset `{name}`; the presets are {}",
            PRESETS.join(", ")
        ))
    }
}

/// Checks the options of `load(...)`.
pub fn check_workload(given: &[Given]) -> Checked<Workload> {
    no_repeats(given)?;
    let mut workload = Workload::default();
    let (mut first_closed, mut first_open) = (None, None);
    for arg in Arg::all(given) {
        let hint = " such as \"30s\"";
        match arg.key {
            "preset" => {
                workload.preset = Some(preset(arg.string(hint)?).map_err(|m| arg.error(m))?)
            }
            "users" => {
                first_closed.get_or_insert(arg.index);
                workload.users = Some(arg.users()?);
            }
            "ramp_up" => workload.ramp_up_ns = Some(duration(&arg, hint)?),
            "hold" => workload.hold_ns = Some(duration(&arg, hint)?),
            "duration" => workload.duration_ns = Some(duration(&arg, hint)?),
            "rate" => {
                first_open.get_or_insert(arg.index);
                let rate = arg.number()?;
                if !rate.is_finite() {
                    return Err(arg.error(
                        "`rate` is too large to be a number of iterations per second; give a finite \
                         rate, e.g. `rate = 100`",
                    ));
                }
                if rate <= 0.0 {
                    return Err(arg.error(
                        "a `rate` of zero or less would start no iteration; give iterations per second \
                         above zero, e.g. `rate = 100`",
                    ));
                }
                workload.rate = Some(rate);
            }
            "max_in_flight" => {
                let cap = arg.whole().map_err(|_| {
                    arg.error("`max_in_flight` must be a whole number of at least 1")
                })?;
                workload.max_in_flight = Some(cap);
            }
            "think" => workload.think_ns = Some(arg.think()?),
            "stages" => {
                first_closed.get_or_insert(arg.index);
                workload.stages = stages(&arg)?;
                if let Some((j, (_, users))) = workload
                    .stages
                    .iter()
                    .enumerate()
                    .find(|(_, (_, users))| *users > f64::from(super::value::MAX_USERS))
                {
                    return Err(OptionError::new(
                        Spot::Part(arg.index, j, 1),
                        super::value::too_many_users("a stage's target", users),
                    ));
                }
            }
            "rate_stages" => {
                first_open.get_or_insert(arg.index);
                workload.rate_stages = stages(&arg)?;
            }
            "" => {
                return Err(arg.key_error(format!(
                    "unknown workload option; expected one of {WORKLOAD_KEYS}"
                )));
            }
            key => {
                return Err(arg.key_error(format!(
                    "unknown workload option `{key}`; expected one of {WORKLOAD_KEYS}"
                )));
            }
        }
    }
    if let (Some(_), Some(open)) = (first_closed, first_open) {
        return Err(OptionError::new(
            Spot::Key(open),
            "a workload is either closed (`users`, `stages`) or open (`rate`, `rate_stages`), not both",
        ));
    }
    Ok(workload)
}

fn duration(arg: &Arg<'_>, hint: &str) -> Checked<u64> {
    arg.string(hint)?;
    arg.duration_ns()
}

/// `[("10s", 20), ("30s", 50)]`: (ns, target) per stage.
fn stages(arg: &Arg<'_>) -> Checked<Vec<(u64, f64)>> {
    let key = arg.key;
    let example = format!("`{key} = [(\"10s\", 20), (\"30s\", 50)]`");
    let Value::List(list) = arg.value else {
        return Err(arg.error(format!(
            "`{key}` takes a list of (duration, target): {example}"
        )));
    };
    if list.is_empty() {
        return Err(arg.error(format!(
            "the stage list is empty; give at least one (duration, target): {example}"
        )));
    }
    let at = |j: usize, k: Option<usize>, message: String| {
        let spot = match k {
            Some(k) => Spot::Part(arg.index, j, k),
            None => Spot::Element(arg.index, j),
        };
        OptionError::new(spot, message)
    };
    let mut stages = Vec::new();
    for (j, element) in list.iter().enumerate() {
        let Value::Tuple(parts) = element else {
            return Err(at(
                j,
                None,
                format!("a stage is (duration, target): {example}"),
            ));
        };
        let [first, second] = parts.as_slice() else {
            return Err(at(
                j,
                None,
                format!("a stage is (duration, target): {example}"),
            ));
        };
        let Value::Str(text) = first else {
            return Err(at(
                j,
                Some(0),
                "a stage's duration is a string such as \"30s\"".to_owned(),
            ));
        };
        let Value::Number(target) = second else {
            return Err(at(
                j,
                Some(1),
                "`a stage's target` takes a number".to_owned(),
            ));
        };
        if !target.is_finite() {
            return Err(at(
                j,
                Some(1),
                "a stage's target is too large to be a number; give users (or iterations per second) \
                 such as 50"
                    .to_owned(),
            ));
        }
        if *target < 0.0 {
            return Err(at(
                j,
                Some(1),
                "a stage's target cannot be negative: it is users (or iterations per second), 0 or more"
                    .to_owned(),
            ));
        }
        let ns = super::value::duration_ns(text)
            .map_err(|e| at(j, Some(0), format!("invalid `stage duration`: {e}")))?;
        stages.push((ns, *target));
    }
    Ok(stages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(duration: &str, target: f64) -> Value {
        Value::Tuple(vec![Value::Str(duration.into()), Value::Number(target)])
    }

    #[test]
    fn a_closed_workload_reads_back() {
        let workload = check_workload(&[
            Given::new("users", Value::Number(10.0)),
            Given::new("hold", Value::Str("30s".into())),
            Given::new("think", Value::Str("1s".into())),
        ])
        .unwrap();
        assert_eq!(workload.users, Some(10));
        assert_eq!(workload.hold_ns, Some(30_000_000_000));
    }

    #[test]
    fn a_workload_is_closed_or_open_not_both() {
        let error = check_workload(&[
            Given::new("users", Value::Number(5.0)),
            Given::new("rate", Value::Number(10.0)),
        ])
        .unwrap_err();
        assert_eq!(error.spot, Spot::Key(1));
        assert!(error.message.starts_with("a workload is either closed"));
    }

    #[test]
    fn stages_point_at_the_part_that_is_wrong() {
        let list = Value::List(vec![stage("10s", 5.0), stage("10s", -5.0)]);
        let error = check_workload(&[Given::new("stages", list)]).unwrap_err();
        assert_eq!(error.spot, Spot::Part(0, 1, 1));
        let crowd = Value::List(vec![stage("10s", 5.0), stage("10s", 2_000_000.0)]);
        let error = check_workload(&[Given::new("stages", crowd)]).unwrap_err();
        assert_eq!(error.spot, Spot::Part(0, 1, 1));
        assert!(
            error
                .message
                .contains("more than one load generator can run")
        );
        let endless = Value::List(vec![stage("10s", f64::INFINITY)]);
        let error = check_workload(&[Given::new("rate_stages", endless)]).unwrap_err();
        assert_eq!(error.spot, Spot::Part(0, 0, 1));
        let empty = check_workload(&[Given::new("stages", Value::List(Vec::new()))]).unwrap_err();
        assert_eq!(empty.spot, Spot::Value(0));
        assert!(empty.message.starts_with("the stage list is empty"));
    }

    #[test]
    fn presets_are_named_and_rates_above_zero() {
        assert_eq!(preset("normal_load"), Ok("normal_load".to_owned()));
        assert!(
            preset("huge_load")
                .unwrap_err()
                .contains("the presets are baseline")
        );
        let error = check_workload(&[Given::new("rate", Value::Number(0.0))]).unwrap_err();
        assert_eq!(error.spot, Spot::Value(0));
        // `rate = 1e400` reads as infinity: an error at the value, not a
        // panic of the macro that would emit it.
        let error =
            check_workload(&[Given::new("rate", Value::Number(f64::INFINITY))]).unwrap_err();
        assert_eq!(error.spot, Spot::Value(0));
        assert!(error.message.contains("finite"), "{}", error.message);
        let unknown = check_workload(&[Given::new("usrs", Value::Number(1.0))]).unwrap_err();
        assert!(
            unknown
                .message
                .starts_with("unknown workload option `usrs`")
        );
    }
}
