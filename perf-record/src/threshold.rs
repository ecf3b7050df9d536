//! SLA thresholds of load tests: `p95 = "200ms"`, `error_rate = "1%"`,
//! `rps = ">= 100"`, `received = ">= 100MiB/s"`.

use serde::{Deserialize, Serialize};

use crate::kinds::{Kind, Unit};
use crate::load::LoadStats;
use crate::units::{UnitError, parse_byte_rate, parse_duration, parse_percent};

/// The metrics a threshold can be put on, besides the kinds' own figures
/// ([`crate::kinds::figures`]).
pub const METRICS: &[&str] = &[
    "p50",
    "p90",
    "p95",
    "p99",
    "p999",
    "mean",
    "max",
    "error_rate",
    "rps",
    "received",
    "sent",
];

/// Every metric name, the kinds' figures with the kinds that measure them.
fn all_metrics() -> String {
    let kinds =
        crate::kinds::figures().map(|m| format!("{} ({})", m.threshold, m.kind_names(", ")));
    METRICS
        .iter()
        .map(|m| (*m).to_owned())
        .chain(kinds)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A checked threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    /// One of [`METRICS`].
    pub metric: String,
    /// The limit: microseconds for latencies, percent for `error_rate`,
    /// requests per second for `rps`, bytes per second for `received` and
    /// `sent`.
    pub limit: f64,
    /// `true`: the value must be at least the limit (`rps`, `received`,
    /// `sent`); else at most.
    pub at_least: bool,
    /// The threshold as written, for reports.
    pub text: String,
    /// The requirement it checks, where the test names one
    /// (`p95 = "5s" as "Requirement 9.3"`): every report shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The most characters a requirement's name may have.
pub const MAX_REQUIREMENT_NAME: usize = 120;

/// Checks the name of a requirement: a short line of text.
pub fn check_requirement_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err(
            "a requirement's name is empty; write e.g. `as \"Requirement 9.3\"`, or leave `as` out"
                .to_owned(),
        );
    }
    if name.chars().any(char::is_control) {
        return Err(
            "a requirement's name is one line of text, without control characters".to_owned(),
        );
    }
    if name.chars().count() > MAX_REQUIREMENT_NAME {
        return Err(format!(
            "a requirement's name has at most {MAX_REQUIREMENT_NAME} characters; shorten it (reports show it beside the threshold)"
        ));
    }
    Ok(())
}

/// Why a threshold could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ThresholdError {
    /// Not a metric.
    #[error("unknown metric `{0}`; the metrics are {all}", all = all_metrics())]
    UnknownMetric(String),
    /// A bad value.
    #[error("invalid `{metric}` threshold: {source}")]
    Value {
        /// The metric.
        metric: String,
        /// What is wrong.
        source: UnitError,
    },
    /// A bound in the wrong direction.
    #[error("`{metric}` can only have an upper bound (`<=`); remove `>=`")]
    WrongDirection {
        /// The metric.
        metric: String,
    },
    /// An error rate above every request.
    #[error(
        "invalid `error_rate` threshold `{0}`: an error rate is at most 100% of the requests; write e.g. \"1%\""
    )]
    ErrorRateOver100(String),
    /// `rps` needs a number.
    #[error(
        "invalid `rps` threshold `{0}`: write a number of requests per second, e.g. \">= 100\""
    )]
    Rate(String),
    /// `breaking_point` and `growth` need a number.
    #[error("invalid `{metric}` threshold `{text}`: write a number, e.g. \"{example}\"")]
    Number {
        /// The metric.
        metric: String,
        /// As written.
        text: String,
        /// What would do.
        example: &'static str,
    },
}

impl Threshold {
    /// Parses `metric = "value"`.
    pub fn parse(metric: &str, value: &str) -> Result<Self, ThresholdError> {
        let text = value.trim();
        let (at_least, rest) = if let Some(rest) = text.strip_prefix(">=") {
            (Some(true), rest)
        } else if let Some(rest) = text.strip_prefix("<=") {
            (Some(false), rest)
        } else if let Some(rest) = text.strip_prefix('<') {
            (Some(false), rest)
        } else {
            (None, text)
        };
        let rest = rest.trim();
        let limit = match metric {
            "p50" | "p90" | "p95" | "p99" | "p999" | "mean" | "max" | "error_rate" => {
                if at_least == Some(true) {
                    return Err(ThresholdError::WrongDirection {
                        metric: metric.to_owned(),
                    });
                }
                if metric == "error_rate" {
                    match parse_percent(rest) {
                        Ok(pct) if pct > 100.0 => {
                            return Err(ThresholdError::ErrorRateOver100(text.to_owned()));
                        }
                        parsed => parsed,
                    }
                } else {
                    parse_duration(rest).map(|d| d.as_nanos() as f64 / 1e3)
                }
                .map_err(|source| ThresholdError::Value {
                    metric: metric.to_owned(),
                    source,
                })?
            }
            "rps" => rest
                .parse::<f64>()
                .ok()
                .filter(|r| r.is_finite() && *r >= 0.0)
                .ok_or_else(|| ThresholdError::Rate(text.to_owned()))?,
            "received" | "sent" => {
                parse_byte_rate(rest).map_err(|source| ThresholdError::Value {
                    metric: metric.to_owned(),
                    source,
                })?
            }
            other => {
                let Some(figure) = crate::kinds::by_threshold(other) else {
                    return Err(ThresholdError::UnknownMetric(other.to_owned()));
                };
                if at_least == Some(true) && !figure.higher_is_better {
                    return Err(ThresholdError::WrongDirection {
                        metric: metric.to_owned(),
                    });
                }
                let value_error = |source| ThresholdError::Value {
                    metric: metric.to_owned(),
                    source,
                };
                match figure.unit {
                    Unit::Percent => parse_percent(rest).map_err(value_error)?,
                    Unit::Duration => parse_duration(rest)
                        .map(|d| d.as_nanos() as f64 / 1e3)
                        .map_err(value_error)?,
                    Unit::BytesPerSecond => parse_byte_rate(rest).map_err(value_error)?,
                    Unit::Number => rest
                        .parse::<f64>()
                        .ok()
                        .filter(|r| r.is_finite() && *r >= 0.0)
                        .ok_or_else(|| ThresholdError::Number {
                            metric: metric.to_owned(),
                            text: text.to_owned(),
                            example: if figure.higher_is_better {
                                ">= 16"
                            } else {
                                "<= 1.2"
                            },
                        })?,
                }
            }
        };
        // Throughput-like metrics are floors unless written with `<=`.
        let floor = matches!(metric, "rps" | "received" | "sent")
            || crate::kinds::by_threshold(metric).is_some_and(|m| m.higher_is_better);
        let at_least = floor && at_least != Some(false);
        Ok(Self {
            metric: metric.to_owned(),
            limit,
            at_least,
            text: format!("{metric} {} {rest}", if at_least { ">=" } else { "<=" }),
            name: None,
        })
    }

    /// Parses a threshold as a test declares it: `metric = "value"`, with
    /// the requirement's name where it has one.
    pub fn declared(metric: &str, value: &str, name: Option<&str>) -> Result<Self, ThresholdError> {
        let mut threshold = Self::parse(metric, value)?;
        threshold.name = name.map(|n| n.trim().to_owned());
        Ok(threshold)
    }

    /// The threshold for people: `Requirement 9.3: p95 <= 5s`, or as
    /// written when it names no requirement.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{name}: {}", self.text),
            None => self.text.clone(),
        }
    }

    /// Whether the metric is measured by a sweep only, and by which kinds.
    pub fn sweep_kinds(&self) -> Option<Vec<Kind>> {
        crate::kinds::by_threshold(&self.metric).map(crate::kinds::KindMetric::kinds)
    }

    /// Whether `stats` measure this threshold's metric at all (a sweep
    /// metric on a plain load test does not).
    pub fn applies_to(&self, stats: &LoadStats) -> bool {
        match self.sweep_kinds() {
            None => true,
            Some(kinds) => stats
                .sweep
                .as_ref()
                .is_some_and(|s| kinds.contains(&s.kind)),
        }
    }

    /// The measured value of this threshold's metric.
    pub fn value_of(&self, stats: &LoadStats) -> f64 {
        let l = &stats.latency;
        match self.metric.as_str() {
            "p50" => l.p50_us as f64,
            "p90" => l.p90_us as f64,
            "p95" => l.p95_us as f64,
            "p99" => l.p99_us as f64,
            "p999" => l.p999_us as f64,
            "mean" => l.mean_us,
            "max" => l.max_us as f64,
            "error_rate" => stats.error_rate_pct,
            "rps" => stats.rps,
            "received" => stats.transfer.received_per_s,
            "sent" => stats.transfer.sent_per_s,
            other => {
                crate::kinds::by_threshold(other).map_or(f64::NAN, |m| sweep_metric(stats, m.key))
            }
        }
    }

    /// Whether `stats` hold anything to judge this metric on: a latency
    /// needs an answered request, an error rate or a throughput a request
    /// sent, and a kind's figure must not be one its analysis declared
    /// not measurable. (The percentiles of an empty histogram read 0,
    /// which would meet any limit.)
    pub fn measured_in(&self, stats: &LoadStats) -> bool {
        match self.metric.as_str() {
            "p50" | "p90" | "p95" | "p99" | "p999" | "mean" | "max" => stats.latency.count > 0,
            "error_rate" | "rps" | "received" | "sent" => stats.requests > 0,
            _ => self.why_unmeasured(stats).is_none(),
        }
    }

    /// Why the kind's analysis could not measure this threshold's figure,
    /// where it said so (caching: a speedup whose cold and warm latencies
    /// cannot be told apart).
    pub fn why_unmeasured(&self, stats: &LoadStats) -> Option<String> {
        let figure = crate::kinds::by_threshold(&self.metric)?;
        stats.sweep.as_ref()?.unmeasured.get(figure.key).cloned()
    }

    /// Checks the threshold against a result. A threshold on nothing
    /// measured is never met, and its value reads 0. (A kind's figure
    /// that is simply absent, without a reason, reads NaN: the caller
    /// leaves such a threshold out, and the findings say why.)
    pub fn check(&self, stats: &LoadStats) -> ThresholdResult {
        let unmeasured = !self.measured_in(stats);
        let value = if unmeasured {
            0.0
        } else {
            self.value_of(stats)
        };
        let passed = !unmeasured
            && if self.at_least {
                value >= self.limit
            } else {
                value <= self.limit
            };
        ThresholdResult {
            threshold: self.clone(),
            value,
            passed,
            unmeasured,
            unmeasured_why: self.why_unmeasured(stats),
        }
    }
}

fn sweep_metric(stats: &LoadStats, key: &str) -> f64 {
    stats
        .sweep
        .as_ref()
        .and_then(|s| s.metrics.get(key).copied())
        .unwrap_or(f64::NAN)
}

/// A threshold checked against a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdResult {
    /// The threshold.
    pub threshold: Threshold,
    /// The measured value, in the threshold's unit.
    pub value: f64,
    /// Whether it was met.
    pub passed: bool,
    /// Nothing was measured to judge it on (no response, no request, a
    /// kind's figure its analysis could not measure): `value` means
    /// nothing, and the threshold is missed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unmeasured: bool,
    /// Why a kind's figure could not be measured, where its analysis said
    /// (caching: "cold and warm latencies cannot be told apart ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmeasured_why: Option<String>,
}

#[cfg(test)]
mod tests;
