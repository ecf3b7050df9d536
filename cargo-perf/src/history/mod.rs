//! A baseline's history: every `--save-baseline NAME` keeps its run in
//! `NAME/` beside `NAME.json`; `cargo perf history NAME` shows each metric
//! across those runs and the step changes in it, and `--compare NAME` takes
//! their spread as the drift between runs (each metric's own, and the
//! benchmarks' spread around each run's level, pooled).
//!
//! Reports draw from [`load`] (or [`load_named`]): the runs, and per test
//! and metric the series of values with intervals and the steps found, all
//! `Serialize`.

pub mod metric;
pub mod pooled;
pub mod print;
pub mod series;
pub mod spread;
pub mod store;
pub mod trend;

pub use pooled::pooled;
pub use series::{History, Point, SavedRun, Series, Step, TestHistory, load, load_named};
pub use spread::drift;
