//! [`Metric`]: a handle on one metric's [`MetricSpec`], the one way every
//! crate names what is measured. It serializes as the metric's key and
//! reads back from its key or its threshold name.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::base;
use super::spec::MetricSpec;

/// One metric: a base metric or a kind's figure. Two handles are equal
/// when they name the same metric.
#[derive(Clone, Copy)]
pub struct Metric(&'static MetricSpec);

impl Metric {
    /// A benchmark's median time, ns.
    pub const MEDIAN: Self = Self(&base::MEDIAN);
    /// Instructions per iteration.
    pub const INSTRUCTIONS: Self = Self(&base::INSTRUCTIONS);
    /// Median latency, µs.
    pub const P50: Self = Self(&base::P50);
    /// 90th percentile latency, µs.
    pub const P90: Self = Self(&base::P90);
    /// 95th percentile latency, µs.
    pub const P95: Self = Self(&base::P95);
    /// 99th percentile latency, µs.
    pub const P99: Self = Self(&base::P99);
    /// 99.9th percentile latency, µs.
    pub const P999: Self = Self(&base::P999);
    /// Mean latency, µs.
    pub const MEAN: Self = Self(&base::MEAN);
    /// The slowest request, µs.
    pub const MAX: Self = Self(&base::MAX);
    /// Failed requests, percent.
    pub const ERROR_RATE: Self = Self(&base::ERROR_RATE);
    /// Requests per second.
    pub const THROUGHPUT: Self = Self(&base::THROUGHPUT);
    /// Bytes received per second.
    pub const RECEIVED: Self = Self(&base::RECEIVED);
    /// Bytes sent per second.
    pub const SENT: Self = Self(&base::SENT);

    /// The handle on a descriptor (a kind's figure).
    pub const fn of(spec: &'static MetricSpec) -> Self {
        Self(spec)
    }

    /// Its descriptor.
    pub const fn spec(self) -> &'static MetricSpec {
        self.0
    }

    /// The base metrics, in the order messages list them.
    pub fn base() -> impl Iterator<Item = Self> + Clone {
        base::BASE.into_iter().map(Self)
    }

    /// Every kind's figure, each once.
    pub fn figures() -> impl Iterator<Item = Self> {
        crate::kinds::figures().map(Self)
    }

    /// Every metric: the base ones, then every kind's figures.
    pub fn all() -> impl Iterator<Item = Self> {
        Self::base().chain(Self::figures())
    }

    /// The metric kept under `key`.
    pub fn by_key(key: &str) -> Option<Self> {
        Self::all().find(|m| m.key == key)
    }

    /// The metric a threshold name stands for.
    pub fn by_threshold(name: &str) -> Option<Self> {
        Self::all().find(|m| m.threshold == Some(name))
    }

    /// The metric written either way: its key or its threshold name.
    pub fn by_name(name: &str) -> Option<Self> {
        Self::by_key(name).or_else(|| Self::by_threshold(name))
    }

    /// Its name in a threshold, or its key where it takes none.
    pub fn threshold_name(self) -> &'static str {
        self.0.threshold.unwrap_or(self.0.key)
    }

    /// Whether it is a kind's figure rather than a base metric.
    pub fn is_figure(self) -> bool {
        self.0.source == super::spec::Source::Figure
    }

    /// The limit on its change when it is compared as a difference rather
    /// than in percent (the error rate, figures whose healthy value is
    /// near zero).
    pub fn absolute_limit(self) -> Option<f64> {
        match self.0.change {
            super::spec::Change::Absolute(limit) => Some(limit),
            super::spec::Change::Relative | super::spec::Change::Shown => None,
        }
    }
}

impl Deref for Metric {
    type Target = MetricSpec;

    fn deref(&self) -> &MetricSpec {
        self.0
    }
}

impl PartialEq for Metric {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key
    }
}

impl Eq for Metric {}

impl PartialOrd for Metric {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Metric {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.key.cmp(other.0.key)
    }
}

impl std::hash::Hash for Metric {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.key.hash(state);
    }
}

impl fmt::Debug for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Metric({})", self.0.key)
    }
}

/// Its key, as reports and messages name it.
impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.key)
    }
}

impl Serialize for Metric {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.key)
    }
}

/// Its key, or its threshold name (what thresholds recorded).
impl<'de> Deserialize<'de> for Metric {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::by_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown metric `{name}`")))
    }
}

/// A metric written by its threshold name (`p95`, `error_rate`), as
/// thresholds record it: `#[serde(with = "crate::metric::threshold_name")]`.
/// Reads either spelling.
pub mod threshold_name {
    use super::Metric;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the threshold name.
    pub fn serialize<S: Serializer>(metric: &Metric, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(metric.threshold_name())
    }

    /// Reads the threshold name or the key.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Metric, D::Error> {
        Metric::deserialize(deserializer)
    }
}
