//! The connection: a request written, its response read, the bytes of
//! both counted, and the connection reopened when the server has closed
//! it.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::net::TcpStream;

use super::body::{read_chunked, read_length, read_more, read_to_close};
use super::error::SendError;
use super::head::{Framing, MAX_HEAD, parse_head, write_head};
use super::transport::{Plain, Transport};
use super::wire::{Setup, Transfer, Wire};

/// A response with its body read.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// A keep-alive connection, reopened when the server closes it, over
/// the stream its transport opens (cleartext or TLS).
pub(crate) struct Connection<T: Transport = Plain> {
    addr: SocketAddr,
    transport: T,
    stream: Option<T::Stream>,
    /// Bytes read but not consumed yet; allocated by the first read and
    /// released by [`Self::release_buffers`].
    buf: Vec<u8>,
    /// The request being written (reused while the user sends).
    out: Vec<u8>,
    /// What the last request wrote and read.
    transfer: Transfer,
    /// The connections the last request opened.
    setup: Setup,
}

impl<T: Transport> Connection<T> {
    pub(crate) fn new(addr: SocketAddr, transport: T) -> Self {
        Self {
            addr,
            transport,
            setup: Setup::default(),
            stream: None,
            buf: Vec::new(),
            out: Vec::new(),
            transfer: Transfer::default(),
        }
    }

    /// Frees the read and write buffers (4.5 KiB or more) while the user
    /// does not send: a user thinking for a second between requests would
    /// otherwise hold them all that time (10,000 such users held 170 MB).
    /// The next [`Self::send`] allocates them again. Unread bytes of an open
    /// connection are kept.
    pub(crate) fn release_buffers(&mut self) {
        if self.buf.is_empty() || self.stream.is_none() {
            self.buf = Vec::new();
        }
        self.out = Vec::new();
    }

    /// The bytes the read and write buffers hold room for.
    #[cfg(test)]
    pub(crate) fn buffered_capacity(&self) -> usize {
        self.buf.capacity() + self.out.capacity()
    }

    /// The bytes the last [`Self::send`] wrote and read, whether it
    /// succeeded or not: a request sent again on a fresh connection counts
    /// both attempts, a response cut short or timed out what arrived.
    pub(crate) fn transfer(&self) -> Transfer {
        self.transfer
    }

    /// The connections the last [`Self::send`] opened, and how long their
    /// connects and handshakes took.
    pub(crate) fn setup(&self) -> Setup {
        self.setup
    }

    /// Sends a request and reads the whole response.
    pub(crate) async fn send(
        &mut self,
        method: &hyper::Method,
        path: &str,
        host: &HeaderValue,
        headers: &[(HeaderName, HeaderValue)],
        body: &Bytes,
        timeout: Duration,
    ) -> Result<RawResponse, SendError> {
        self.out.clear();
        // Room for a usual head at once, not grown from nothing after
        // the buffer was released.
        self.out.reserve(512);
        self.transfer = Transfer::default();
        self.setup = Setup::default();
        write_head(&mut self.out, method, path, host, headers, body.len());
        let head_only = method == hyper::Method::HEAD;
        // RFC 9110 9.2.2: only these may be repeated without asking.
        let idempotent = method.is_idempotent();
        let result = tokio::time::timeout(timeout, async {
            if !idempotent && self.stream.as_ref().is_some_and(|s| !is_idle(T::socket(s))) {
                // Such a request is never sent twice, so it is sent only
                // on a connection not known to be closed: this costs one
                // read attempt.
                self.stream = None;
            }
            // A kept-alive connection the server closed in the meantime
            // fails on first use, before any byte of a response: an
            // idempotent request is sent again on a fresh one. Never
            // after part of a response (the server acted on it), never
            // another method (the server may have acted on it).
            // One call site in a loop: two would each keep room for an
            // exchange in every user's request future.
            let mut reused = self.stream.is_some();
            loop {
                match self.exchange(body, head_only, timeout).await {
                    Err(Failure::Unanswered(_)) if reused && idempotent => {
                        self.stream = None;
                        reused = false;
                    }
                    other => break other,
                }
            }
            .map_err(Failure::into_error)
        })
        .await;
        match result {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) => {
                self.stream = None;
                Err(error)
            }
            Err(_) => {
                // The late response may still arrive on this connection.
                self.stream = None;
                Err(SendError::Timeout)
            }
        }
    }

    async fn exchange(
        &mut self,
        body: &Bytes,
        head_only: bool,
        timeout: Duration,
    ) -> Result<RawResponse, Failure> {
        if self.stream.is_none() {
            let started = Instant::now();
            // Boxed: a connect happens once a connection, and inline its
            // future would take room in every user's request future.
            let connect = Box::pin(tokio::time::timeout(timeout, TcpStream::connect(self.addr)));
            let stream = connect
                .await
                .map_err(|_| {
                    SendError::Connect(format!(
                        "connecting to {} timed out after {timeout:?}",
                        self.addr
                    ))
                })?
                .map_err(|e| SendError::Connect(format!("cannot connect to {}: {e}", self.addr)))?;
            let _ = stream.set_nodelay(true);
            let connected = Instant::now();
            self.setup.connects += 1;
            self.setup.connect += connected - started;
            // Within the request's timeout, which the caller applies.
            // Boxed likewise: a TLS handshake's future is larger still.
            let stream = Box::pin(self.transport.open(stream)).await?;
            if T::HANDSHAKE {
                self.setup.handshakes += 1;
                self.setup.handshake += connected.elapsed();
            }
            self.stream = Some(stream);
            self.buf.clear();
        }
        let Some(stream) = self.stream.as_mut() else {
            return Err(SendError::Io("no connection".to_owned()).into());
        };
        let wire = &mut Wire {
            stream,
            transfer: &mut self.transfer,
        };
        let io = |e: std::io::Error| Failure::Unanswered(SendError::Io(e.to_string()));
        wire.write_all(&self.out).await.map_err(io)?;
        if !body.is_empty() {
            wire.write_all(body).await.map_err(io)?;
        }
        // The head. Interim (1xx) heads come before it, `100 Continue`
        // and `103 Early Hints` unasked from some servers: they are not
        // the response, and the latency runs to the final one.
        let mut answered = false;
        let head = loop {
            let Some(head) = parse_head(&self.buf)? else {
                if self.buf.len() > MAX_HEAD {
                    return Err(SendError::Io(format!(
                        "the response head is over {MAX_HEAD} bytes"
                    ))
                    .into());
                }
                read_more(wire, &mut self.buf)
                    .await
                    .map_err(|error| match answered {
                        true => Failure::Answered(error),
                        false => Failure::Unanswered(error),
                    })?;
                answered = true;
                continue;
            };
            match head.status {
                // The request asked for no upgrade: what follows is not
                // HTTP/1.1.
                101 => {
                    return Err(SendError::Io(
                        "the server switched protocols (101) unasked".to_owned(),
                    )
                    .into());
                }
                100..=199 => {
                    self.buf.drain(..head.len);
                }
                _ => break head,
            }
        };
        // The body.
        let status = head.status;
        let no_body = head_only || status == 204 || status == 304;
        let body = if no_body {
            self.buf.drain(..head.len);
            Bytes::new()
        } else {
            match head.framing {
                Framing::Length(length) => {
                    read_length(wire, &mut self.buf, head.len, length).await?
                }
                Framing::Chunked => {
                    self.buf.drain(..head.len);
                    read_chunked(wire, &mut self.buf).await?
                }
                Framing::UntilClose => {
                    let body = read_to_close(wire, &mut self.buf, head.len).await?;
                    self.stream = None;
                    body
                }
            }
        };
        // Bytes after the response answer no request: whatever the
        // server meant, they are not the next request's response.
        if head.close || !self.buf.is_empty() {
            self.stream = None;
        }
        Ok(RawResponse {
            status,
            headers: head.headers,
            body,
        })
    }
}

/// Whether an idle kept-alive connection can carry a request: the server
/// has not closed or reset it, nor sent bytes no request asked for (a 408
/// before closing). Readiness not yet seen by the reactor reads as idle,
/// so this narrows the race with a server's keep-alive timeout; it does
/// not close it.
fn is_idle(stream: &TcpStream) -> bool {
    matches!(
        stream.try_read(&mut [0; 1]),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    )
}

/// An exchange that failed, by whether the server had sent any byte of a
/// response: only an unanswered request may be sent again.
enum Failure {
    Unanswered(SendError),
    Answered(SendError),
}

impl Failure {
    fn into_error(self) -> SendError {
        match self {
            Self::Unanswered(error) | Self::Answered(error) => error,
        }
    }
}

/// Errors after the first byte of a response, and those that are the
/// client's own (a connection that cannot be made is not retried).
impl From<SendError> for Failure {
    fn from(error: SendError) -> Self {
        Self::Answered(error)
    }
}
