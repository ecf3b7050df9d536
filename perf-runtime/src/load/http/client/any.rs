//! A user's connection as its target is reached: cleartext or TLS, HTTP/1.1
//! or HTTP/2. The choice is made once per request here, and each arm is
//! the exchange compiled for its own stream; the HTTP/2 arm's future is
//! boxed, so that it takes no room in an HTTP/1.1 user's request future.

use std::time::Duration;

use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use perf_record::load::HttpVersion;

use super::connection::{Connection, RawResponse};
use super::error::SendError;
#[cfg(feature = "http2")]
use super::http2::Http2Connection;
#[cfg(feature = "tls")]
use super::tls::Tls;
use super::transport::Plain;
use super::wire::{Setup, Transfer};
use crate::load::http::target::{Target, TargetTransport};

/// A user's connection to the target.
pub(crate) enum AnyConnection {
    /// `http://`.
    Plain(Connection<Plain>),
    /// `https://`: boxed, as the session's buffers make it the larger.
    #[cfg(feature = "tls")]
    Tls(Box<Connection<Tls>>),
    /// HTTP/2 (`--http2`, or offered to an `https://` target).
    #[cfg(feature = "http2")]
    H2(Box<Http2Connection>),
}

impl AnyConnection {
    /// A connection (opened on first use) to `target`.
    pub(crate) fn new(target: &Target) -> Self {
        #[cfg(feature = "http2")]
        if let Some(pool) = &target.http2 {
            return Self::H2(Box::new(Http2Connection::new(target, pool)));
        }
        match &target.transport {
            TargetTransport::Plain => Self::Plain(Connection::new(target.addr, Plain)),
            #[cfg(feature = "tls")]
            TargetTransport::Tls(tls) => {
                Self::Tls(Box::new(Connection::new(target.addr, tls.clone())))
            }
        }
    }

    /// See [`Connection::send`].
    pub(crate) async fn send(
        &mut self,
        method: &hyper::Method,
        path: &str,
        host: &HeaderValue,
        headers: &[(HeaderName, HeaderValue)],
        body: &Bytes,
        timeout: Duration,
    ) -> Result<RawResponse, SendError> {
        match self {
            Self::Plain(c) => c.send(method, path, host, headers, body, timeout).await,
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.send(method, path, host, headers, body, timeout).await,
            #[cfg(feature = "http2")]
            Self::H2(c) => Box::pin(c.send(method, path, host, headers, body, timeout)).await,
        }
    }

    /// The HTTP the last request spoke.
    pub(crate) fn protocol(&self) -> HttpVersion {
        #[cfg(feature = "http2")]
        if let Self::H2(c) = self {
            return c.protocol();
        }
        HttpVersion::Http1
    }

    /// See [`Connection::transfer`].
    pub(crate) fn transfer(&self) -> Transfer {
        match self {
            Self::Plain(c) => c.transfer(),
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.transfer(),
            #[cfg(feature = "http2")]
            Self::H2(c) => c.transfer(),
        }
    }

    /// See [`Connection::setup`].
    pub(crate) fn setup(&self) -> Setup {
        match self {
            Self::Plain(c) => c.setup(),
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.setup(),
            #[cfg(feature = "http2")]
            Self::H2(c) => c.setup(),
        }
    }

    /// See [`Connection::release_buffers`].
    pub(crate) fn release_buffers(&mut self) {
        match self {
            Self::Plain(c) => c.release_buffers(),
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.release_buffers(),
            #[cfg(feature = "http2")]
            Self::H2(c) => c.release_buffers(),
        }
    }

    /// See [`Connection::buffered_capacity`].
    #[cfg(test)]
    pub(crate) fn buffered_capacity(&self) -> usize {
        match self {
            Self::Plain(c) => c.buffered_capacity(),
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.buffered_capacity(),
            #[cfg(feature = "http2")]
            Self::H2(c) => c.buffered_capacity(),
        }
    }
}
