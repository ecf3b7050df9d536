//! A user's side of HTTP/2: its requests on its group's connection (opened
//! by whichever member sends first), or, once a server chose HTTP/1.1 when
//! offered both, on its own HTTP/1.1 connection.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use perf_record::load::HttpVersion;

use super::counted::Counts;
use super::exchange::{Failure, request, round_trip};
use super::pool::{Group, Http2Pool};
use super::session::{Opened, open};
#[cfg(feature = "tls")]
use crate::load::http::client::connection::Connection;
use crate::load::http::client::connection::RawResponse;
use crate::load::http::client::error::SendError;
#[cfg(feature = "tls")]
use crate::load::http::client::tls::Tls;
use crate::load::http::client::wire::{Setup, Transfer};
use crate::load::http::target::Target;
#[cfg(feature = "tls")]
use crate::load::http::target::TargetTransport;

/// A user's connection to an HTTP/2 target.
pub(crate) struct Http2Connection {
    pool: Arc<Http2Pool>,
    group: Arc<Group>,
    addr: SocketAddr,
    /// The TLS an HTTP/1.1 connection is opened with (offering only
    /// `http/1.1`), should the server choose it.
    #[cfg(feature = "tls")]
    http1_tls: Option<Tls>,
    /// This user's HTTP/1.1 connection, once the server chose HTTP/1.1.
    #[cfg(feature = "tls")]
    http1: Option<Box<Connection<Tls>>>,
    /// What the connection the last request used counts.
    counts: Option<Arc<Counts>>,
    /// What the last request wrote and read.
    transfer: Transfer,
    /// The connection the last request opened.
    setup: Setup,
}

impl Http2Connection {
    /// A user of `pool`, `target`'s connections; it joins a group now.
    pub(crate) fn new(target: &Target, pool: &Arc<Http2Pool>) -> Self {
        Self {
            pool: Arc::clone(pool),
            group: pool.join(),
            addr: target.addr,
            #[cfg(feature = "tls")]
            http1_tls: match &target.transport {
                TargetTransport::Tls(tls) => Some(tls.clone()),
                TargetTransport::Plain => None,
            },
            #[cfg(feature = "tls")]
            http1: None,
            counts: None,
            transfer: Transfer::default(),
            setup: Setup::default(),
        }
    }

    /// The HTTP the last request spoke.
    pub(crate) fn protocol(&self) -> HttpVersion {
        #[cfg(feature = "tls")]
        if self.http1.is_some() {
            return HttpVersion::Http1;
        }
        HttpVersion::H2
    }

    /// The bytes the last request moved: those its connection moved since
    /// the request before on it ended (see `Counts::claim`).
    pub(crate) fn transfer(&self) -> Transfer {
        #[cfg(feature = "tls")]
        if let Some(http1) = &self.http1 {
            return http1.transfer();
        }
        self.transfer
    }

    /// The connection the last request opened, if any.
    pub(crate) fn setup(&self) -> Setup {
        #[cfg(feature = "tls")]
        if let Some(http1) = &self.http1 {
            return http1.setup().and(self.setup);
        }
        self.setup
    }

    /// Frees the HTTP/1.1 connection's buffers, if it has one; an HTTP/2
    /// connection keeps none of its own between requests.
    pub(crate) fn release_buffers(&mut self) {
        #[cfg(feature = "tls")]
        if let Some(http1) = &mut self.http1 {
            http1.release_buffers();
        }
    }

    /// The bytes the HTTP/1.1 connection's buffers hold room for.
    #[cfg(test)]
    pub(crate) fn buffered_capacity(&self) -> usize {
        #[cfg(feature = "tls")]
        if let Some(http1) = &self.http1 {
            return http1.buffered_capacity();
        }
        0
    }

    /// Sends a request and reads the whole response, within `timeout`.
    pub(crate) async fn send(
        &mut self,
        method: &hyper::Method,
        path: &str,
        host: &HeaderValue,
        headers: &[(HeaderName, HeaderValue)],
        body: &Bytes,
        timeout: Duration,
    ) -> Result<RawResponse, SendError> {
        self.setup = Setup::default();
        #[cfg(feature = "tls")]
        if let Some(http1) = &mut self.http1 {
            return http1.send(method, path, host, headers, body, timeout).await;
        }
        let result = tokio::time::timeout(
            timeout,
            self.exchange(method, path, host, headers, body, timeout),
        )
        .await
        .unwrap_or(Err(SendError::Timeout));
        // A timed-out request's stream is reset (dropped); its connection
        // goes on.
        self.transfer = self
            .counts
            .as_ref()
            .map_or_else(Transfer::default, |c| c.claim());
        result
    }

    async fn exchange(
        &mut self,
        method: &hyper::Method,
        path: &str,
        host: &HeaderValue,
        headers: &[(HeaderName, HeaderValue)],
        body: &Bytes,
        timeout: Duration,
    ) -> Result<RawResponse, SendError> {
        // A request on a kept connection that closed before taking it is
        // sent once more, on a fresh one: never one that may have reached
        // the server.
        let (mut fresh, mut again) = (false, true);
        // Only an HTTP/1.1 connection, after ALPN, sends it: HTTP/2's
        // `:authority` is the pool's.
        #[cfg(not(feature = "tls"))]
        let _ = host;
        loop {
            let live = {
                let mut slot = self.group.live.lock().await;
                match slot.as_ref().filter(|live| !live.counts.is_closed()) {
                    Some(live) => live.clone(),
                    None => {
                        *slot = None;
                        fresh = true;
                        match open(&self.pool, self.addr, timeout, &mut self.setup).await? {
                            Opened::H2(live) => slot.insert(live).clone(),
                            #[cfg(feature = "tls")]
                            Opened::Http1(stream) => {
                                drop(slot);
                                return self
                                    .go_on_over_http1(
                                        stream, method, path, host, headers, body, timeout,
                                    )
                                    .await;
                            }
                        }
                    }
                }
            };
            self.counts = Some(Arc::clone(&live.counts));
            let request = request(&self.pool, method, path, headers, body.len())?;
            match round_trip(live.send, request, body).await {
                Ok(response) => return Ok(response),
                Err(Failure::Unsent(_)) if again && !fresh => {
                    again = false;
                    let mut slot = self.group.live.lock().await;
                    if slot
                        .as_ref()
                        .is_some_and(|l| Arc::ptr_eq(&l.counts, &live.counts))
                    {
                        *slot = None;
                    }
                }
                Err(Failure::Unsent(error) | Failure::Sent(error)) => return Err(error),
            }
        }
    }

    /// The server chose HTTP/1.1 on `stream`: this user goes on over it,
    /// with this request first.
    #[cfg(feature = "tls")]
    #[expect(
        clippy::too_many_arguments,
        reason = "the request's parts, passed on as `Connection::send` takes them"
    )]
    async fn go_on_over_http1(
        &mut self,
        stream: Box<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>,
        method: &hyper::Method,
        path: &str,
        host: &HeaderValue,
        headers: &[(HeaderName, HeaderValue)],
        body: &Bytes,
        timeout: Duration,
    ) -> Result<RawResponse, SendError> {
        let Some(tls) = self.http1_tls.clone() else {
            return Err(SendError::Io("no TLS to go on with".to_owned()));
        };
        let http1 = self
            .http1
            .insert(Box::new(Connection::opened(self.addr, tls, *stream)));
        Box::pin(http1.send(method, path, host, headers, body, timeout)).await
    }
}
