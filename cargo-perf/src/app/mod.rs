//! One `cargo perf` run, from flags to what it found: prepared once, then
//! measured as a plain run (or against a saved baseline) or as a paired
//! comparison with a git revision, and reported; or, for `cargo perf
//! history`, a baseline's saved runs shown; or, for `cargo perf archive`,
//! the build packed for runs elsewhere; or, for `cargo perf init`, perf
//! tests added to a package.

mod archive;
mod from_archive;
mod history;
mod init;
mod merge;
mod outcome;
mod paired;
mod plain;
mod prepare;
mod prepared;
mod split;

pub use archive::run as archive;
pub use history::run as history;
pub use init::run as init;
pub use merge::run as merge;
pub use prepare::run;
pub use split::{ci, k8s};
