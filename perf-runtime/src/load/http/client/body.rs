//! Reading a response body by its framing: a length, chunks, or the
//! connection's end.

use hyper::body::Bytes;
use tokio::io::AsyncRead;

use super::error::SendError;
use super::head::{MAX_HEAD, MAX_HEADERS};
use super::wire::Wire;

/// The largest body or chunk a buffer can hold: a larger length is the
/// server's error, not an overflow of the user's arithmetic.
const MAX_BODY: usize = isize::MAX.unsigned_abs();

/// `length` as a buffer size, when a buffer can hold it.
fn bufferable(length: u64) -> Option<usize> {
    usize::try_from(length).ok().filter(|&l| l <= MAX_BODY)
}

/// Reads more of the response into `buf`; the server closing the
/// connection is an error.
pub(super) async fn read_more<S: AsyncRead + Unpin>(
    wire: &mut Wire<'_, S>,
    buf: &mut Vec<u8>,
) -> Result<(), SendError> {
    // Into the spare capacity, without zeroing it first: 4 KiB for a
    // first read (most responses fit; a user waiting on its response holds
    // it), then as much as the buffer holds already, so that a large body
    // is read in ever larger reads.
    buf.reserve(buf.len().max(4 * 1024));
    match wire.read_buf(buf).await {
        Ok(0) => Err(SendError::Io("the server closed the connection".to_owned())),
        Ok(_) => Ok(()),
        Err(e) => Err(SendError::Io(e.to_string())),
    }
}

/// Reads a body of `length` bytes that starts at `buf[start..]`.
pub(super) async fn read_length<S: AsyncRead + Unpin>(
    wire: &mut Wire<'_, S>,
    buf: &mut Vec<u8>,
    start: usize,
    length: u64,
) -> Result<Bytes, SendError> {
    let end = bufferable(length)
        .and_then(|length| start.checked_add(length))
        .ok_or_else(|| {
            SendError::Io(format!(
                "a Content-Length of {length} bytes, more than a buffer holds"
            ))
        })?;
    while buf.len() < end {
        read_more(wire, buf).await?;
    }
    let body = Bytes::copy_from_slice(&buf[start..end]);
    buf.drain(..end);
    Ok(body)
}

/// Reads a chunked body that starts at `buf[0]`, and its trailers.
pub(super) async fn read_chunked<S: AsyncRead + Unpin>(
    wire: &mut Wire<'_, S>,
    buf: &mut Vec<u8>,
) -> Result<Bytes, SendError> {
    let mut body = Vec::new();
    loop {
        let (offset, size) = loop {
            match httparse::parse_chunk_size(buf) {
                Ok(httparse::Status::Complete((offset, size)))
                    if strict_size_line(&buf[..offset]) =>
                {
                    break (offset, size);
                }
                Ok(httparse::Status::Complete(_)) => {
                    return Err(SendError::Io("a bad chunk size".to_owned()));
                }
                Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                    return Err(SendError::Io(format!(
                        "a chunk-size line over {MAX_HEAD} bytes"
                    )));
                }
                Ok(httparse::Status::Partial) => read_more(wire, buf).await?,
                Err(_) => return Err(SendError::Io("a bad chunk size".to_owned())),
            }
        };
        if size == 0 {
            buf.drain(..offset);
            read_trailers(wire, buf).await?;
            return Ok(Bytes::from(body));
        }
        // The chunk's data, then its CRLF.
        let (data_end, end) = bufferable(size)
            .and_then(|size| offset.checked_add(size))
            .and_then(|data_end| Some((data_end, data_end.checked_add(2)?)))
            .ok_or_else(|| {
                SendError::Io(format!("a chunk of {size} bytes, more than a buffer holds"))
            })?;
        while buf.len() < end {
            read_more(wire, buf).await?;
        }
        if buf[data_end..end] != *b"\r\n" {
            return Err(SendError::Io("a chunk longer than its size".to_owned()));
        }
        body.extend_from_slice(&buf[offset..data_end]);
        buf.drain(..end);
    }
}

/// Whether a chunk-size line httparse read is one RFC 9112 (7.1) allows:
/// httparse takes a line with no digits (`\r\n`, `;ext\r\n`) as size 0,
/// the last chunk, which ends a body early and leaves the rest of it to
/// be read as the next response; and it takes a line break inside an
/// extension.
fn strict_size_line(line: &[u8]) -> bool {
    let before_crlf = &line[..line.len().saturating_sub(2)];
    line.first().is_some_and(u8::is_ascii_hexdigit) && !before_crlf.contains(&b'\n')
}

/// Reads the trailer section after the last chunk, up to its blank line,
/// and drops it: left in the buffer, it would be read as the next
/// response.
async fn read_trailers<S: AsyncRead + Unpin>(
    wire: &mut Wire<'_, S>,
    buf: &mut Vec<u8>,
) -> Result<(), SendError> {
    loop {
        // Parsed in a call of its own: its 2 KiB of header slots would
        // otherwise be held across the read below, in every user's future.
        match parse_trailers(buf) {
            Ok(httparse::Status::Complete(len)) => {
                buf.drain(..len);
                return Ok(());
            }
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                return Err(SendError::Io(format!(
                    "the trailers are over {MAX_HEAD} bytes"
                )));
            }
            Ok(httparse::Status::Partial) => read_more(wire, buf).await?,
            Err(e) => return Err(SendError::Io(format!("bad trailers: {e}"))),
        }
    }
}

/// The trailer section's length once it is complete.
fn parse_trailers(buf: &[u8]) -> Result<httparse::Status<usize>, httparse::Error> {
    let mut trailers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    Ok(match httparse::parse_headers(buf, &mut trailers)? {
        httparse::Status::Complete((len, _)) => httparse::Status::Complete(len),
        httparse::Status::Partial => httparse::Status::Partial,
    })
}

/// Reads a body that ends with the connection, starting at `buf[start..]`:
/// only a clean close (FIN) ends it.
pub(super) async fn read_to_close<S: AsyncRead + Unpin>(
    wire: &mut Wire<'_, S>,
    buf: &mut Vec<u8>,
    start: usize,
) -> Result<Bytes, SendError> {
    loop {
        buf.reserve(16 * 1024);
        match wire.read_buf(buf).await {
            Ok(0) => break,
            Ok(_) => {}
            // A reset is not the end: the body is cut short.
            Err(e) => return Err(SendError::Io(format!("the body was cut short: {e}"))),
        }
    }
    let body = Bytes::copy_from_slice(&buf[start..]);
    buf.clear();
    Ok(body)
}
