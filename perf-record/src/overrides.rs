//! A load test's workload set from the command line, as Locust and k6
//! users set it: `-u/--users`, `-r/--spawn-rate` or `--ramp-up`,
//! `-t/--run-time`, `--rate` and `--stage D:TARGET`. `cargo perf` checks
//! them against each selected test's shape before anything runs, hands
//! them to the harness (see [`crate::protocol::env::LOAD_OVERRIDES`]),
//! and the harness applies them and keeps them in the test's
//! configuration.

use serde::{Deserialize, Serialize};

use crate::format::duration_ns;
use crate::kinds::Kind;

/// The workload flags given on the command line (or their `PERF_*`
/// environment mirrors). Durations in nanoseconds, before
/// `--duration-scale`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoadOverrides {
    /// `-u/--users`: virtual users (closed model).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<u32>,
    /// `-r/--spawn-rate`: users started per second during the ramp-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spawn_rate: Option<f64>,
    /// `--ramp-up`: the ramp-up's length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ramp_up_ns: Option<u64>,
    /// `-t/--run-time`: the hold at full load (closed), or the whole
    /// test (open).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_time_ns: Option<u64>,
    /// `--rate`: an open model's arrivals per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// `--stage D:TARGET`, repeated: the stages instead of the test's own,
    /// `(ns, target)`, the target in the test's unit (users, or arrivals
    /// per second).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<(u64, f64)>,
}

/// What a load test's workload looks like, as far as the command line's
/// flags are concerned: the harness says it in its listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadShape {
    /// Virtual users (`users`, `stages`, or a preset).
    Closed,
    /// An arrival rate (`rate`, `rate_stages`).
    Open,
    /// A kind of the catalogue, whose analysis rests on its own shape.
    Catalogue(Kind),
}

/// One workload flag, named as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadFlag {
    /// `-u/--users`.
    Users,
    /// `-r/--spawn-rate`.
    SpawnRate,
    /// `--ramp-up`.
    RampUp,
    /// `-t/--run-time`.
    RunTime,
    /// `--rate`.
    Rate,
    /// `--stage`.
    Stage,
}

impl LoadFlag {
    /// The flag as the user types it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Users => "-u/--users",
            Self::SpawnRate => "-r/--spawn-rate",
            Self::RampUp => "--ramp-up",
            Self::RunTime => "-t/--run-time",
            Self::Rate => "--rate",
            Self::Stage => "--stage",
        }
    }
}

impl LoadShape {
    /// The flags a test of this shape takes.
    pub fn accepts(self) -> &'static [LoadFlag] {
        use LoadFlag::*;
        match self {
            Self::Closed => &[Users, SpawnRate, RampUp, RunTime, Stage],
            Self::Open => &[Rate, RunTime, Stage],
            // A soak's users and hold are its parameters; its warm-up and
            // memory trend do not depend on them.
            Self::Catalogue(Kind::Soak) => &[Users, RunTime],
            Self::Catalogue(_) => &[],
        }
    }

    fn describe(self) -> String {
        match self {
            Self::Closed => "a closed workload (virtual users)".to_owned(),
            Self::Open => "an open workload (an arrival rate)".to_owned(),
            Self::Catalogue(kind) => format!(
                "a {} test, whose analysis rests on its own shape",
                kind.name()
            ),
        }
    }
}

impl LoadOverrides {
    /// Whether no flag was given.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The flags given, in the command line's order.
    pub fn flags(&self) -> Vec<LoadFlag> {
        [
            (self.users.is_some(), LoadFlag::Users),
            (self.spawn_rate.is_some(), LoadFlag::SpawnRate),
            (self.ramp_up_ns.is_some(), LoadFlag::RampUp),
            (self.run_time_ns.is_some(), LoadFlag::RunTime),
            (self.rate.is_some(), LoadFlag::Rate),
            (!self.stages.is_empty(), LoadFlag::Stage),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect()
    }

    /// Checks that every flag given fits a test of `shape`; the error
    /// says which flags do not and which the test takes.
    pub fn check(&self, shape: LoadShape) -> Result<(), String> {
        let accepted = shape.accepts();
        let refused: Vec<&str> = self
            .flags()
            .into_iter()
            .filter(|flag| !accepted.contains(flag))
            .map(LoadFlag::as_str)
            .collect();
        if refused.is_empty() {
            return Ok(());
        }
        let takes = if accepted.is_empty() {
            "it takes none of the workload flags (--duration-scale shortens it)".to_owned()
        } else {
            let names: Vec<&str> = accepted.iter().map(|f| f.as_str()).collect();
            format!("it takes {}", names.join(", "))
        };
        Err(format!(
            "{} does not fit {}: {takes}",
            refused.join(", "),
            shape.describe()
        ))
    }

    /// The flags as a user would type them, for reports:
    /// `-u 50 -r 10 -t 20s`.
    pub fn command_line(&self) -> String {
        let mut parts = Vec::new();
        if let Some(users) = self.users {
            parts.push(format!("-u {users}"));
        }
        if let Some(rate) = self.spawn_rate {
            parts.push(format!("-r {rate}"));
        }
        if let Some(ns) = self.ramp_up_ns {
            parts.push(format!("--ramp-up {}", duration_ns(ns)));
        }
        if let Some(ns) = self.run_time_ns {
            parts.push(format!("-t {}", duration_ns(ns)));
        }
        if let Some(rate) = self.rate {
            parts.push(format!("--rate {rate}"));
        }
        for &(ns, target) in &self.stages {
            parts.push(format!("--stage {}:{target}", duration_ns(ns)));
        }
        parts.join(" ")
    }
}

/// Reads one `--stage` value, `DURATION:TARGET` as k6 writes it
/// (`30s:100`, `1m:0`).
pub fn parse_stage(text: &str) -> Result<(u64, f64), String> {
    let Some((duration, target)) = text.rsplit_once(':') else {
        return Err(format!(
            "`{text}` is not DURATION:TARGET, e.g. `30s:100` (ramp to 100 over 30 s)"
        ));
    };
    let ns = crate::parse_duration(duration.trim())
        .map_err(|e| format!("`{text}`: the duration `{duration}`: {e}"))?;
    let ns =
        u64::try_from(ns.as_nanos()).map_err(|_| format!("`{text}`: the duration is too long"))?;
    match target.trim().parse::<f64>() {
        Ok(t) if (0.0..=MAX_TARGET).contains(&t) => Ok((ns, t)),
        _ => Err(format!(
            "`{text}`: the target `{target}` is not a number from 0 to {MAX_TARGET}"
        )),
    }
}

/// The largest target a stage, `--users` or `--rate` may set: a million
/// users or arrivals per second is beyond any one generator.
pub const MAX_TARGET: f64 = 1_000_000.0;

#[cfg(test)]
mod tests;
