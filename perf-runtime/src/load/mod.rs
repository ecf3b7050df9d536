//! HTTP load tests: virtual users against a server, with HDR latency.

pub(crate) mod endpoint;
pub(crate) mod engine;
pub(crate) mod error;
pub(crate) mod http;
pub(crate) mod kinds;
pub(crate) mod latency;
pub(crate) mod limits;
pub(crate) mod merge;
pub(crate) mod models;
pub mod profile;
pub(crate) mod recorder;
pub(crate) mod run;
pub(crate) mod split;
pub(crate) mod user;
pub(crate) mod workers;

pub use error::{Error, RequestErrorKind, Result};
pub use http::response::Response;
#[cfg(feature = "websocket")]
pub use http::websocket::WebSocket;
pub use user::{LoadFn, RequestBuilder, User};
