//! How a connection's stream is opened on its TCP socket: as it is
//! (`http://`) or through a TLS handshake (`https://`). The HTTP/1.1
//! exchange is generic over it, so cleartext pays for no branch per read.

use std::future::Future;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::error::SendError;

/// Opens a connection's stream on a connected socket.
pub(crate) trait Transport {
    /// What the exchange reads and writes.
    type Stream: AsyncRead + AsyncWrite + Unpin + Send;
    /// Whether opening the stream is a handshake of its own, timed and
    /// counted apart from the TCP connect.
    const HANDSHAKE: bool;

    /// The stream on `tcp`: a handshake that fails is an error naming the
    /// host and the reason.
    fn open(&self, tcp: TcpStream) -> impl Future<Output = Result<Self::Stream, SendError>> + Send;

    /// The socket beneath the stream.
    fn socket(stream: &Self::Stream) -> &TcpStream;
}

/// Cleartext: the socket is the stream.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Plain;

impl Transport for Plain {
    type Stream = TcpStream;
    const HANDSHAKE: bool = false;

    async fn open(&self, tcp: TcpStream) -> Result<TcpStream, SendError> {
        Ok(tcp)
    }

    fn socket(stream: &TcpStream) -> &TcpStream {
        stream
    }
}
