//! The exit codes of `cargo perf`, as README.md documents them. Every exit
//! goes through one of these.
//!
//! When several outcomes apply to one run, the most severe wins, in this
//! order: a fatal error (1 to 6, the run stopped), then a failed test (10),
//! a missed SLA threshold (11), a regression (12). The report names all.

/// Everything ran and nothing regressed.
pub const SUCCESS: u8 = 0;
/// A bug or an unexpected failure of the environment.
pub const INTERNAL: u8 = 1;
/// Bad flags or configuration.
pub const USAGE: u8 = 2;
/// Cargo could not build the perf targets.
pub const BUILD_FAILED: u8 = 3;
/// No perf test matched the selection.
pub const NO_TESTS: u8 = 4;
/// The server failed to start or crashed (load tests).
pub const SERVER_FAILED: u8 = 5;
/// A baseline is missing, corrupt or of an incompatible schema.
pub const BASELINE: u8 = 6;
/// A perf test failed or panicked.
pub const TEST_FAILED: u8 = 10;
/// An SLA threshold was missed (load tests).
pub const THRESHOLD_MISSED: u8 = 11;
/// Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;
/// A metric regressed beyond its threshold.
pub const REGRESSION: u8 = 12;
