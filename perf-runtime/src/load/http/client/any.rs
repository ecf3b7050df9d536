//! A user's connection as its target is reached: cleartext or TLS. The
//! choice is made once per request here, and each arm is the HTTP/1.1
//! exchange compiled for its own stream.

use std::time::Duration;

use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue};

use super::connection::{Connection, RawResponse};
use super::error::SendError;
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
}

impl AnyConnection {
    /// A connection (opened on first use) to `target`.
    pub(crate) fn new(target: &Target) -> Self {
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
        }
    }

    /// See [`Connection::transfer`].
    pub(crate) fn transfer(&self) -> Transfer {
        match self {
            Self::Plain(c) => c.transfer(),
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.transfer(),
        }
    }

    /// See [`Connection::setup`].
    pub(crate) fn setup(&self) -> Setup {
        match self {
            Self::Plain(c) => c.setup(),
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.setup(),
        }
    }

    /// See [`Connection::release_buffers`].
    pub(crate) fn release_buffers(&mut self) {
        match self {
            Self::Plain(c) => c.release_buffers(),
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.release_buffers(),
        }
    }

    /// See [`Connection::buffered_capacity`].
    #[cfg(test)]
    pub(crate) fn buffered_capacity(&self) -> usize {
        match self {
            Self::Plain(c) => c.buffered_capacity(),
            #[cfg(feature = "tls")]
            Self::Tls(c) => c.buffered_capacity(),
        }
    }
}
