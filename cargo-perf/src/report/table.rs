//! The pieces every report is drawn with: a table, colours, test names,
//! and figures written in their units.

use std::fmt::{self, Write};

use perf_record::TestId;
use perf_record::kinds::Unit;

pub(super) const BOLD: &str = "\x1b[1m";
pub(super) const RED: &str = "\x1b[31;1m";
pub(super) const GREEN: &str = "\x1b[32m";
pub(super) const YELLOW: &str = "\x1b[33m";
pub(super) const RESET: &str = "\x1b[0m";

/// A simple left-aligned table: the first column left, the rest right.
pub(super) struct Table {
    header: Vec<String>,
    pub(super) rows: Vec<(Vec<String>, &'static str)>,
}

impl Table {
    pub(super) fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|s| (*s).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub(super) fn row(&mut self, cells: Vec<String>, style: &'static str) {
        self.rows.push((cells, style));
    }

    /// Writes the header and the rows, each line ending in a newline.
    pub(super) fn write(&self, out: &mut impl Write) -> fmt::Result {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for (cells, _) in &self.rows {
            for (i, cell) in cells.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            cells
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let pad = widths[i].saturating_sub(cell.chars().count());
                    if i == 0 || i + 1 == columns {
                        format!(
                            "{cell}{}",
                            " ".repeat(if i + 1 == columns { 0 } else { pad })
                        )
                    } else {
                        format!("{}{cell}", " ".repeat(pad))
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
                // Empty cells at the end (a failed test's row) leave no
                // padding behind.
                .trim_end()
                .to_owned()
        };
        writeln!(out, "{BOLD}{}{RESET}", line(&self.header))?;
        for (cells, style) in &self.rows {
            if style.is_empty() {
                writeln!(out, "{}", line(cells))?;
            } else {
                writeln!(out, "{style}{}{RESET}", line(cells))?;
            }
        }
        Ok(())
    }
}

/// What `write` writes, as a string: a report is rendered whole, with its
/// colours, and printed through anstream, which strips them when stdout
/// is not a terminal (or `NO_COLOR` is set).
pub(super) fn rendered(write: impl FnOnce(&mut String) -> fmt::Result) -> String {
    let mut out = String::new();
    write(&mut out).expect("writing to a String never fails");
    out
}

/// A latency given in µs: in milliseconds, or in microseconds below 10 µs,
/// where two decimals of a millisecond would read 0.00 (a limit of `1us`
/// prints as `1 µs`).
pub(crate) fn latency(us: f64) -> String {
    if us.abs() >= 10.0 {
        format!("{:.2} ms", us / 1e3)
    } else {
        let text = format!("{us:.2}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        format!("{text} µs")
    }
}

/// Microseconds as milliseconds.
pub(super) fn ms(us: u64) -> String {
    format!("{:.2} ms", us as f64 / 1e3)
}

pub(super) fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A kind's figure, in its unit.
pub(crate) fn kind_value(key: &str, v: f64) -> String {
    let Some(figure) = perf_record::kinds::by_key(key) else {
        return format!("{v:.2}");
    };
    match figure.unit {
        Unit::Percent => format!("{v:.2}%"),
        Unit::Duration if v.abs() >= 1e6 => format!("{:.2} s", v / 1e6),
        Unit::Duration => format!("{:.2} ms", v / 1e3),
        Unit::BytesPerSecond => format!("{:.1} KiB/s", v / 1024.0),
        Unit::Number if v.fract() == 0.0 && v.abs() >= 1.0 => format!("{v:.0}"),
        Unit::Number => format!("{v:.2}"),
    }
}

/// A threshold's measured value or limit, in the threshold's unit.
pub(crate) fn threshold_value(metric: &str, v: f64) -> String {
    match metric {
        "error_rate" => format!("{v:.2}%"),
        "rps" => format!("{v:.1} req/s"),
        "received" | "sent" => perf_record::units::format_byte_rate(v),
        other => match perf_record::kinds::by_threshold(other) {
            Some(figure) => kind_value(figure.key, v),
            None => latency(v),
        },
    }
}

/// A difference of a kind's figure (or a limit on one), signed.
pub(super) fn kind_difference(figure: &perf_record::kinds::KindMetric, d: f64) -> String {
    match figure.unit {
        Unit::Percent => format!("{d:+.1} pt"),
        Unit::Duration => format!("{:+.2} ms", d / 1e3),
        Unit::BytesPerSecond => format!("{:+.1} KiB/s", d / 1024.0),
        Unit::Number => format!("{d:+.2}"),
    }
}

pub(super) fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KB", n >> 10),
        n => format!("{n} B"),
    }
}

/// How far apart the processes' medians are, relative to the median: the
/// run-to-run noise a comparison has to see through.
pub(super) fn spread(process_medians: &[f64], median: f64) -> String {
    if process_medians.len() < 2 || median <= 0.0 {
        return "-".to_owned();
    }
    let (low, high) = process_medians
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &m| (l.min(m), h.max(m)));
    format!(
        "{:.1}% ({})",
        (high - low) / median * 100.0,
        process_medians.len()
    )
}

/// How test ids are shown: just the test's name when every test comes
/// from one target, else `package/target::name`.
pub(crate) fn display_names<'a>(
    ids: impl IntoIterator<Item = &'a TestId> + Clone,
) -> impl Fn(&TestId) -> String {
    let mut targets = ids.into_iter().map(|id| (&id.package, &id.target));
    let single = match targets.next() {
        Some(first) => targets.all(|t| t == first),
        None => true,
    };
    move |id: &TestId| {
        if single {
            id.name.clone()
        } else {
            id.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_latencies_keep_their_digits() {
        assert_eq!(latency(1.0), "1 µs");
        assert_eq!(latency(2.5), "2.5 µs");
        assert_eq!(latency(330.0), "0.33 ms");
        assert_eq!(latency(50_000.0), "50.00 ms");
    }
}
