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
mod fields;
mod files;
mod history;
mod percentiles;
mod stats;

use fields::{ms, to_csv};
pub(crate) use files::outputs;
