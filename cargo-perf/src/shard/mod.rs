//! `--shard hash:I/N` and `--shard count:I/N`: a deterministic share of the
//! selected tests, so that a CI matrix runs a suite on N machines, each
//! shard a whole run of its own (its comparison included), and `cargo
//! perf merge` makes one run of their records.

mod identity;
mod partition;
mod spec;

pub use identity::run_hash;
pub use partition::deal;
pub use spec::ShardSpec;
