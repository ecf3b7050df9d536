//! The load generator's HTTP side: one keep-alive connection per user,
//! what a request returns, WebSocket round trips, and what the catalogue's
//! kinds read from responses.

pub(crate) mod client;
pub(crate) mod observe;
pub(crate) mod response;
pub(crate) mod target;
pub(crate) mod trust;
#[cfg(feature = "websocket")]
pub(crate) mod websocket;
