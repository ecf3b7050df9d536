//! A metric's values as text, in its unit: as a side of a comparison, as a
//! threshold's limit or measured value, in a history, and a change held to
//! a difference.

use super::handle::Metric;
use super::spec::Unit;
use crate::format;

impl Metric {
    /// A value of it (a side of a comparison, a figure in a report).
    pub fn value_text(self, v: f64) -> String {
        match self.unit {
            Unit::Nanos => format::nanos(v),
            Unit::Count => format!("{v:.0}"),
            Unit::Latency => format::ms(v),
            Unit::RequestsPerSecond => format!("{v:.1}/s"),
            Unit::PercentOfRequests => format::percent(v),
            Unit::Transfer => format::byte_rate(v),
            Unit::Number | Unit::Percent | Unit::Duration | Unit::BytesPerSecond => {
                self.figure_text(v)
            }
        }
    }

    /// A threshold's limit or measured value.
    pub fn threshold_text(self, v: f64) -> String {
        match self.unit {
            Unit::Latency => format::latency(v),
            Unit::RequestsPerSecond => format!("{v:.1} req/s"),
            _ => self.value_text(v),
        }
    }

    /// A value in a history's table.
    pub fn history_text(self, v: f64) -> String {
        match self.unit {
            Unit::Latency => format::nanos(v * 1000.0),
            _ => self.value_text(v),
        }
    }

    /// A difference of it (a change, or a limit on one), signed, where it
    /// is compared as a difference: percentage points, or the figure's
    /// unit.
    pub fn difference_text(self, d: f64) -> String {
        match self.unit {
            Unit::PercentOfRequests => format!("{d:+.2} pt"),
            Unit::Percent => format!("{d:+.1} pt"),
            Unit::Duration | Unit::Latency => format!("{:+.2} ms", d / 1e3),
            Unit::BytesPerSecond | Unit::Transfer => format!("{:+.1} KiB/s", d / 1024.0),
            Unit::Number | Unit::Nanos | Unit::Count | Unit::RequestsPerSecond => {
                format!("{d:+.2}")
            }
        }
    }

    /// The fixed limit on a change held to a difference, as reports show
    /// it (`1 pt` for the error rate, `+5.0 pt` for a kind's percentage).
    pub fn absolute_limit_text(self, limit: f64) -> String {
        match self.unit {
            Unit::PercentOfRequests => format!("{limit} pt"),
            _ => self.difference_text(limit),
        }
    }

    /// A kind's figure in its unit.
    fn figure_text(self, v: f64) -> String {
        match self.unit {
            Unit::Percent => format::percent(v),
            Unit::Duration if v.abs() >= 1e6 => format!("{:.2} s", v / 1e6),
            Unit::Duration => format::ms(v),
            Unit::BytesPerSecond => format!("{:.1} KiB/s", v / 1024.0),
            Unit::Number if v.fract() == 0.0 && v.abs() >= 1.0 => format!("{v:.0}"),
            _ => format!("{v:.2}"),
        }
    }
}
