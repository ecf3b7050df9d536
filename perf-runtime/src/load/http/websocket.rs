//! WebSocket round trips from a virtual user (the `websocket` feature):
//! one socket per user, kept across iterations, so that N users hold N
//! concurrent connections. The handshake is recorded as a request
//! (`WS connect /path`, status 101), every round trip as one more
//! (`WS /path`), timed from the send to the reply. Their bytes are
//! tungstenite's and are not counted: a WebSocket test reports no
//! transfer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use crate::load::error::{Error, Result};
use crate::load::http::target::Target;
use crate::load::recorder::{RequestRecord, Session};
use perf_record::load::RequestErrorKind;

/// An open WebSocket; see [`User::websocket`](crate::User::websocket).
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

fn error(kind: RequestErrorKind, message: String) -> Error {
    Error::recorded(kind, message)
}

impl WebSocket {
    /// Whether the user's next call for `path` can keep this socket.
    pub(crate) fn reusable_for(&self, path: &str) -> bool {
        self.path == path && !self.broken
    }

    /// Opens a socket to `path` on `target`, recording the handshake in
    /// `session` as a request.
    pub(crate) async fn open(
        target: &Target,
        session: &Arc<Session>,
        timeout: Duration,
        path: &str,
    ) -> Result<WebSocket> {
        let name = format!("WS connect {path}");
        if !matches!(
            target.transport,
            crate::load::http::target::TargetTransport::Plain
        ) {
            // Cleartext bytes to a TLS port would fail in a way that names
            // nothing: say what is missing instead.
            return Err(Error::unrecorded(
                RequestErrorKind::User,
                "WebSocket tests against an https:// target (wss://) are not supported yet"
                    .to_owned(),
            ));
        }
        if let Some(observer) = session.observer() {
            observer.socket_attempted();
        }
        let url = format!(
            "ws://{}{path}",
            target.authority.to_str().unwrap_or("127.0.0.1")
        );
        let request = url.as_str().into_client_request().map_err(|e| {
            Error::unrecorded(
                RequestErrorKind::User,
                format!("invalid WebSocket path `{path}`: {e}"),
            )
        })?;
        let sent = Instant::now();
        let addr = target.addr;
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
        let session = Arc::clone(session);
        match opened {
            Ok((stream, response)) => {
                session.record(RequestRecord {
                    name: &name,
                    latency: done - sent,
                    corrected: None,
                    status: Some(response.status().as_u16()),
                    error: None,
                    at: done,
                    sent: 0,
                    received: 0,
                    setup: crate::load::http::client::Setup::default(),
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
                    error: Some((RequestErrorKind::Connect, message.clone())),
                    at: done,
                    sent: 0,
                    received: 0,
                    setup: crate::load::http::client::Setup::default(),
                });
                Err(error(RequestErrorKind::Connect, message))
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
                .map_err(|e| {
                    (
                        RequestErrorKind::Io,
                        format!("{}: sending failed: {e}", self.name),
                    )
                })?;
            loop {
                match self.stream.next().await {
                    Some(Ok(Message::Text(text))) => return Ok(text.to_string()),
                    Some(Ok(Message::Binary(bytes))) => {
                        return Ok(String::from_utf8_lossy(&bytes).into_owned());
                    }
                    Some(Ok(Message::Close(_))) | None => {
                        return Err((
                            RequestErrorKind::Io,
                            format!("{}: the server closed the socket", self.name),
                        ));
                    }
                    // Pings are answered by the stream itself.
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        return Err((RequestErrorKind::Io, format!("{}: {e}", self.name)));
                    }
                }
            }
        })
        .await
        .unwrap_or_else(|_| {
            Err((
                RequestErrorKind::Timeout,
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
            sent: 0,
            received: 0,
            setup: crate::load::http::client::Setup::default(),
        });
        self.broken = result.is_err();
        result.map_err(|(kind, message)| error(kind, message))
    }
}
