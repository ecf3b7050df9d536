//! A load split over several generators (`--split I/N --start-at T`):
//! the share a run measures, the shared starts of its load tests and what
//! its record says about it.

mod plan;

pub use plan::SplitRun;
pub(crate) use plan::resolve;
