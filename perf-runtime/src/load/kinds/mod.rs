//! The load-test kinds that run a series of short steps and analyse how
//! the figures change: sweeps (stress, scalability, ...) and the
//! catalogue's kinds (rate limit, caching, ...).

pub(crate) mod catalog;
mod figures;
mod smoke;
pub(crate) mod sweep;

pub(crate) use smoke::{Smoke, smoke};
