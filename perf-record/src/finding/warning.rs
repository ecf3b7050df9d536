//! Why a load test's figures may be unreliable: the generator, not the
//! server, was the bottleneck; it fell behind its schedule; most requests
//! failed; or its requests had more distinct names than it keeps apart.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::coded::{self, Coded};

/// Above this share of its threads' CPU, in percent, the load generator
/// may have been the bottleneck: the runtime warns, and the advice says
/// what to do.
pub const GENERATOR_SATURATED_PCT: f64 = 90.0;

/// Above this share of the scheduled iterations, in percent, started late
/// or not at all, an open-model test fell behind its schedule.
pub const LATE_ITERATIONS_PCT: u64 = 1;

/// The endpoint row that counts the requests of every name past the
/// cap on distinct endpoints.
pub const OTHER_ENDPOINTS: &str = "(other)";

/// Why a load test's result may be unreliable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// The generator used more than [`GENERATOR_SATURATED_PCT`] of its
    /// threads: the figures may describe it rather than the server.
    GeneratorSaturated {
        /// Its CPU, percent of its threads' capacity.
        cpu_pct: f64,
        /// Its threads.
        threads: usize,
    },
    /// Open model: more than [`LATE_ITERATIONS_PCT`] of the iterations
    /// started late (the cap on iterations in flight was reached) or never
    /// started.
    OpenModelLate {
        /// Iterations that started late.
        late: u64,
        /// Iterations that never started.
        dropped: u64,
    },
    /// More than half the requests failed: the latency and throughput
    /// describe only the answered ones.
    MostlyFailed {
        /// Failed requests.
        failed: u64,
        /// Requests sent.
        requests: u64,
    },
    /// The test's requests had more distinct names than it keeps apart:
    /// past the first `kept`, the rest were counted under one row,
    /// [`OTHER_ENDPOINTS`].
    TooManyEndpoints {
        /// Distinct endpoints kept apart.
        kept: usize,
        /// Requests counted under [`OTHER_ENDPOINTS`].
        requests: u64,
        /// A few of the names counted there.
        examples: Vec<String>,
    },
    /// A warning from a record written before warnings had codes (or a
    /// newer writer's code this reader does not know), as written.
    #[serde(skip)]
    Note {
        /// Its code (`note` for an old plain string).
        code: String,
        /// Its words.
        message: String,
    },
}

impl Warning {
    /// A saturated generator, if `cpu_pct` of its `threads` is above
    /// [`GENERATOR_SATURATED_PCT`].
    pub fn saturated(cpu_pct: f64, threads: usize) -> Option<Self> {
        (cpu_pct > GENERATOR_SATURATED_PCT).then_some(Self::GeneratorSaturated { cpu_pct, threads })
    }

    /// An open-model test behind its schedule, if more than
    /// [`LATE_ITERATIONS_PCT`] of the `scheduled` iterations were late or
    /// dropped.
    pub fn behind_schedule(late: u64, dropped: u64, scheduled: u64) -> Option<Self> {
        (scheduled > 0 && (late + dropped) * 100 > scheduled * LATE_ITERATIONS_PCT)
            .then_some(Self::OpenModelLate { late, dropped })
    }

    /// Most requests failed, if more than half of `requests` did.
    pub fn mostly_failed(failed: u64, requests: u64) -> Option<Self> {
        (requests > 0 && failed * 2 > requests).then_some(Self::MostlyFailed { failed, requests })
    }

    /// Its stable code: `generator_saturated`, `open_model_late`,
    /// `mostly_failed`, or a text-only warning's own (`note`).
    pub fn code(&self) -> &str {
        match self {
            Self::GeneratorSaturated { .. } => "generator_saturated",
            Self::OpenModelLate { .. } => "open_model_late",
            Self::MostlyFailed { .. } => "mostly_failed",
            Self::TooManyEndpoints { .. } => "too_many_endpoints",
            Self::Note { code, .. } => code,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GeneratorSaturated { cpu_pct, threads } => write!(
                f,
                "the load generator used {cpu_pct:.0}% of its {threads} thread(s): it may have been the \
                 bottleneck, so the figures may describe the generator rather than the server"
            ),
            Self::OpenModelLate { late, dropped } => write!(
                f,
                "{late} iteration(s) started late and {dropped} never started: the generator fell behind \
                 the schedule (raise max_in_flight, or the server is saturated)"
            ),
            Self::MostlyFailed { failed, requests } => write!(
                f,
                "{failed} of {requests} requests failed: the latency and throughput figures describe only \
                 the answered ones"
            ),
            Self::TooManyEndpoints {
                kept,
                requests,
                examples,
            } => {
                write!(
                    f,
                    "the requests had more than {kept} distinct names: {requests} request(s) past the first \
                     {kept} were counted under `{OTHER_ENDPOINTS}`"
                )?;
                if let Some(example) = examples.first() {
                    write!(f, " (`{example}` among them)")?;
                }
                f.write_str(
                    "; give requests that belong together one name with `.name(\"GET /items/{id}\")`, as \
                     Locust's `name=` and k6's `name` tag do",
                )
            }
            Self::Note { message, .. } => f.write_str(message),
        }
    }
}

impl Warning {
    /// Adds this warning to those of a merged result (a test's processes,
    /// or one side's rounds): one warning per kind of problem, the worst
    /// of each (every process of a saturated test warns with its own CPU
    /// figure), and each note once.
    pub fn merge_into(self, warnings: &mut Vec<Self>) {
        let kept = warnings.iter_mut().find(|kept| match (&**kept, &self) {
            (Self::Note { .. }, _) | (_, Self::Note { .. }) => **kept == self,
            (kept, new) => kept.code() == new.code(),
        });
        match kept {
            None => warnings.push(self),
            Some(kept) if self.severity() > kept.severity() => *kept = self,
            Some(_) => {}
        }
    }

    /// How bad the problem is, to keep the worst of one kind.
    fn severity(&self) -> f64 {
        match self {
            Self::GeneratorSaturated { cpu_pct, .. } => *cpu_pct,
            Self::OpenModelLate { late, dropped } => (late + dropped) as f64,
            Self::MostlyFailed { failed, requests } => *failed as f64 / (*requests).max(1) as f64,
            Self::TooManyEndpoints { requests, .. } => *requests as f64,
            Self::Note { .. } => 0.0,
        }
    }
}

impl Coded for Warning {
    fn serialize_tagged<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Self::serialize(self, serializer)
    }

    fn deserialize_tagged<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::deserialize(deserializer)
    }

    fn text(&self) -> Option<(&str, &str)> {
        match self {
            Self::Note { code, message } => Some((code, message)),
            _ => None,
        }
    }

    fn from_text(code: String, message: String) -> Self {
        Self::Note { code, message }
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        coded::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Warning {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        coded::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_is_its_constant() {
        assert_eq!(Warning::saturated(GENERATOR_SATURATED_PCT, 2), None);
        assert!(Warning::saturated(90.5, 2).is_some());
        assert_eq!(Warning::behind_schedule(1, 0, 100), None);
        assert_eq!(
            Warning::behind_schedule(1, 1, 100),
            Some(Warning::OpenModelLate {
                late: 1,
                dropped: 1
            })
        );
        assert_eq!(Warning::behind_schedule(0, 0, 0), None);
        assert_eq!(Warning::mostly_failed(5, 10), None);
        assert!(Warning::mostly_failed(6, 10).is_some());
    }

    #[test]
    fn a_warning_is_its_code_its_figures_and_its_words() {
        let warning = Warning::GeneratorSaturated {
            cpu_pct: 97.25,
            threads: 2,
        };
        let json = serde_json::to_string(&warning).unwrap();
        assert_eq!(
            json,
            r#"{"code":"generator_saturated","cpu_pct":97.25,"threads":2,"message":"the load generator used 97% of its 2 thread(s): it may have been the bottleneck, so the figures may describe the generator rather than the server"}"#
        );
        assert_eq!(serde_json::from_str::<Warning>(&json).unwrap(), warning);
        for warning in [
            warning,
            Warning::OpenModelLate {
                late: 3,
                dropped: 4,
            },
            Warning::MostlyFailed {
                failed: 9,
                requests: 10,
            },
            Warning::TooManyEndpoints {
                kept: 500,
                requests: 12,
                examples: vec!["GET /search/a b".into()],
            },
            Warning::Note {
                code: "note".into(),
                message: "as an old record said".into(),
            },
        ] {
            let value = serde_json::to_value(&warning).unwrap();
            assert_eq!(value["code"], warning.code());
            assert_eq!(value["message"], warning.to_string());
            assert_eq!(serde_json::from_value::<Warning>(value).unwrap(), warning);
        }
    }

    #[test]
    fn old_plain_strings_and_unknown_codes_load_as_text() {
        let old: Vec<Warning> = serde_json::from_str(
            r#"["the load generator used 95% of its 2 thread(s): it may have been the bottleneck",
                {"code": "from_the_future", "message": "said a newer writer", "figure": 1}]"#,
        )
        .unwrap();
        assert_eq!(
            old[0],
            Warning::Note {
                code: "note".into(),
                message: "the load generator used 95% of its 2 thread(s): it may have been the bottleneck"
                    .into()
            }
        );
        assert_eq!(old[1].code(), "from_the_future");
        assert_eq!(old[1].to_string(), "said a newer writer");
    }

    #[test]
    fn merged_warnings_keep_the_worst_of_each_kind_and_each_note_once() {
        let mut merged = Vec::new();
        for warning in [
            Warning::GeneratorSaturated {
                cpu_pct: 93.0,
                threads: 1,
            },
            Warning::GeneratorSaturated {
                cpu_pct: 97.0,
                threads: 1,
            },
            Warning::GeneratorSaturated {
                cpu_pct: 91.0,
                threads: 1,
            },
            Warning::Note {
                code: "note".into(),
                message: "a".into(),
            },
            Warning::Note {
                code: "note".into(),
                message: "a".into(),
            },
            Warning::Note {
                code: "note".into(),
                message: "b".into(),
            },
        ] {
            warning.merge_into(&mut merged);
        }
        assert_eq!(
            merged,
            [
                Warning::GeneratorSaturated {
                    cpu_pct: 97.0,
                    threads: 1
                },
                Warning::Note {
                    code: "note".into(),
                    message: "a".into()
                },
                Warning::Note {
                    code: "note".into(),
                    message: "b".into()
                },
            ]
        );
    }
}
