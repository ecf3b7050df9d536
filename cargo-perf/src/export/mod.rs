//! The files a run writes for people and CI systems besides its record:
//! each one drawn from the same run record and comparison, each written
//! whole or not at all.

mod advice;
mod benchmark_action;
mod bmf;
mod csv;
mod gate_text;
mod github_summary;
mod html;
mod junit;
mod output;
mod prefix;
mod write;

pub(crate) use advice::{Finding, findings};
pub(crate) use output::{Mode, Output, Source};
pub(crate) use write::{check, write_all};
