//! Judging: the thresholds that apply, each metric's change against a
//! baseline or the base revision with its interval, the verdict, when a
//! comparison has measured enough, and the confirming re-run.

pub mod compare;
pub mod comparison;
pub mod confirm;
pub mod drift;
pub mod estimate;
pub mod gate;
pub mod machine;
pub mod noise;
pub mod shift;
pub mod stopping;
pub mod thresholds;
