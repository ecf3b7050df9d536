//! The pieces the terminal reports are drawn with: a table, colours, test
//! names. Values are written by `perf_record::format` and each metric's
//! own formatting (`perf_record::metric`), the same in every report.

use std::fmt::{self, Write};

use perf_record::TestId;

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
