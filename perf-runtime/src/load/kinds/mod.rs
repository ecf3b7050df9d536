//! The load-test kinds that run a series of short steps and analyse how
//! the figures change: sweeps (stress, scalability, ...) and the
//! catalogue's kinds (rate limit, caching, ...). `runner.rs` has the one
//! line per kind that says which runner runs it.

mod catalog;
mod figures;
mod kind_run;
mod runner;
mod smoke;
mod sweep;

pub(crate) use runner::{runner, smoke};
pub(crate) use smoke::Smoke;
