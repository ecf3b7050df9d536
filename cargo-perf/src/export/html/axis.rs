//! A chart's axes: a linear or logarithmic mapping from data to the unit
//! interval, with "nice" ticks (1, 2 or 5 times a power of ten) and their
//! labels.

/// How values map onto an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scale {
    /// Evenly spaced values.
    Linear,
    /// Evenly spaced powers of ten (every value must be above zero).
    Log,
}

/// One axis: its scale, its span, its ticks and how they read.
#[derive(Debug, Clone)]
pub(super) struct Axis {
    /// Linear or log.
    pub(super) scale: Scale,
    /// The lowest value shown.
    pub(super) lo: f64,
    /// The highest value shown.
    pub(super) hi: f64,
    /// The axis' name, with its unit.
    pub(super) label: String,
    /// Where the ticks sit, and what each reads.
    pub(super) ticks: Vec<(f64, String)>,
}

impl Axis {
    /// A linear axis over `values`, widened to nice ticks; from zero when
    /// `from_zero` (a count or rate, whose zero means something).
    pub(super) fn linear(
        label: &str,
        values: impl IntoIterator<Item = f64>,
        from_zero: bool,
        format: fn(f64) -> String,
    ) -> Self {
        let (mut lo, mut hi) = span(values);
        if from_zero {
            lo = lo.min(0.0);
        }
        if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
            let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
            (lo, hi) = (if from_zero { lo } else { lo - pad }, hi + pad);
        }
        let step = nice_step((hi - lo) / 5.0);
        let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
        let count = ((hi - lo) / step).round() as usize;
        let ticks = (0..=count)
            .map(|i| {
                let v = lo + step * i as f64;
                // Snap -0.0 and rounding dust to the tick's own value.
                let v = (v / step).round() * step;
                (v, format(v))
            })
            .collect();
        Self {
            scale: Scale::Linear,
            lo,
            hi,
            label: label.to_owned(),
            ticks,
        }
    }

    /// A log axis over the positive `values`, from and to a power of ten
    /// (or 2 and 5 times one when the span is short).
    pub(super) fn log(
        label: &str,
        values: impl IntoIterator<Item = f64>,
        format: fn(f64) -> String,
    ) -> Self {
        let (lo, hi) = span(values.into_iter().filter(|v| *v > 0.0));
        let (lo, hi) = if lo.is_finite() && lo > 0.0 {
            (lo, hi.max(lo))
        } else {
            (1.0, 10.0)
        };
        let (lo_exp, hi_exp) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        let hi_exp = hi_exp.max(lo_exp + 1);
        let decades = hi_exp - lo_exp;
        if decades <= 2 {
            // A short span: from and to 1, 2 or 5 times a power of ten.
            let candidates: Vec<f64> = (lo_exp..=hi_exp)
                .flat_map(|exp| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(exp)))
                .collect();
            let from = candidates
                .iter()
                .copied()
                .rfind(|c| *c <= lo * 1.0001)
                .unwrap_or(lo);
            let to = candidates
                .iter()
                .copied()
                .find(|c| *c >= hi * 0.9999)
                .unwrap_or(hi);
            let to = if to <= from { from * 2.0 } else { to };
            let ticks = candidates
                .into_iter()
                .filter(|c| (from * 0.9999..=to * 1.0001).contains(c))
                .map(|v| (v, format(v)))
                .collect();
            return Self {
                scale: Scale::Log,
                lo: from,
                hi: to,
                label: label.to_owned(),
                ticks,
            };
        }
        let every = (decades / 6 + 1).max(1);
        let ticks = (lo_exp..=hi_exp)
            .filter(|exp| (exp - lo_exp) % every == 0)
            .map(|exp| {
                let v = 10f64.powi(exp);
                (v, format(v))
            })
            .collect();
        Self {
            scale: Scale::Log,
            lo: 10f64.powi(lo_exp),
            hi: 10f64.powi(hi_exp),
            label: label.to_owned(),
            ticks,
        }
    }

    /// Categories at 0, 1, 2, ... each with its name, half a step of room
    /// at either end (for bars).
    pub(super) fn categories(label: &str, names: &[String]) -> Self {
        Self {
            scale: Scale::Linear,
            lo: -0.5,
            hi: names.len().max(1) as f64 - 0.5,
            label: label.to_owned(),
            ticks: names
                .iter()
                .enumerate()
                .map(|(i, name)| (i as f64, name.clone()))
                .collect(),
        }
    }

    /// Replaces the ticks (a percentile axis reads "99%" where its values
    /// are 100).
    pub(super) fn with_ticks(mut self, ticks: Vec<(f64, String)>) -> Self {
        self.ticks = ticks;
        self
    }

    /// Where `value` falls, 0 at `lo` and 1 at `hi` (outside when it is
    /// outside; a log axis puts zero and below at its low end).
    pub(super) fn fraction(&self, value: f64) -> f64 {
        match self.scale {
            Scale::Linear => (value - self.lo) / (self.hi - self.lo),
            Scale::Log => {
                let v = value.max(self.lo);
                (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
            }
        }
    }
}

/// The lowest and highest finite values (0 to 1 when there are none).
fn span(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) }
}

/// The nice step (1, 2 or 5 times a power of ten) nearest `rough`.
fn nice_step(rough: f64) -> f64 {
    if !rough.is_finite() || rough <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    let m = rough / power;
    // The nearest nice step, not the next one up: 2.02 is a step of 2
    // (0 to 12 for 10.1), not of 5 (0 to 15).
    let nice = if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// A number as a tick reads: no trailing zeros, thousands as `k`, millions
/// as `M`.
pub(super) fn number(v: f64) -> String {
    let a = v.abs();
    let (scaled, suffix) = if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = format!("{scaled:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    format!("{text}{suffix}")
}

/// Microseconds as milliseconds on a tick.
pub(super) fn ms_from_us(us: f64) -> String {
    number(us / 1e3)
}

/// Nanoseconds on a tick, in the unit that suits them.
pub(super) fn nanos(ns: f64) -> String {
    let a = ns.abs();
    if a >= 1e9 {
        format!("{} s", number(ns / 1e9))
    } else if a >= 1e6 {
        format!("{} ms", number(ns / 1e6))
    } else if a >= 1e3 {
        format!("{} µs", number(ns / 1e3))
    } else {
        format!("{} ns", number(ns))
    }
}

/// A signed percentage on a tick.
pub(super) fn percent(v: f64) -> String {
    format!("{}%", number(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_nice_and_cover_the_values() {
        let axis = Axis::linear("requests", [3.0, 97.0], true, number);
        assert_eq!((axis.lo, axis.hi), (0.0, 100.0));
        let values: Vec<f64> = axis.ticks.iter().map(|t| t.0).collect();
        assert_eq!(values, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let soak = Axis::linear("t", [0.0, 10.1], true, number);
        assert_eq!((soak.lo, soak.hi), (0.0, 12.0));
        let flat = Axis::linear("x", [5.0, 5.0], false, number);
        assert!(flat.lo < 5.0 && flat.hi > 5.0, "{flat:?}");
        let none = Axis::linear("x", [], true, number);
        assert_eq!((none.lo, none.hi), (0.0, 1.0));
    }

    #[test]
    fn log_ticks_are_powers_of_ten() {
        let axis = Axis::log("latency", [0.0, 3.0, 4_000.0], number);
        assert_eq!((axis.lo, axis.hi), (1.0, 10_000.0));
        let labels: Vec<&str> = axis.ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["1", "10", "100", "1000", "10k"]);
        assert!((axis.fraction(100.0) - 0.5).abs() < 1e-12);
        assert_eq!(axis.fraction(0.0), 0.0);
        let short = Axis::log("users", [1.0, 16.0], number);
        assert_eq!((short.lo, short.hi), (1.0, 20.0));
        let labels: Vec<&str> = short.ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["1", "2", "5", "10", "20"]);
    }

    #[test]
    fn tick_labels_read_short() {
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(20_000.0), "20k");
        assert_eq!(number(2_500_000.0), "2.5M");
        assert_eq!(nanos(1_500.0), "1.5 µs");
        assert_eq!(percent(-5.0), "-5%");
    }
}
