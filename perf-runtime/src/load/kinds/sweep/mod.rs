//! Sweeps: a test that runs one short step per level (users, payload
//! bytes, page) or phase, then reads how the figures change from step to
//! step; and the kinds that are a single run (response time, soak).

mod analysis;
mod kind;
mod run;
mod single;

pub(crate) use kind::{Single, Sweep};
