//! Measuring: the jobs of a run (a test on one side, in one process or
//! round), run one at a time by one scheduler, and their results finished
//! into one record per test.

pub mod deadline;
pub mod draw;
pub mod finish;
pub mod instructions;
pub mod job;
pub mod options;
pub mod paired;
pub mod process;
pub mod progress;
pub mod scheduler;
pub mod scratch;
pub mod side;
pub mod worktree;
