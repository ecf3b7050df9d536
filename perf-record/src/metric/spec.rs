//! What describes one metric: its names, unit, direction, how a change of
//! it is judged, the scale its history is read on, and where a record
//! keeps it. Base metrics are listed in `base.rs`; each kind lists its
//! figures in its own module (`crate::kinds`).

/// The unit of a metric's values, which also says how a threshold on it
/// is written and how a value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Nanoseconds (a benchmark's time), shown with a unit that keeps
    /// three or four digits.
    Nanos,
    /// A count (instructions per iteration), shown whole.
    Count,
    /// A request's latency in µs: a threshold is a duration (`"200ms"`),
    /// a value shows in milliseconds.
    Latency,
    /// Requests per second: a threshold is a number (`">= 100"`).
    RequestsPerSecond,
    /// Percent of the requests (the error rate): at most 100%, a change is
    /// in percentage points.
    PercentOfRequests,
    /// Bytes per second on the wire: a threshold is a byte rate
    /// (`">= 100MiB/s"`).
    Transfer,
    /// A kind's plain number: `"<= 1.2"`, `">= 16"`.
    Number,
    /// A kind's percentage: `">= 50%"`.
    Percent,
    /// A kind's duration, kept in µs: `"<= 1s"`.
    Duration,
    /// A kind's bytes per second: `"<= 16KB/s"`.
    BytesPerSecond,
}

impl Unit {
    /// The unit's symbol, for axes and history tables.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Nanos => "ns",
            Self::Count => "instructions",
            Self::Latency | Self::Duration => "µs",
            Self::RequestsPerSecond => "requests/s",
            Self::PercentOfRequests | Self::Percent => "%",
            Self::Transfer | Self::BytesPerSecond => "B/s",
            Self::Number => "",
        }
    }
}

/// How a change of the metric between two runs is judged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// In percent of the baseline, against the test's regression threshold.
    Relative,
    /// As a difference, against this fixed limit (for figures whose healthy
    /// value is near zero, where a percentage means nothing).
    Absolute(f64),
    /// In percent, shown but not gated when each side is one run with no
    /// interval (a load test's latency or throughput, a ratio of
    /// latencies): those drift between runs as much as the change shown.
    /// `--compare-ref`, a baseline's history and thresholds gate it.
    Shown,
}

/// The scale a metric's steps are found on in its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Log of the value: a step is a ratio (times, latency, throughput).
    Log,
    /// The value itself: a step is a difference (the error rate, whose
    /// healthy value is zero).
    Difference,
}

impl Scale {
    /// A value on this scale.
    pub fn of(self, value: f64) -> f64 {
        match self {
            Self::Log => value.ln(),
            Self::Difference => value,
        }
    }
}

/// Where a test's record keeps the metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A benchmark's median, with its confidence interval.
    Median,
    /// Instructions per iteration, when counted.
    Instructions,
    /// A load test's median latency.
    P50,
    /// Its 90th percentile.
    P90,
    /// Its 95th percentile.
    P95,
    /// Its 99th percentile.
    P99,
    /// Its 99.9th percentile.
    P999,
    /// Its mean latency.
    Mean,
    /// Its slowest request.
    Max,
    /// Its requests per second.
    Throughput,
    /// Its failed requests, in percent.
    ErrorRate,
    /// Bytes received per second.
    Received,
    /// Bytes sent per second.
    Sent,
    /// A kind's figure, kept under its key in the sweep's metrics.
    Figure,
}

/// Everything about one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricSpec {
    /// Its key: as results, comparisons and baselines name it
    /// (`median_ns`, `p95_us`, a kind's `warm_speedup`).
    pub key: &'static str,
    /// Its name in `threshold(...)` (`p95`, `speedup`); `None` where no
    /// threshold can be put on it.
    pub threshold: Option<&'static str>,
    /// Its name in tables and charts (`median`, `p95`, `errors`).
    pub label: &'static str,
    /// Its name in sentences (`median`, `throughput`, `error rate`).
    pub prose: &'static str,
    /// The unit of its values.
    pub unit: Unit,
    /// Whether more is better (a floor) or less (a ceiling).
    pub higher_is_better: bool,
    /// How a change is judged in a comparison.
    pub change: Change,
    /// The scale its steps are found on in a history.
    pub scale: Scale,
    /// Where a record keeps it.
    pub source: Source,
    /// The keys of its 95% interval, `[low, high]`, where a kind's
    /// analysis keeps one beside it in the sweep's metrics: a threshold
    /// on it is then judged by the interval, not by the estimate alone
    /// (see `Threshold::check`).
    pub interval: Option<[&'static str; 2]>,
}

impl MetricSpec {
    /// A kind's figure (`const`, for the kinds' tables): read from the
    /// sweep's metrics under `key`, named `threshold` in a threshold.
    pub const fn figure(
        threshold: &'static str,
        key: &'static str,
        unit: Unit,
        higher_is_better: bool,
        change: Change,
        label: &'static str,
    ) -> Self {
        Self {
            key,
            threshold: Some(threshold),
            label,
            prose: label,
            unit,
            higher_is_better,
            change,
            scale: match change {
                Change::Absolute(_) => Scale::Difference,
                Change::Relative | Change::Shown => Scale::Log,
            },
            source: Source::Figure,
            interval: None,
        }
    }

    /// The figure with its 95% interval kept under `low` and `high` in the
    /// sweep's metrics, by which a threshold on it is judged.
    pub const fn with_interval(self, low: &'static str, high: &'static str) -> Self {
        Self {
            interval: Some([low, high]),
            ..self
        }
    }
}
