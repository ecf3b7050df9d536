//! The client against a raw-socket server that sends what real servers
//! send: each test scripts the bytes, drives the real `Connection`, and
//! checks the response or the error, and what the server received. The
//! parsers also run alone over in-memory bytes, in property tests.

#[cfg(feature = "tls")]
pub(crate) mod certs;
mod drive;
mod failures;
mod framing;
mod lengths;
mod pieces;
mod properties;
mod raw_server;
#[cfg(feature = "tls")]
mod tls;
#[cfg(feature = "tls")]
mod tls_server;
mod transfer;
