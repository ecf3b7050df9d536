//! The catalogue's kinds that read more than timing: rate limits, caches,
//! N+1 queries, connection pools, timeouts, search and WebSockets. Each
//! runs a few short steps (like a sweep), watches the responses, and then
//! says what it found: each kind's module holds its `CatalogueKind`
//! (plan, observer, per-step reading, analysis) beside its analysis, and
//! `run.rs` is the one loop they all go through.

pub(super) mod caching;
mod kind;
pub(super) mod n_plus_one;
pub(super) mod pool;
mod probe;
mod prometheus;
pub(super) mod rate_limit;
mod run;
pub(super) mod search;
#[cfg(test)]
mod tests;
pub(super) mod timeout;
pub(super) mod websocket;
