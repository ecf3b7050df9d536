//! HTTP load tests: virtual users against a server, with HDR latency.

pub(crate) mod engine;
pub(crate) mod http;
pub(crate) mod kinds;
pub(crate) mod merge;
pub mod profile;
pub(crate) mod recorder;
pub(crate) mod run;
pub(crate) mod user;

pub use engine::LoadFn;
#[cfg(feature = "websocket")]
pub use http::websocket::WebSocket;
pub use user::{Error, RequestBuilder, Response, Result, User};
