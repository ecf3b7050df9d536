//! The workload of a load test resolved from its options: closed (virtual
//! users) or open (arrival rate), as stages over time with think time;
//! checked before anything runs.

use std::time::Duration;

use perf_record::load::WorkloadSummary;

use perf_record::overrides::LoadOverrides;

use super::options::LoadOptions;
use super::presets::PRESETS;

/// Closed model: a number of users, each running iterations back to
/// back (with think time). Open model: iterations start at a rate,
/// whatever the server's speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Virtual users.
    Closed,
    /// Arrival rate.
    Open,
}

/// One stage: over `duration`, move linearly from the previous stage's
/// target to this `target` (users, or iterations per second).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stage {
    /// How long.
    pub duration: Duration,
    /// Users (closed) or iterations per second (open) at the end.
    pub target: f64,
}

/// A checked workload.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadProfile {
    /// The model.
    pub model: Model,
    /// The preset it came from.
    pub preset: Option<&'static str>,
    /// The stages, in order.
    pub stages: Vec<Stage>,
    /// Think time after each iteration, uniform in `[min, max]`.
    pub think: (Duration, Duration),
    /// Open model: the most iterations in flight at once.
    pub max_in_flight: u64,
    /// A sweep's current level (users, bytes or page), which the test
    /// function reads with [`User::level`](crate::User::level); 0 outside
    /// a sweep.
    pub level: u64,
    /// Stop after this many iterations (a response-time test), or at the
    /// end of the stages, whichever comes first.
    pub max_iterations: Option<u64>,
    /// Each request's timeout (a `timeout(...)` test), else 30 s.
    pub request_timeout: Option<Duration>,
    /// A search test's current query, which the test function reads with
    /// [`User::query`](crate::User::query).
    pub label: Option<&'static str>,
    /// What the catalogue's kinds read from the responses.
    pub(crate) observer: Option<crate::load::http::observe::Observe>,
}

/// Why a workload is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError(pub String);

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl LoadProfile {
    /// Resolves and checks the options; `scale` multiplies every duration
    /// (`--duration-scale`).
    pub fn resolve(options: &LoadOptions, scale: f64) -> Result<Self, ProfileError> {
        Self::resolve_with(options, &LoadOverrides::default(), scale)
    }

    /// Like [`Self::resolve`], with the command line's workload flags
    /// applied to the test's own workload before the scale.
    pub fn resolve_with(
        options: &LoadOptions,
        flags: &LoadOverrides,
        scale: f64,
    ) -> Result<Self, ProfileError> {
        let err = |m: String| Err(ProfileError(m));
        if !(scale.is_finite() && scale > 0.0) {
            return err(format!(
                "the duration scale must be above zero, not {scale}"
            ));
        }
        let ns = Duration::from_nanos;
        let preset = match options.preset {
            Some(name) => match PRESETS.iter().find(|p| p.name == name) {
                Some(p) => Some(*p),
                None => {
                    let names: Vec<_> = PRESETS.iter().map(|p| p.name).collect();
                    return err(format!(
                        "unknown load preset `{name}`; the presets are {}",
                        names.join(", ")
                    ));
                }
            },
            None => None,
        };
        let open = options.rate.is_some() || !options.rate_stages.is_empty();
        let (model, stages) = if open {
            if options.users.is_some() || !options.stages.is_empty() {
                return err("a load test is either closed (`users`, `stages`) or open (`rate`, `rate_stages`), not both".into());
            }
            let stages: Vec<Stage> = if !options.rate_stages.is_empty() {
                options
                    .rate_stages
                    .iter()
                    .map(|&(d, t)| Stage {
                        duration: ns(d),
                        target: t,
                    })
                    .collect()
            } else {
                let rate = options.rate.unwrap_or(0.0);
                if rate <= 0.0 || !rate.is_finite() {
                    return err(format!("the arrival `rate` must be above zero, not {rate}"));
                }
                let Some(duration) = options.duration_ns.or(options.hold_ns) else {
                    return err("an open workload needs a `duration`, e.g. `rate = 100, duration = \"30s\"`".into());
                };
                // Start at the rate at once: a zero-length ramp.
                vec![
                    Stage {
                        duration: Duration::ZERO,
                        target: rate,
                    },
                    Stage {
                        duration: ns(duration),
                        target: rate,
                    },
                ]
            };
            (Model::Open, stages)
        } else if !options.stages.is_empty() {
            (
                Model::Closed,
                options
                    .stages
                    .iter()
                    .map(|&(d, t)| Stage {
                        duration: ns(d),
                        target: t,
                    })
                    .collect(),
            )
        } else {
            let users = options.users.or(preset.map(|p| p.users));
            let Some(users) = users else {
                return err("a load test needs a workload: `load = \"normal_load\"`, `load(users = 10, hold = \"30s\")`, \
                            `load(rate = 100, duration = \"30s\")` or `load(stages(...))`"
                    .into());
            };
            if users == 0 {
                return err("`users` must be at least 1".into());
            }
            let ramp = options
                .ramp_up_ns
                .map(ns)
                .or(preset.map(|p| p.ramp_up))
                .unwrap_or(Duration::ZERO);
            let hold =
                match (options.hold_ns, preset) {
                    (Some(hold), _) => ns(hold),
                    (None, Some(p)) => p.duration.saturating_sub(p.ramp_up),
                    (None, None) => return err(
                        "a closed workload needs a `hold` time, e.g. `users = 10, hold = \"30s\"`"
                            .into(),
                    ),
                };
            let users = f64::from(users);
            (
                Model::Closed,
                vec![
                    Stage {
                        duration: ramp,
                        target: users,
                    },
                    Stage {
                        duration: hold,
                        target: users,
                    },
                ],
            )
        };
        let pairs = stages.iter().map(|s| (s.duration, s.target)).collect();
        let stages: Vec<Stage> = super::overrides::apply(model == Model::Open, pairs, flags)
            .map_err(|e| ProfileError(e.0))?
            .into_iter()
            .map(|(duration, target)| Stage { duration, target })
            .collect();
        if stages.is_empty() {
            return err("the stage list is empty; give at least one (duration, target)".into());
        }
        for (i, stage) in stages.iter().enumerate() {
            if !(stage.target.is_finite() && stage.target >= 0.0) {
                return err(format!(
                    "stage {} has a negative target {}; targets are users or rates, 0 or more",
                    i + 1,
                    stage.target
                ));
            }
        }
        let stages: Vec<Stage> = stages
            .into_iter()
            .map(|s| Stage {
                duration: s.duration.mul_f64(scale),
                target: s.target,
            })
            .collect();
        let total: Duration = stages.iter().map(|s| s.duration).sum();
        if total.is_zero() {
            return err("the workload's duration is zero".into());
        }
        if stages.iter().all(|s| s.target == 0.0) {
            return err(match model {
                Model::Open => {
                    "every stage has a rate of zero: no iteration would ever start".into()
                }
                Model::Closed => "every stage has zero users: no iteration would ever run".into(),
            });
        }
        let think = match options.think_ns {
            Some((low, high)) => (ns(low).mul_f64(scale), ns(high).mul_f64(scale)),
            None => {
                let t = preset.map_or(Duration::ZERO, |p| p.think).mul_f64(scale);
                (t, t)
            }
        };
        if think.1 >= total {
            return err(format!(
                "the think time ({:?}) is not shorter than the whole test ({total:?}): a user would never run a second iteration",
                think.1
            ));
        }
        Ok(Self {
            model,
            preset: preset.map(|p| p.name),
            stages,
            think,
            max_in_flight: options.max_in_flight.unwrap_or(1000).max(1),
            level: 0,
            max_iterations: None,
            request_timeout: None,
            label: None,
            observer: None,
        })
    }

    /// The whole test's length.
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|s| s.duration).sum()
    }

    /// The target (users or rate) at `t` since the start.
    pub fn target_at(&self, t: Duration) -> f64 {
        let mut start = Duration::ZERO;
        let mut from = 0.0;
        for stage in &self.stages {
            let end = start + stage.duration;
            if t < end {
                let done = (t - start).as_secs_f64() / stage.duration.as_secs_f64().max(1e-9);
                return from + (stage.target - from) * done;
            }
            start = end;
            from = stage.target;
        }
        from
    }

    /// The most users (closed) or the highest rate (open) of any stage.
    pub fn peak(&self) -> f64 {
        self.stages.iter().map(|s| s.target).fold(0.0, f64::max)
    }

    /// The workload as the result records it.
    pub fn summary(&self) -> WorkloadSummary {
        WorkloadSummary {
            model: match self.model {
                Model::Closed => "closed",
                Model::Open => "open",
            }
            .to_owned(),
            preset: self.preset.map(str::to_owned),
            stages: self
                .stages
                .iter()
                .map(|s| (s.duration.as_secs_f64(), s.target))
                .collect(),
            think_ms: [
                self.think.0.as_secs_f64() * 1e3,
                self.think.1.as_secs_f64() * 1e3,
            ],
            max_in_flight: (self.model == Model::Open).then_some(self.max_in_flight),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1_000_000_000;

    #[test]
    fn presets_resolve_to_ramp_and_hold() {
        let options = LoadOptions {
            preset: Some("normal_load"),
            ..LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&options, 1.0).unwrap();
        assert_eq!(profile.model, Model::Closed);
        assert_eq!(profile.total(), Duration::from_secs(120));
        assert_eq!(profile.target_at(Duration::from_secs(10)), 5.0);
        assert_eq!(profile.target_at(Duration::from_secs(60)), 10.0);
        assert_eq!(
            profile.think,
            (Duration::from_secs(1), Duration::from_secs(1))
        );
        let scaled = LoadProfile::resolve(&options, 0.01).unwrap();
        assert_eq!(scaled.total(), Duration::from_millis(1200));
    }

    #[test]
    fn open_rates_and_stages() {
        let options = LoadOptions {
            rate: Some(100.0),
            duration_ns: Some(5 * S),
            ..LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&options, 1.0).unwrap();
        assert_eq!(profile.model, Model::Open);
        assert_eq!(profile.target_at(Duration::ZERO), 100.0);
        static RAMP: [(u64, f64); 2] = [(10 * S, 100.0), (10 * S, 100.0)];
        let options = LoadOptions {
            rate_stages: &RAMP,
            ..LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&options, 1.0).unwrap();
        assert_eq!(profile.target_at(Duration::from_secs(5)), 50.0);
        assert_eq!(profile.peak(), 100.0);
    }

    #[test]
    fn bad_workloads_are_refused_with_a_reason() {
        let message = |options: LoadOptions| LoadProfile::resolve(&options, 1.0).unwrap_err().0;
        assert!(
            message(LoadOptions {
                preset: Some("huge"),
                ..LoadOptions::default()
            })
            .contains("normal_load")
        );
        assert!(
            message(LoadOptions {
                rate: Some(0.0),
                duration_ns: Some(S),
                ..LoadOptions::default()
            })
            .contains("above zero")
        );
        static NEGATIVE: [(u64, f64); 1] = [(S, -5.0)];
        assert!(
            message(LoadOptions {
                stages: &NEGATIVE,
                ..LoadOptions::default()
            })
            .contains("negative")
        );
        assert!(
            message(LoadOptions {
                users: Some(2),
                hold_ns: Some(S),
                think_ns: Some((2 * S, 2 * S)),
                ..LoadOptions::default()
            })
            .contains("think time")
        );
        assert!(message(LoadOptions::default()).contains("needs a workload"));
        static ZEROS: [(u64, f64); 1] = [(S, 0.0)];
        assert!(
            message(LoadOptions {
                rate_stages: &ZEROS,
                ..LoadOptions::default()
            })
            .contains("rate of zero")
        );
    }
}
