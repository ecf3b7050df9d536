//! Criterion benchmarks measured and gated unchanged, through criterion's
//! external-runner protocol (the one cargo-criterion speaks): cargo perf
//! runs each bench process, criterion sends it every sample's iteration
//! count and time, and the samples become the result a perf-runtime
//! benchmark would have written. No bench file and no Cargo.toml changes.

mod error;
mod message;
mod session;
mod wire;

pub(crate) use session::{BudgetFlags, Session};
pub(crate) use wire::{Connection, Listener, PORT_ENV};
