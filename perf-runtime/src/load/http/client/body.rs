//! Reading a response body by its framing: a length, chunks, or the
//! connection's end.

use hyper::body::Bytes;
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpStream;

use super::error::SendError;
use super::head::{MAX_HEAD, MAX_HEADERS};

/// Reads more of the response into `buf`; the server closing the
/// connection is an error.
pub(super) async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), SendError> {
    // Into the spare capacity, without zeroing it first.
    buf.reserve(16 * 1024);
    match stream.read_buf(buf).await {
        Ok(0) => Err(SendError::Io("the server closed the connection".to_owned())),
        Ok(_) => Ok(()),
        Err(e) => Err(SendError::Io(e.to_string())),
    }
}

/// Reads a body of `length` bytes that starts at `buf[start..]`.
pub(super) async fn read_length(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    start: usize,
    length: usize,
) -> Result<Bytes, SendError> {
    let end = start + length;
    while buf.len() < end {
        read_more(stream, buf).await?;
    }
    let body = Bytes::copy_from_slice(&buf[start..end]);
    buf.drain(..end);
    Ok(body)
}

/// Reads a chunked body that starts at `buf[0]`, and its trailers.
pub(super) async fn read_chunked(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> Result<Bytes, SendError> {
    let mut body = Vec::new();
    loop {
        let (offset, size) = loop {
            match httparse::parse_chunk_size(buf) {
                Ok(httparse::Status::Complete((offset, size))) => break (offset, size),
                Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                    return Err(SendError::Io(format!(
                        "a chunk-size line over {MAX_HEAD} bytes"
                    )));
                }
                Ok(httparse::Status::Partial) => read_more(stream, buf).await?,
                Err(_) => return Err(SendError::Io("a bad chunk size".to_owned())),
            }
        };
        if size == 0 {
            buf.drain(..offset);
            read_trailers(stream, buf).await?;
            return Ok(Bytes::from(body));
        }
        let size =
            usize::try_from(size).map_err(|_| SendError::Io("a chunk too large".to_owned()))?;
        // The chunk's data and its CRLF.
        while buf.len() < offset + size + 2 {
            read_more(stream, buf).await?;
        }
        if buf[offset + size..offset + size + 2] != *b"\r\n" {
            return Err(SendError::Io("a chunk longer than its size".to_owned()));
        }
        body.extend_from_slice(&buf[offset..offset + size]);
        buf.drain(..offset + size + 2);
    }
}

/// Reads the trailer section after the last chunk, up to its blank line,
/// and drops it: left in the buffer, it would be read as the next
/// response.
async fn read_trailers(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), SendError> {
    loop {
        let mut trailers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        match httparse::parse_headers(buf, &mut trailers) {
            Ok(httparse::Status::Complete((len, _))) => {
                buf.drain(..len);
                return Ok(());
            }
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                return Err(SendError::Io(format!(
                    "the trailers are over {MAX_HEAD} bytes"
                )));
            }
            Ok(httparse::Status::Partial) => read_more(stream, buf).await?,
            Err(e) => return Err(SendError::Io(format!("bad trailers: {e}"))),
        }
    }
}

/// Reads a body that ends with the connection, starting at `buf[start..]`.
pub(super) async fn read_to_close(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    start: usize,
) -> Result<Bytes, SendError> {
    loop {
        let before = buf.len();
        read_more(stream, buf).await.ok();
        if buf.len() == before {
            break;
        }
    }
    let body = Bytes::copy_from_slice(&buf[start..]);
    buf.clear();
    Ok(body)
}
