//! `--csv PREFIX`: the run as the CSV files Locust writes with its own
//! `--csv`, so that the scripts and dashboards made for Locust read a
//! cargo-perf run: `PREFIX_stats.csv` (a row per load test, a row per
//! endpoint, and the `Aggregated` row), `PREFIX_failures.csv` and
//! `PREFIX_stats_history.csv` (the per-second timeline), with Locust's
//! column names. Times are in milliseconds, as Locust's, with three
//! decimals (loopback latencies are often under a millisecond).
//!
//! Micro-benchmarks go to their own `PREFIX_benchmarks.csv`: Locust has
//! no such thing, and their rows (nanoseconds per iteration, no requests)
//! would be misread by a Locust reader and would skew its `Aggregated`
//! row. Every file is written, with its header only when the run has
//! nothing for it, so a CI step can always pick all four up.

mod benchmarks;
mod history;
mod percentiles;
mod stats;

use std::path::Path;

use super::{Mode, Output, Source, with_suffix};

/// The four files of `--csv PREFIX`.
pub(crate) fn outputs(prefix: &Path) -> [Output; 4] {
    let output = |suffix: &str, render: fn(&Source<'_>) -> String| Output {
        origin: "--csv",
        path: with_suffix(prefix, suffix),
        render,
        mode: Mode::Replace,
    };
    [
        output("_stats.csv", stats::render_stats),
        output("_failures.csv", stats::render_failures),
        output("_stats_history.csv", history::render),
        output("_benchmarks.csv", benchmarks::render),
    ]
}

/// Rows as CSV text, quoted where a field needs it (RFC 4180).
fn to_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only on a row of the wrong length, which
    // the callers build from the header.
    let _ = writer.write_record(header);
    for row in rows {
        debug_assert_eq!(row.len(), header.len(), "{row:?}");
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Microseconds as milliseconds, three decimals.
fn ms(us: f64) -> String {
    format!("{:.3}", us / 1e3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_take_the_prefix() {
        let paths: Vec<_> = outputs(Path::new("ci/run"))
            .into_iter()
            .map(|o| o.path)
            .collect();
        assert_eq!(
            paths,
            [
                Path::new("ci/run_stats.csv"),
                Path::new("ci/run_failures.csv"),
                Path::new("ci/run_stats_history.csv"),
                Path::new("ci/run_benchmarks.csv"),
            ]
        );
    }
}
