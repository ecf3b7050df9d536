//! The socket as an exchange uses it: every byte written to it and read
//! from it is counted, so a test reports what crossed the wire (heads,
//! interim responses, chunk framing and encoded bodies as they were sent),
//! not what the response decoded to.

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The bytes one request moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Transfer {
    /// Written: the request's head and body, once per attempt.
    pub(crate) sent: u64,
    /// Read: every response head and body, whole or cut short.
    pub(crate) received: u64,
}

/// The connections one request opened (none on a kept-alive one; two
/// when a closed one was reopened for a retry), and what opening them
/// took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Setup {
    /// TCP connects made.
    pub(crate) connects: u32,
    /// Their time, in all.
    pub(crate) connect: std::time::Duration,
    /// TLS handshakes made (after a connect each).
    pub(crate) handshakes: u32,
    /// Their time, in all.
    pub(crate) handshake: std::time::Duration,
}

/// A connection's socket, counting into the transfer of the request it
/// carries. The stream is a type parameter so that the parsers reading
/// from it can be fed any bytes, split anywhere (their property tests).
pub(super) struct Wire<'a, S = TcpStream> {
    pub(super) stream: &'a mut S,
    pub(super) transfer: &'a mut Transfer,
}

impl<S: AsyncWrite + Unpin> Wire<'_, S> {
    /// Writes all of `bytes`; what was written before a failure counts.
    pub(super) async fn write_all(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            let written = self.stream.write(bytes).await?;
            if written == 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            self.transfer.sent += written as u64;
            bytes = &bytes[written..];
        }
        Ok(())
    }
}

impl<S: AsyncRead + Unpin> Wire<'_, S> {
    /// Reads what the socket has into the spare capacity of `buf`; 0 at
    /// the connection's end.
    pub(super) async fn read_buf(&mut self, buf: &mut Vec<u8>) -> std::io::Result<usize> {
        let read = self.stream.read_buf(buf).await?;
        self.transfer.received += read as u64;
        Ok(read)
    }
}
