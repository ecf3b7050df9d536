//! HTTP load tests: virtual users against a server, with HDR latency.

pub(crate) mod catalog;
pub(crate) mod client;
pub(crate) mod engine;
pub(crate) mod merge;
pub(crate) mod observe;
pub mod profile;
pub(crate) mod recorder;
pub(crate) mod response;
pub(crate) mod run;
pub(crate) mod sweep;
pub(crate) mod user;
#[cfg(feature = "websocket")]
pub(crate) mod websocket;

pub use engine::LoadFn;
pub use user::{Error, RequestBuilder, Response, Result, User};
#[cfg(feature = "websocket")]
pub use websocket::WebSocket;
