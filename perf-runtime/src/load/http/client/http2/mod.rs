//! HTTP/2 through h2 (perf-runtime's `http2` feature): spoken by prior
//! knowledge to an `http://` target with `--http2`, and to an `https://`
//! one whose server chooses `h2` by ALPN. Each user sends one request at a
//! time, as over HTTP/1.1; `--http2-streams N` lets up to N users of one
//! generator thread share a connection, each its own stream. A user whose
//! server answers the ALPN offer with HTTP/1.1 goes on over HTTP/1.1.

mod connection;
mod counted;
mod error;
mod exchange;
mod pool;
mod session;

pub(crate) use connection::Http2Connection;
pub(crate) use pool::{Dial, Http2Pool};
