//! WebSocket round trips from a virtual user (the `websocket` feature):
//! one socket per user, kept across iterations, so that N users hold N
//! concurrent connections. The handshake is recorded as a request
//! (`WS connect /path`, status 101), every round trip as one more
//! (`WS /path`), timed from the send to the reply.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use crate::load::recorder::{RequestRecord, Session};
use crate::load::user::{Error, Result, User};

/// An open WebSocket; see [`User::websocket`].
pub struct WebSocket {
    path: String,
    name: String,
    stream: WebSocketStream<TcpStream>,
    session: Arc<Session>,
    timeout: Duration,
    /// A round trip failed: the next `User::websocket` opens a new one.
    broken: bool,
}

impl std::fmt::Debug for WebSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSocket")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn error(kind: &'static str, message: String) -> Error {
    Error::recorded(kind, message)
}

impl User {
    /// This user's WebSocket to `path` (`/ws/echo`), opened on first use
    /// and kept for the user's later iterations; a failed socket is
    /// reopened on the next call. A failed handshake is a `connect` error.
    ///
    /// ```no_run
    /// # use perf_runtime::{perf_test, User};
    /// #[perf_test(websocket(connections = [1, 8, 32], step = "2s"))]
    /// async fn echo(user: &mut User) -> perf_runtime::Result<()> {
    ///     let reply = user.websocket("/ws/echo").await?.round_trip("ping").await?;
    ///     assert_eq!(reply, "ping");
    ///     Ok(())
    /// }
    /// # fn main() {}
    /// ```
    pub async fn websocket(&mut self, path: &str) -> Result<&mut WebSocket> {
        let reuse = self
            .socket
            .as_ref()
            .is_some_and(|s| s.path == path && !s.broken);
        if !reuse {
            self.socket = None;
            let socket = self.open_websocket(path).await?;
            self.socket = Some(socket);
        }
        Ok(self.socket.as_mut().expect("opened just above"))
    }

    async fn open_websocket(&mut self, path: &str) -> Result<WebSocket> {
        let name = format!("WS connect {path}");
        if let Some(observer) = self.session().observer() {
            observer.socket_attempted();
        }
        let url = format!(
            "ws://{}{path}",
            self.target().authority.to_str().unwrap_or("127.0.0.1")
        );
        let request = url.as_str().into_client_request().map_err(|e| {
            Error::unrecorded("user", format!("invalid WebSocket path `{path}`: {e}"))
        })?;
        let timeout = self.timeout();
        let sent = Instant::now();
        let addr = self.target().addr;
        let opened = tokio::time::timeout(timeout, async {
            let stream = TcpStream::connect(addr)
                .await
                .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
            let _ = stream.set_nodelay(true);
            tokio_tungstenite::client_async(request, stream)
                .await
                .map_err(|e| format!("the WebSocket handshake for {path} failed: {e}"))
        })
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "the WebSocket handshake for {path} timed out after {timeout:?}"
            ))
        });
        let done = Instant::now();
        let session = Arc::clone(self.session());
        match opened {
            Ok((stream, response)) => {
                session.record(RequestRecord {
                    name: &name,
                    latency: done - sent,
                    corrected: None,
                    status: Some(response.status().as_u16()),
                    error: None,
                    at: done,
                });
                if let Some(observer) = session.observer() {
                    observer.socket_opened();
                }
                Ok(WebSocket {
                    path: path.to_owned(),
                    name: format!("WS {path}"),
                    stream,
                    session,
                    timeout,
                    broken: false,
                })
            }
            Err(message) => {
                session.record(RequestRecord {
                    name: &name,
                    latency: done - sent,
                    corrected: None,
                    status: None,
                    error: Some(("connect", message.clone())),
                    at: done,
                });
                Err(error("connect", message))
            }
        }
    }
}

impl WebSocket {
    /// Sends a text message and waits for the next text or binary message
    /// back: one recorded round trip.
    pub async fn round_trip(&mut self, message: impl Into<String>) -> Result<String> {
        let message = message.into();
        let sent = Instant::now();
        let result = tokio::time::timeout(self.timeout, async {
            self.stream
                .send(Message::text(message))
                .await
                .map_err(|e| ("io", format!("{}: sending failed: {e}", self.name)))?;
            loop {
                match self.stream.next().await {
                    Some(Ok(Message::Text(text))) => return Ok(text.to_string()),
                    Some(Ok(Message::Binary(bytes))) => {
                        return Ok(String::from_utf8_lossy(&bytes).into_owned());
                    }
                    Some(Ok(Message::Close(_))) | None => {
                        return Err(("io", format!("{}: the server closed the socket", self.name)));
                    }
                    // Pings are answered by the stream itself.
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(("io", format!("{}: {e}", self.name))),
                }
            }
        })
        .await
        .unwrap_or_else(|_| {
            Err((
                "timeout",
                format!("{}: no reply within {:?}", self.name, self.timeout),
            ))
        });
        let done = Instant::now();
        self.session.record(RequestRecord {
            name: &self.name,
            latency: done - sent,
            corrected: None,
            status: None,
            error: result.as_ref().err().cloned(),
            at: done,
        });
        self.broken = result.is_err();
        result.map_err(|(kind, message)| error(kind, message))
    }
}
