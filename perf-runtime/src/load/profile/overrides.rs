//! The command line's workload flags applied to a test's own workload:
//! `-u`, `-r`/`--ramp-up` and `-t` rebuild a closed workload as a ramp and
//! a hold (as Locust's do), `--rate` and `-t` an open one, and `--stage`
//! replaces the stages (as k6's does). Durations are the unscaled ones;
//! `--duration-scale` applies afterwards.

use std::time::Duration;

use perf_record::kinds::KindOptions;
use perf_record::overrides::{LoadOverrides, LoadShape};

/// A stage as the flags see it: its length and its target (users, or
/// arrivals per second).
pub(super) type Stage = (Duration, f64);

/// Why the flags do not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagError(pub String);

impl std::fmt::Display for FlagError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The stages of a closed (or `open`) workload with the flags applied.
pub(super) fn apply(
    open: bool,
    stages: Vec<Stage>,
    flags: &LoadOverrides,
) -> Result<Vec<Stage>, FlagError> {
    if flags.is_empty() {
        return Ok(stages);
    }
    let shape = if open {
        LoadShape::Open
    } else {
        LoadShape::Closed
    };
    flags.check(shape).map_err(FlagError)?;
    if !flags.stages.is_empty() {
        return Ok(flags
            .stages
            .iter()
            .map(|&(ns, target)| (Duration::from_nanos(ns), target))
            .collect());
    }
    let peak = stages.iter().map(|s| s.1).fold(0.0, f64::max);
    let total: Duration = stages.iter().map(|s| s.0).sum();
    let target = if open {
        flags.rate.unwrap_or(peak)
    } else {
        flags.users.map_or(peak, f64::from)
    };
    if !(target.is_finite() && target > 0.0) {
        return Err(FlagError(format!(
            "the workload flags leave a target of {target}: give -u/--users or --rate above zero"
        )));
    }
    // The test's own ramp, where its workload is a ramp and a hold.
    let own_ramp = match stages.as_slice() {
        [ramp, hold] if ramp.1 == hold.1 => ramp.0,
        _ => Duration::ZERO,
    };
    let ramp = match (open, flags.spawn_rate, flags.ramp_up_ns) {
        (true, ..) => Duration::ZERO,
        (false, Some(rate), _) => {
            if !(rate.is_finite() && rate > 0.0) {
                return Err(FlagError(format!(
                    "-r/--spawn-rate must be above zero, not {rate}"
                )));
            }
            Duration::from_secs_f64(target / rate)
        }
        (false, None, Some(ns)) => Duration::from_nanos(ns),
        (false, None, None) => own_ramp,
    };
    let hold = flags
        .run_time_ns
        .map_or(total.saturating_sub(own_ramp), Duration::from_nanos);
    Ok(vec![(ramp, target), (hold, target)])
}

/// A catalogue kind's options with the flags it takes applied (a soak's
/// users and hold); an error names the flags it does not take.
pub fn apply_to_kind(
    options: &KindOptions,
    flags: &LoadOverrides,
) -> Result<KindOptions, FlagError> {
    flags
        .check(LoadShape::Catalogue(options.kind()))
        .map_err(FlagError)?;
    let mut options = options.clone();
    if let KindOptions::Soak(soak) = &mut options {
        if let Some(users) = flags.users {
            soak.users = users;
        }
        if let Some(ns) = flags.run_time_ns {
            soak.hold_ns = ns;
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1_000_000_000;

    fn stage(secs: u64, target: f64) -> Stage {
        (Duration::from_secs(secs), target)
    }

    #[test]
    fn locust_flags_make_a_ramp_and_a_hold() {
        let own = vec![stage(5, 10.0), stage(30, 10.0)];
        let flags = LoadOverrides {
            users: Some(50),
            spawn_rate: Some(10.0),
            run_time_ns: Some(20 * S),
            ..LoadOverrides::default()
        };
        assert_eq!(
            apply(false, own.clone(), &flags),
            Ok(vec![stage(5, 50.0), stage(20, 50.0)])
        );
        // -u alone keeps the test's ramp and hold.
        let users = LoadOverrides {
            users: Some(3),
            ..LoadOverrides::default()
        };
        assert_eq!(
            apply(false, own.clone(), &users),
            Ok(vec![stage(5, 3.0), stage(30, 3.0)])
        );
        assert_eq!(
            apply(false, own, &LoadOverrides::default()),
            Ok(vec![stage(5, 10.0), stage(30, 10.0)])
        );
    }

    #[test]
    fn rate_and_stages_replace_an_open_workload() {
        let own = vec![stage(0, 100.0), stage(30, 100.0)];
        let rate = LoadOverrides {
            rate: Some(250.0),
            run_time_ns: Some(10 * S),
            ..LoadOverrides::default()
        };
        assert_eq!(
            apply(true, own.clone(), &rate),
            Ok(vec![stage(0, 250.0), stage(10, 250.0)])
        );
        let stages = LoadOverrides {
            stages: vec![(2 * S, 10.0), (3 * S, 0.0)],
            ..LoadOverrides::default()
        };
        assert_eq!(
            apply(true, own.clone(), &stages),
            Ok(vec![stage(2, 10.0), stage(3, 0.0)])
        );
        let users = LoadOverrides {
            users: Some(5),
            ..LoadOverrides::default()
        };
        let error = apply(true, own, &users).unwrap_err();
        assert!(
            error.0.contains("-u/--users does not fit an open workload"),
            "{error}"
        );
    }

    #[test]
    fn a_soak_takes_users_and_run_time_and_a_spike_takes_none() {
        use perf_record::kinds::SoakOptions;
        let soak = KindOptions::Soak(SoakOptions {
            users: 10,
            warm_up_ns: S,
            hold_ns: 60 * S,
            think_ns: Default::default(),
        });
        let flags = LoadOverrides {
            users: Some(4),
            run_time_ns: Some(5 * S),
            ..LoadOverrides::default()
        };
        let KindOptions::Soak(applied) = apply_to_kind(&soak, &flags).unwrap() else {
            unreachable!("a soak stays a soak");
        };
        assert_eq!(
            (applied.users, applied.hold_ns, applied.warm_up_ns),
            (4, 5 * S, S)
        );
        let rate = LoadOverrides {
            rate: Some(5.0),
            ..LoadOverrides::default()
        };
        let error = apply_to_kind(&soak, &rate).unwrap_err();
        assert!(error.0.contains("a soak test"), "{error}");
    }
}
