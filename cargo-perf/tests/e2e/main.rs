//! End-to-end tests: the real `cargo-perf` binary on temp copies of the
//! fixture projects, with real cargo builds in one shared target dir.

#![expect(
    clippy::unwrap_used,
    reason = "a test that cannot go on should stop with a backtrace"
)]

mod archive;
mod baselines;
mod catalog;
mod criterion;
mod divan_crate;
mod errors;
mod exports;
mod faults;
mod gate;
mod harness;
mod history;
mod html;
mod init;
mod inputs;
mod interrupts;
mod load;
mod paired;
mod selection;
mod servers;
mod shards;
mod snapshots;
mod split;
mod support;
mod workload;
