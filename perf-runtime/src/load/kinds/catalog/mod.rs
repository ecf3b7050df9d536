//! The catalogue's kinds that read more than timing: rate limits, caches,
//! N+1 queries, connection pools, timeouts, search and WebSockets. Each
//! runs a few short steps (like a sweep), watches the responses, and then
//! says what it found; each kind's analysis is in the file named after it.

mod caching;
mod n_plus_one;
mod pool;
mod probe;
mod prometheus;
mod rate_limit;
mod run;
mod search;
#[cfg(test)]
mod tests;
mod timeout;
mod websocket;

pub(crate) use run::{request_timeout, run};
