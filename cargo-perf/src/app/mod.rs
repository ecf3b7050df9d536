//! One `cargo perf` run, from flags to what it found: prepared once, then
//! measured as a plain run (or against a saved baseline) or as a paired
//! comparison with a git revision, and reported.

mod outcome;
mod paired;
mod plain;
mod prepare;
mod prepared;

pub use prepare::run;
