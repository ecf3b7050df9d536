//! The data that `cargo perf` and the perf-runtime harness exchange.
//!
//! This crate is deliberately light (serde only): the `cargo-perf`
//! subcommand reads results and baselines through it without compiling the
//! harness, tokio or an HTTP client, and the `#[perf_test]` macro checks
//! durations and percentages with the same parser the runtime uses for
//! `Cargo.toml` and the command line.

pub mod attr;
pub mod calibration;
pub mod distribution;
pub mod finding;
pub mod format;
pub mod kinds;
pub mod load;
pub mod metric;
pub mod overrides;
pub mod procfs;
pub mod protocol;
pub mod ratio;
pub mod record;
pub mod shard;
pub mod split;
pub mod stats;
pub mod stop;
pub mod target;
pub mod threshold;
pub mod units;

pub use protocol::{ListedTest, Listing, TestConfig, TestKind, TestOutcome, TestResult};
pub use record::{Environment, InstructionCount, RunRecord, TestId, TestRecord};
pub use stats::{BenchStats, Outliers};
pub use stop::StopReason;
pub use units::{UnitError, parse_bytes, parse_duration, parse_percent};
