//! Judging: each metric's change against a baseline or the base revision,
//! its interval, and the verdict.

pub mod compare;
pub mod estimate;
