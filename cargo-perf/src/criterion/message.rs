//! The messages of criterion's external-runner protocol that cargo perf
//! reads or sends. Criterion encodes them with serde's default enum
//! layout (a unit variant is its name; a struct variant a one-entry map
//! from its name to its fields), so a message whose name this runner does
//! not know is passed over rather than failing the run: criterion adds
//! messages between versions (0.5 to 0.8 speak protocol 1).

use serde::{Deserialize, Serialize};

use super::error::WireError;

/// A message from the benchmark.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FromBenchmark {
    /// A benchmark the filter selected is about to be measured.
    BeginningBenchmark(BenchmarkId),
    /// A benchmark the filter did not select.
    SkippingBenchmark(BenchmarkId),
    /// Every sample of one benchmark; criterion then waits for the
    /// runner's requests, ended by [`ToBenchmark::Continue`].
    MeasurementComplete(Measurement),
    /// A group ended; criterion waits for [`ToBenchmark::Continue`].
    FinishedBenchmarkGroup,
    /// The answer to [`ToBenchmark::ScaleForMachines`]: the unit of the
    /// benchmark's measurement (`ns` for criterion's wall time).
    ScaledValues {
        /// The unit.
        unit: String,
    },
    /// A message cargo perf has no use for (a group's start, warm-up and
    /// measurement progress, or one from a later criterion).
    Other,
}

/// A message to the benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) enum ToBenchmark {
    /// Asks in which unit the measurement's values are: cargo perf only
    /// takes wall time in nanoseconds.
    ScaleForMachines {
        /// Values to scale (one is enough to learn the unit).
        values: Vec<f64>,
    },
    /// Lets the benchmark go on.
    Continue,
}

/// Criterion's name of a benchmark, in its parts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct BenchmarkId {
    /// The group, or the function's name for `bench_function` on
    /// `Criterion` itself.
    pub(crate) group_id: String,
    /// The function within the group.
    #[serde(default)]
    pub(crate) function_id: Option<String>,
    /// The parameter of a `BenchmarkId::new(.., parameter)`.
    #[serde(default)]
    pub(crate) value_str: Option<String>,
    /// The throughput set on the group (a list since criterion 0.6, one
    /// optional value before).
    #[serde(default, deserialize_with = "throughputs")]
    pub(crate) throughput: Vec<Throughput>,
}

impl BenchmarkId {
    /// The name criterion lists, filters on and prints:
    /// `group/function/parameter`, with the parts that are set.
    pub(crate) fn full_id(&self) -> String {
        [
            Some(&self.group_id),
            self.function_id.as_ref(),
            self.value_str.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("/")
    }
}

/// How much one iteration processes, as `group.throughput(..)` set it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) enum Throughput {
    /// Bits.
    Bits(u64),
    /// Bytes (shown in powers of 1024).
    Bytes(u64),
    /// Bytes (shown in powers of 1000).
    BytesDecimal(u64),
    /// Elements.
    Elements(u64),
    /// Both.
    ElementsAndBytes {
        /// Elements.
        elements: u64,
        /// Bytes.
        bytes: u64,
    },
}

impl std::fmt::Display for Throughput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bits(n) => write!(f, "{n} bits"),
            Self::Bytes(n) | Self::BytesDecimal(n) => write!(f, "{n} bytes"),
            Self::Elements(n) => write!(f, "{n} elements"),
            Self::ElementsAndBytes { elements, bytes } => {
                write!(f, "{elements} elements and {bytes} bytes")
            }
        }
    }
}

/// Reads the throughput as either layout.
fn throughputs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Throughput>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Layout {
        Many(Vec<Throughput>),
        One(Option<Throughput>),
    }
    Ok(match Layout::deserialize(d)? {
        Layout::Many(list) => list,
        Layout::One(one) => one.into_iter().collect(),
    })
}

/// One benchmark's samples, as criterion took them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Measurement {
    /// Which benchmark.
    pub(crate) id: BenchmarkId,
    /// Iterations of each sample.
    pub(crate) iters: Vec<f64>,
    /// The time of each sample, all its iterations together (in the
    /// measurement's unit: ns for wall time).
    pub(crate) times: Vec<f64>,
    /// `Linear` (sample `i` runs `i·d` iterations) or `Flat`.
    pub(crate) sampling_method: String,
    /// The settings it ran with.
    pub(crate) benchmark_config: BenchmarkConfig,
}

/// The part of a benchmark's settings cargo perf records.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct BenchmarkConfig {
    /// The warm-up.
    pub(crate) warm_up_time: Duration,
    /// The target measurement time.
    pub(crate) measurement_time: Duration,
    /// Samples taken.
    pub(crate) sample_size: u64,
}

/// A `std::time::Duration` as criterion writes it.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub(crate) struct Duration {
    secs: u64,
    nanos: u32,
}

impl Duration {
    /// In nanoseconds.
    pub(crate) fn as_nanos(self) -> u64 {
        self.secs
            .saturating_mul(1_000_000_000)
            .saturating_add(u64::from(self.nanos))
    }
}

impl FromBenchmark {
    /// Reads one message's CBOR.
    pub(crate) fn decode(body: &[u8]) -> Result<Self, WireError> {
        let value: ciborium::Value =
            ciborium::de::from_reader(body).map_err(|e| WireError::Decode(e.to_string()))?;
        let (name, fields) = match value {
            ciborium::Value::Text(name) => (name, ciborium::Value::Null),
            ciborium::Value::Map(mut entries) if entries.len() == 1 => {
                let (name, fields) = entries.remove(0);
                match name {
                    ciborium::Value::Text(name) => (name, fields),
                    _ => return Err(WireError::Decode("a message without a name".into())),
                }
            }
            _ => return Err(WireError::Decode("a message without a name".into())),
        };
        fn read(what: &str) -> impl Fn(ciborium::value::Error) -> WireError + '_ {
            move |e| WireError::Decode(format!("{what}: {e}"))
        }
        #[derive(Deserialize)]
        struct WithId {
            id: BenchmarkId,
        }
        #[derive(Deserialize)]
        struct Scaled {
            unit: String,
        }
        Ok(match name.as_str() {
            "BeginningBenchmark" => {
                Self::BeginningBenchmark(fields.deserialized::<WithId>().map_err(read(&name))?.id)
            }
            "SkippingBenchmark" => {
                Self::SkippingBenchmark(fields.deserialized::<WithId>().map_err(read(&name))?.id)
            }
            "MeasurementComplete" => Self::MeasurementComplete(
                fields.deserialized::<Measurement>().map_err(read(&name))?,
            ),
            "FinishedBenchmarkGroup" => Self::FinishedBenchmarkGroup,
            "ScaledValues" => Self::ScaledValues {
                unit: fields.deserialized::<Scaled>().map_err(read(&name))?.unit,
            },
            _ => Self::Other,
        })
    }
}

impl ToBenchmark {
    /// Writes the message as CBOR.
    pub(crate) fn encode(&self) -> Result<Vec<u8>, WireError> {
        let mut body = Vec::new();
        ciborium::ser::into_writer(self, &mut body)
            .map_err(|e| WireError::Encode(e.to_string()))?;
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ciborium::Value;

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
    }

    fn encode(value: &Value) -> Vec<u8> {
        let mut body = Vec::new();
        ciborium::ser::into_writer(value, &mut body).unwrap();
        body
    }

    fn duration(secs: u64, nanos: u64) -> Value {
        map(vec![
            ("secs", Value::Integer(secs.into())),
            ("nanos", Value::Integer(nanos.into())),
        ])
    }

    /// An id as criterion 0.8 writes it (throughput a list) or as 0.5
    /// does (throughput one optional value).
    fn id(throughput: Value) -> Value {
        map(vec![
            ("group_id", text("combine")),
            ("function_id", Value::Null),
            ("value_str", text("16")),
            ("throughput", throughput),
        ])
    }

    fn bytes(n: u64) -> Value {
        map(vec![("Bytes", Value::Integer(n.into()))])
    }

    #[test]
    fn a_measurement_is_read_in_either_layout_of_throughput() {
        for throughput in [Value::Array(vec![bytes(1024)]), bytes(1024)] {
            let message = map(vec![(
                "MeasurementComplete",
                map(vec![
                    ("id", id(throughput)),
                    (
                        "iters",
                        Value::Array(vec![Value::Float(2.0), Value::Float(4.0)]),
                    ),
                    (
                        "times",
                        Value::Array(vec![Value::Float(20.0), Value::Float(36.0)]),
                    ),
                    ("plot_config", map(vec![("summary_scale", text("Linear"))])),
                    ("sampling_method", text("Linear")),
                    (
                        "benchmark_config",
                        map(vec![
                            ("confidence_level", Value::Float(0.95)),
                            ("measurement_time", duration(5, 0)),
                            ("noise_threshold", Value::Float(0.01)),
                            ("nresamples", Value::Integer(100_000.into())),
                            ("sample_size", Value::Integer(100.into())),
                            ("significance_level", Value::Float(0.05)),
                            ("warm_up_time", duration(0, 500_000_000)),
                        ]),
                    ),
                ]),
            )]);
            let FromBenchmark::MeasurementComplete(m) =
                FromBenchmark::decode(&encode(&message)).unwrap()
            else {
                panic!("not a measurement");
            };
            assert_eq!(m.id.full_id(), "combine/16");
            assert_eq!(m.id.throughput, vec![Throughput::Bytes(1024)]);
            assert_eq!(m.iters, [2.0, 4.0]);
            assert_eq!(m.times, [20.0, 36.0]);
            assert_eq!(m.benchmark_config.warm_up_time.as_nanos(), 500_000_000);
            assert_eq!(
                m.benchmark_config.measurement_time.as_nanos(),
                5_000_000_000
            );
        }
        let no_throughput = map(vec![(
            "BeginningBenchmark",
            map(vec![("id", id(Value::Null))]),
        )]);
        let FromBenchmark::BeginningBenchmark(begun) =
            FromBenchmark::decode(&encode(&no_throughput)).unwrap()
        else {
            panic!("not a beginning");
        };
        assert!(begun.throughput.is_empty());
    }

    #[test]
    fn unknown_messages_are_passed_over_and_garbage_refused() {
        let warm_up = map(vec![("Warmup", map(vec![("nanos", Value::Float(1.0))]))]);
        assert_eq!(
            FromBenchmark::decode(&encode(&warm_up)).unwrap(),
            FromBenchmark::Other
        );
        assert_eq!(
            FromBenchmark::decode(&encode(&text("SomethingNew"))).unwrap(),
            FromBenchmark::Other
        );
        assert!(FromBenchmark::decode(&[0xff, 0x00]).is_err());
        assert!(FromBenchmark::decode(&encode(&Value::Integer(3.into()))).is_err());
    }

    #[test]
    fn names_join_the_parts_that_are_set() {
        let id = |function: Option<&str>, value: Option<&str>| BenchmarkId {
            group_id: "g".into(),
            function_id: function.map(Into::into),
            value_str: value.map(Into::into),
            throughput: Vec::new(),
        };
        assert_eq!(id(None, None).full_id(), "g");
        assert_eq!(id(Some("f"), None).full_id(), "g/f");
        assert_eq!(id(None, Some("8")).full_id(), "g/8");
        assert_eq!(id(Some("f"), Some("8")).full_id(), "g/f/8");
    }

    #[test]
    fn continue_is_its_bare_name() {
        let decoded: Value =
            ciborium::de::from_reader(&ToBenchmark::Continue.encode().unwrap()[..]).unwrap();
        assert_eq!(decoded, text("Continue"));
        let scale: Value = ciborium::de::from_reader(
            &ToBenchmark::ScaleForMachines { values: vec![1.0] }
                .encode()
                .unwrap()[..],
        )
        .unwrap();
        assert_eq!(
            scale,
            map(vec![(
                "ScaleForMachines",
                map(vec![("values", Value::Array(vec![Value::Float(1.0)]))])
            )])
        );
    }
}
