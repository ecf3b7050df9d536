//! One HTTP/1.1 connection per virtual user, straight on hyper: the load
//! generator's hot path, where reqwest's conveniences would cost about
//! 2.7 times the CPU per request.

use std::net::SocketAddr;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Why a request failed, by the kinds the report counts.
#[derive(Debug)]
pub(crate) enum SendError {
    /// No connection could be made.
    Connect(String),
    /// No response within the timeout.
    Timeout,
    /// The connection broke mid-request.
    Io(String),
}

/// A response with its body read.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: hyper::HeaderMap,
    pub(crate) body: Bytes,
}

/// A keep-alive connection, reopened when the server closes it.
pub(crate) struct Connection {
    addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Connection {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        Self { addr, sender: None }
    }

    async fn open(
        &mut self,
        timeout: Duration,
    ) -> Result<&mut SendRequest<Full<Bytes>>, SendError> {
        let usable = self.sender.as_ref().is_some_and(|s| !s.is_closed());
        if !usable {
            let stream = tokio::time::timeout(timeout, TcpStream::connect(self.addr))
                .await
                .map_err(|_| {
                    SendError::Connect(format!(
                        "connecting to {} timed out after {timeout:?}",
                        self.addr
                    ))
                })?
                .map_err(|e| SendError::Connect(format!("cannot connect to {}: {e}", self.addr)))?;
            let _ = stream.set_nodelay(true);
            let (sender, connection) =
                http1::handshake(TokioIo::new(stream)).await.map_err(|e| {
                    SendError::Connect(format!("HTTP handshake with {} failed: {e}", self.addr))
                })?;
            tokio::spawn(async move {
                // The connection ends when the user drops its sender or the
                // server closes it; either way there is nothing to report.
                let _ = connection.await;
            });
            self.sender = Some(sender);
        }
        self.sender
            .as_mut()
            .ok_or_else(|| SendError::Io("no connection".to_owned()))
    }

    /// Sends a request and reads the whole response.
    pub(crate) async fn send(
        &mut self,
        request: hyper::Request<Full<Bytes>>,
        timeout: Duration,
    ) -> Result<RawResponse, SendError> {
        let result = tokio::time::timeout(timeout, async {
            let sender = self.open(timeout).await?;
            sender
                .ready()
                .await
                .map_err(|e| SendError::Io(e.to_string()))?;
            let response = sender
                .send_request(request)
                .await
                .map_err(|e| SendError::Io(e.to_string()))?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| SendError::Io(e.to_string()))?
                .to_bytes();
            Ok(RawResponse {
                status: parts.status.as_u16(),
                headers: parts.headers,
                body,
            })
        })
        .await;
        match result {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) => {
                self.sender = None;
                Err(error)
            }
            Err(_) => {
                // The connection may still carry the late response: drop it.
                self.sender = None;
                Err(SendError::Timeout)
            }
        }
    }
}
