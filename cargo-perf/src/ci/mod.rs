//! `cargo perf ci`: a GitHub Actions workflow that runs the perf tests in
//! shards on a CI matrix and merges them into one verdict.

mod workflow;

pub(crate) use workflow::workflow;
