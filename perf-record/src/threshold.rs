//! SLA thresholds of load tests: `p95 = "200ms"`, `error_rate = "1%"`,
//! `rps = ">= 100"`, `received = ">= 100MiB/s"`.

use serde::{Deserialize, Serialize};

use crate::kinds::Kind;
use crate::load::LoadStats;
use crate::metric::{Metric, Unit};
use crate::units::{UnitError, parse_byte_rate, parse_duration, parse_percent};

/// Every metric a threshold can be put on, by its threshold name, the
/// kinds' figures with the kinds that measure them.
fn all_metrics() -> String {
    Metric::all()
        .filter_map(|m| {
            let name = m.threshold?;
            Some(if m.is_figure() {
                format!("{name} ({})", m.kind_names(", "))
            } else {
                name.to_owned()
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A checked threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    /// The metric, recorded by its threshold name (`p95`).
    #[serde(with = "crate::metric::threshold_name")]
    pub metric: Metric,
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
        let Some(measured) = Metric::by_threshold(metric) else {
            return Err(ThresholdError::UnknownMetric(metric.to_owned()));
        };
        if at_least == Some(true) && !measured.higher_is_better {
            return Err(ThresholdError::WrongDirection {
                metric: metric.to_owned(),
            });
        }
        let value_error = |source| ThresholdError::Value {
            metric: metric.to_owned(),
            source,
        };
        let limit = match measured.unit {
            Unit::PercentOfRequests => match parse_percent(rest) {
                Ok(pct) if pct > 100.0 => {
                    return Err(ThresholdError::ErrorRateOver100(text.to_owned()));
                }
                parsed => parsed.map_err(value_error)?,
            },
            Unit::Percent => parse_percent(rest).map_err(value_error)?,
            Unit::Latency | Unit::Duration => parse_duration(rest)
                .map(|d| d.as_nanos() as f64 / 1e3)
                .map_err(value_error)?,
            Unit::Transfer | Unit::BytesPerSecond => parse_byte_rate(rest).map_err(value_error)?,
            Unit::RequestsPerSecond => rest
                .parse::<f64>()
                .ok()
                .filter(|r| r.is_finite() && *r >= 0.0)
                .ok_or_else(|| ThresholdError::Rate(text.to_owned()))?,
            Unit::Number | Unit::Nanos | Unit::Count => rest
                .parse::<f64>()
                .ok()
                .filter(|r| r.is_finite() && *r >= 0.0)
                .ok_or_else(|| ThresholdError::Number {
                    metric: metric.to_owned(),
                    text: text.to_owned(),
                    example: if measured.higher_is_better {
                        ">= 16"
                    } else {
                        "<= 1.2"
                    },
                })?,
        };
        // Throughput-like metrics are floors unless written with `<=`.
        let at_least = measured.higher_is_better && at_least != Some(false);
        Ok(Self {
            metric: measured,
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
        self.metric.is_figure().then(|| self.metric.kinds())
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

    /// The measured value of this threshold's metric (NaN: a kind's figure
    /// the stats do not hold).
    pub fn value_of(&self, stats: &LoadStats) -> f64 {
        self.metric.read_load(stats).unwrap_or(f64::NAN)
    }

    /// Whether `stats` hold anything to judge this metric on: a latency
    /// needs an answered request, an error rate or a throughput a request
    /// sent, and a kind's figure must not be one its analysis declared
    /// not measurable. (The percentiles of an empty histogram read 0,
    /// which would meet any limit.)
    pub fn measured_in(&self, stats: &LoadStats) -> bool {
        match self.metric.unit {
            Unit::Latency => stats.latency.count > 0,
            Unit::PercentOfRequests | Unit::RequestsPerSecond | Unit::Transfer => {
                stats.requests > 0
            }
            _ => self.why_unmeasured(stats).is_none(),
        }
    }

    /// Why the kind's analysis could not measure this threshold's figure,
    /// where it said so (caching: a speedup whose cold and warm latencies
    /// cannot be told apart).
    pub fn why_unmeasured(&self, stats: &LoadStats) -> Option<String> {
        if !self.metric.is_figure() {
            return None;
        }
        stats
            .sweep
            .as_ref()?
            .unmeasured
            .get(self.metric.key)
            .cloned()
    }

    /// Checks the threshold against a result. A threshold on nothing
    /// measured is never met, and its value reads 0. (A kind's figure
    /// that is simply absent, without a reason, reads NaN: the caller
    /// leaves such a threshold out, and the findings say why.)
    ///
    /// A figure kept with its 95% interval ([`MetricSpec::interval`]) is
    /// judged by the interval: met when all of it meets the limit, missed
    /// when none of it does, and not measurable when it holds the limit
    /// (the run cannot tell which side the figure is on). Its estimate
    /// alone would flip between met and missed from run to run near the
    /// limit, and a figure known closely (a speedup of 1.00, 0.99 .. 1.01)
    /// is judged as known, not declared unknown.
    ///
    /// [`MetricSpec::interval`]: crate::metric::MetricSpec::interval
    pub fn check(&self, stats: &LoadStats) -> ThresholdResult {
        let measured = self.measured_in(stats);
        let value = if measured { self.value_of(stats) } else { 0.0 };
        let interval = self
            .metric
            .read_interval(stats)
            .filter(|_| measured && !value.is_nan());
        let mut unmeasured_why = self.why_unmeasured(stats);
        let passed = match interval {
            None => measured && self.meets(value),
            Some([low, high]) => match (self.meets(low), self.meets(high)) {
                (true, true) => true,
                (false, false) => false,
                _ => {
                    unmeasured_why = Some(format!(
                        "its 95% interval, {} .. {}, holds the limit, so the run cannot tell whether the {} \
                         meets it (more requests narrow the interval)",
                        self.metric.threshold_text(low),
                        self.metric.threshold_text(high),
                        self.metric.prose
                    ));
                    false
                }
            },
        };
        ThresholdResult {
            threshold: self.clone(),
            value,
            passed,
            unmeasured: !measured || unmeasured_why.is_some(),
            unmeasured_why,
            interval,
        }
    }

    /// Whether `value` meets the limit.
    fn meets(&self, value: f64) -> bool {
        if self.at_least {
            value >= self.limit
        } else {
            value <= self.limit
        }
    }
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
    /// kind's figure its analysis could not measure, an interval that
    /// holds the limit): the threshold is missed, and `value` means
    /// nothing unless an `interval` came with it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unmeasured: bool,
    /// Why a kind's figure could not be measured, where its analysis said
    /// (caching: "too few requests for an interval ..."), or why its
    /// interval could not judge the threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmeasured_why: Option<String>,
    /// The value's 95% interval, `[low, high]`, where the metric is kept
    /// with one (a caching test's speedup): the threshold was judged by
    /// it. Absent in records written before thresholds had intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
}

impl ThresholdResult {
    /// The measured value in the threshold's unit, with its interval where
    /// it has one: `1.00 (95% interval 0.98 .. 1.02)`.
    pub fn value_text(&self) -> String {
        let metric = self.threshold.metric;
        let value = metric.threshold_text(self.value);
        match self.interval {
            Some([low, high]) => format!(
                "{value} (95% interval {} .. {})",
                metric.threshold_text(low),
                metric.threshold_text(high)
            ),
            None => value,
        }
    }
}

#[cfg(test)]
mod tests;
