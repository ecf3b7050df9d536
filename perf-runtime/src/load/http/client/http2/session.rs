//! Opening an HTTP/2 connection: the TCP connect and TLS handshake timed
//! and counted as over HTTP/1.1, the protocol the server chose, and h2's
//! handshake, whose connection task is spawned on this thread's runtime.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::body::Bytes;
use tokio::io::{AsyncRead, AsyncWrite};
#[cfg(feature = "tls")]
use tokio::net::TcpStream;

use super::counted::{Counted, Counts};
use super::error::from_h2;
use super::pool::{Dial, Http2Pool, Live};
use crate::load::http::client::error::SendError;
#[cfg(feature = "tls")]
use crate::load::http::client::transport::Transport as _;
use crate::load::http::client::transport::connect;
use crate::load::http::client::wire::Setup;

/// The flow-control window of each stream: a response of up to 2 MiB
/// arrives without waiting for the client to grant more (h2's default,
/// 64 KiB, would cost a round trip every 64 KiB of a large body).
const STREAM_WINDOW: u32 = 2 << 20;
/// The window of the whole connection, for several streams' bodies.
const CONNECTION_WINDOW: u32 = 8 << 20;

/// A connection, opened.
pub(super) enum Opened {
    /// Speaking HTTP/2.
    H2(Live),
    /// A TLS session whose server chose HTTP/1.1 (or no protocol) when
    /// offered `h2` and `http/1.1`.
    #[cfg(feature = "tls")]
    Http1(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

/// Opens a connection to `addr` as `pool` says, its connect and handshake
/// counted and timed into `setup`.
pub(super) async fn open(
    pool: &Http2Pool,
    addr: SocketAddr,
    timeout: Duration,
    setup: &mut Setup,
) -> Result<Opened, SendError> {
    let started = Instant::now();
    let tcp = Box::pin(connect(addr, timeout)).await?;
    let connected = Instant::now();
    setup.connects += 1;
    setup.connect += connected - started;
    match &pool.dial {
        Dial::Plain => start(tcp).await.map(Opened::H2),
        #[cfg(feature = "tls")]
        Dial::Tls(tls) => {
            let stream = Box::pin(tls.open(tcp)).await?;
            setup.handshakes += 1;
            setup.handshake += connected.elapsed();
            match stream.get_ref().1.alpn_protocol() {
                Some(b"h2") => start(stream).await.map(Opened::H2),
                _ if pool.only => Err(SendError::Tls(format!(
                    "the TLS handshake with {} agreed on no HTTP/2 (ALPN `h2`), which --http2 asks for",
                    tls.host()
                ))),
                _ => Ok(Opened::Http1(Box::new(stream))),
            }
        }
    }
}

/// HTTP/2 on `stream`: h2's handshake writes the preface and settings
/// without waiting for the server's, and its connection task, spawned on
/// this thread's runtime, frames what the users send, reads for them, and
/// ends when the connection closes or no user holds it any more.
async fn start<S>(stream: S) -> Result<Live, SendError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let counts = Arc::new(Counts::default());
    let io = Counted::new(stream, Arc::clone(&counts));
    let mut builder = h2::client::Builder::new();
    builder
        .enable_push(false)
        .initial_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW);
    let (send, connection) = builder
        .handshake::<_, Bytes>(io)
        .await
        .map_err(|e| from_h2(&e))?;
    let ended = Ended(Arc::clone(&counts));
    tokio::spawn(async move {
        let _ended = ended;
        // Its error is every request's on it, which each reports.
        let _ = connection.await;
    });
    Ok(Live { send, counts })
}

/// Marks the connection closed when its task ends, or is dropped with its
/// runtime.
struct Ended(Arc<Counts>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.close();
    }
}
