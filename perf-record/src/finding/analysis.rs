//! What a kind's analysis concluded about the server: the ones a report
//! or the advice acts on are typed (a leak, a breaking point); the others
//! are a statement with a stable code.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::coded::{self, Coded};
use crate::format;

const MIB: f64 = 1_048_576.0;
const KIB: f64 = 1024.0;

/// One conclusion of a kind's analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "code", rename_all = "snake_case")]
pub enum Finding {
    /// Soak: the p95 of the first and last thirds of the hold.
    LatencyDrift {
        /// Mean p95 of the first third, µs.
        first_us: f64,
        /// Mean p95 of the last third, µs.
        last_us: f64,
        /// The change, percent.
        drift_pct: f64,
    },
    /// Soak: the server was not started by cargo perf, so its memory was
    /// not watched.
    NoMemoryFigures,
    /// Soak: too few memory samples after the warm-up to fit a trend.
    TooFewMemorySamples {
        /// The warm-up, seconds.
        warm_up_s: f64,
    },
    /// Soak: the server's memory over the hold, and its trend.
    MemoryTrend {
        /// Resident memory at the first sample after the warm-up, bytes.
        first_bytes: f64,
        /// At the last sample, bytes.
        last_bytes: f64,
        /// Seconds between them.
        seconds: f64,
        /// The warm-up, seconds.
        warm_up_s: f64,
        /// The growth, bytes per second.
        bytes_per_s: f64,
        /// Its 95% interval's low end.
        low: f64,
        /// And high end.
        high: f64,
    },
    /// Soak: the memory keeps growing over the whole hold.
    Leak {
        /// The growth, bytes per second.
        bytes_per_s: f64,
    },
    /// Soak: the memory rose in one half of the hold only: a step, no leak.
    MemoryStep {
        /// The rise, bytes.
        rise_bytes: f64,
    },
    /// Soak: the memory is steady after the warm-up.
    MemorySteady,
    /// Stress: the first level already missed a threshold.
    BrokeAtFirstLevel {
        /// Its users.
        users: u64,
        /// The thresholds it missed, as written.
        missed: Vec<String>,
    },
    /// Stress: the highest level that held, and the one that broke.
    BreakingPoint {
        /// Users at the last level that held every threshold.
        users: u64,
        /// Users at the first level that did not.
        broke_at: u64,
        /// The thresholds that level missed, as written.
        missed: Vec<String>,
    },
    /// Stress: every level held: the breaking point is beyond the sweep.
    HeldEveryLevel {
        /// Users at the last level.
        users: u64,
    },
    /// Caching: how many times faster a warm request is than a cold one,
    /// with its 95% interval (see `crate::ratio`).
    CachingSpeedup {
        /// The median, over every cold/warm pair, of the cold request's
        /// latency over the warm one's.
        speedup: f64,
        /// Its 95% interval's low end.
        low: f64,
        /// And high end.
        high: f64,
        /// Answered requests of the cold phase.
        cold_requests: u64,
        /// And of the warm phase.
        warm_requests: u64,
    },
    /// Caching: the cold and warm latencies cannot be told apart (nothing
    /// cached, or latency in two modes): the speedup is about 1, measured
    /// as such, not unknown.
    CachingInseparable {
        /// The share of cold/warm pairs whose cold request was the slower,
        /// percent, a tie counting half: 50 when neither phase is.
        cold_slower_pct: f64,
        /// Whether the speedup's 95% interval holds 1; else the phases
        /// overlap too much for the interval to mean a cache (a server
        /// that stalls some of its responses, as many cold as warm).
        interval_holds_one: bool,
    },
    /// A statement of a kind's analysis that nothing acts on, with a
    /// stable code per statement (`pool_errors`); or a finding from a
    /// record written before findings had codes (`note`).
    #[serde(skip)]
    Note {
        /// Its code.
        code: String,
        /// Its words.
        message: String,
    },
}

impl Finding {
    /// A statement that nothing acts on, under its stable `code`.
    pub fn note(code: &str, message: impl Into<String>) -> Self {
        Self::Note {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// Its stable code (`leak`, `breaking_point`, a statement's own).
    pub fn code(&self) -> &str {
        match self {
            Self::LatencyDrift { .. } => "latency_drift",
            Self::NoMemoryFigures => "no_memory_figures",
            Self::TooFewMemorySamples { .. } => "too_few_memory_samples",
            Self::MemoryTrend { .. } => "memory_trend",
            Self::Leak { .. } => "leak",
            Self::MemoryStep { .. } => "memory_step",
            Self::MemorySteady => "memory_steady",
            Self::BrokeAtFirstLevel { .. } => "broke_at_first_level",
            Self::BreakingPoint { .. } => "breaking_point",
            Self::HeldEveryLevel { .. } => "held_every_level",
            Self::CachingSpeedup { .. } => "caching_speedup",
            Self::CachingInseparable { .. } => "caching_inseparable",
            Self::Note { code, .. } => code,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LatencyDrift {
                first_us,
                last_us,
                drift_pct,
            } => write!(
                f,
                "p95 {:.2} ms in the first third of the hold, {:.2} ms in the last: {drift_pct:+.1}%",
                first_us / 1e3,
                last_us / 1e3
            ),
            Self::NoMemoryFigures => f.write_str(
                "no memory figures: a soak test watches the server cargo perf starts (not one given with \
                 --target-url)",
            ),
            Self::TooFewMemorySamples { warm_up_s } => write!(
                f,
                "too few memory samples after the {warm_up_s:.1} s warm-up to fit a trend; hold longer"
            ),
            Self::MemoryTrend {
                first_bytes,
                last_bytes,
                seconds,
                warm_up_s,
                bytes_per_s,
                low,
                high,
            } => write!(
                f,
                "server memory {:.1} -> {:.1} MiB over {seconds:.1} s after a {warm_up_s:.1} s warm-up: \
                 {:+.1} KiB/s (95% interval {:+.1} .. {:+.1})",
                first_bytes / MIB,
                last_bytes / MIB,
                bytes_per_s / KIB,
                low / KIB,
                high / KIB
            ),
            Self::Leak { bytes_per_s } => write!(f, "LEAK: {}", LeakRate(*bytes_per_s)),
            Self::MemoryStep { rise_bytes } => write!(
                f,
                "no leak: the server's memory rose by {:.0} KiB in one half of the hold only, a step rather \
                 than a climb (hold longer to be sure)",
                rise_bytes / KIB
            ),
            Self::MemorySteady => f.write_str("no leak: the server's memory is steady after the warm-up"),
            Self::BrokeAtFirstLevel { users, missed } => write!(
                f,
                "broke at the first level, {users} user(s): {}",
                missed.join(", ")
            ),
            Self::BreakingPoint {
                users,
                broke_at,
                missed,
            } => write!(
                f,
                "breaking point: {users} user(s); at {broke_at} user(s) it broke: {}",
                missed.join(", ")
            ),
            Self::HeldEveryLevel { users } => write!(
                f,
                "held every threshold up to {users} user(s), the last level: the breaking point is beyond \
                 the sweep (add higher levels to find it)"
            ),
            Self::CachingSpeedup {
                speedup,
                low,
                high,
                cold_requests,
                warm_requests,
            } => write!(
                f,
                "speedup {} warm over cold (95% interval {} .. {}): the median ratio of a cold request's \
                 latency to a warm one's, over every pair of {cold_requests} cold and {warm_requests} warm \
                 requests",
                format::times(*speedup),
                format::times(*low),
                format::times(*high)
            ),
            Self::CachingInseparable {
                cold_slower_pct,
                interval_holds_one: true,
            } => write!(
                f,
                "cold and warm latencies cannot be told apart: the speedup's interval holds 1, and a cold \
                 request is the slower of a cold/warm pair in {cold_slower_pct:.0}% of the pairs (nothing \
                 cached, or a cache that saves no time a request can see)"
            ),
            Self::CachingInseparable {
                cold_slower_pct,
                interval_holds_one: false,
            } => write!(
                f,
                "cold and warm latencies overlap: a cold request is the slower of a cold/warm pair in \
                 {cold_slower_pct:.0}% of the pairs, too near half to separate them (latency in two modes, \
                 or nothing cached); the speedup is the median over the pairs, not a ratio of percentiles \
                 that flip between the modes"
            ),
            Self::Note { message, .. } => f.write_str(message),
        }
    }
}

/// A leak's growth in words, without the `LEAK:` flag a report shows in
/// front of the finding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeakRate(
    /// The growth, bytes per second.
    pub f64,
);

impl fmt::Display for LeakRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server's memory keeps growing, {:.1} MiB an hour at this rate",
            self.0 * 3600.0 / MIB
        )
    }
}

impl Coded for Finding {
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

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        coded::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        coded::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every() -> Vec<Finding> {
        vec![
            Finding::LatencyDrift {
                first_us: 1200.0,
                last_us: 1500.0,
                drift_pct: 25.0,
            },
            Finding::NoMemoryFigures,
            Finding::TooFewMemorySamples { warm_up_s: 1.5 },
            Finding::MemoryTrend {
                first_bytes: 8.0 * MIB,
                last_bytes: 9.5 * MIB,
                seconds: 10.0,
                warm_up_s: 2.0,
                bytes_per_s: 1.0 / 3.0 * MIB,
                low: 100_000.0,
                high: 600_000.1,
            },
            Finding::Leak {
                bytes_per_s: 2048.5,
            },
            Finding::MemoryStep {
                rise_bytes: 65_536.0,
            },
            Finding::MemorySteady,
            Finding::BrokeAtFirstLevel {
                users: 4,
                missed: vec!["p95 < 5ms".into()],
            },
            Finding::BreakingPoint {
                users: 8,
                broke_at: 16,
                missed: vec!["p95 < 5ms".into(), "error_rate < 1%".into()],
            },
            Finding::HeldEveryLevel { users: 32 },
            Finding::CachingSpeedup {
                speedup: 1.002,
                low: 0.991,
                high: 1.013,
                cold_requests: 150_000,
                warm_requests: 149_000,
            },
            Finding::CachingInseparable {
                cold_slower_pct: 50.4,
                interval_holds_one: true,
            },
            Finding::CachingInseparable {
                cold_slower_pct: 58.0,
                interval_holds_one: false,
            },
            Finding::note("pool_errors", "errors from 16 users"),
        ]
    }

    #[test]
    fn each_finding_round_trips_with_its_code_and_its_words() {
        for finding in every() {
            let value = serde_json::to_value(&finding).unwrap();
            assert_eq!(value["code"], finding.code(), "{value}");
            assert_eq!(value["message"], finding.to_string(), "{value}");
            let text = serde_json::to_string(&finding).unwrap();
            assert_eq!(
                serde_json::from_str::<Finding>(&text).unwrap(),
                finding,
                "{text}"
            );
        }
        assert_eq!(
            serde_json::to_string(&Finding::Leak {
                bytes_per_s: 1024.0
            })
            .unwrap(),
            r#"{"code":"leak","bytes_per_s":1024.0,"message":"LEAK: the server's memory keeps growing, 3.5 MiB an hour at this rate"}"#
        );
    }

    #[test]
    fn findings_of_an_old_record_load_as_notes() {
        let old: Vec<Finding> = serde_json::from_str(
            r#"["LEAK: the server's memory keeps growing, 3.5 MiB an hour at this rate",
                "no leak: the server's memory is steady after the warm-up"]"#,
        )
        .unwrap();
        assert_eq!(
            old,
            [
                Finding::note(
                    "note",
                    "LEAK: the server's memory keeps growing, 3.5 MiB an hour at this rate"
                ),
                Finding::note(
                    "note",
                    "no leak: the server's memory is steady after the warm-up"
                ),
            ]
        );
        // Caching's speedup, from before it was typed: its code and words.
        let old: Finding = serde_json::from_str(
            r#"{"code":"caching_speedup","message":"speedup 941x warm over cold (95% interval 940x .. 942x)"}"#,
        )
        .unwrap();
        assert_eq!(
            old,
            Finding::note(
                "caching_speedup",
                "speedup 941x warm over cold (95% interval 940x .. 942x)"
            )
        );
    }
}
