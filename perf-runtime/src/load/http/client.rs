//! One HTTP/1.1 keep-alive connection per virtual user, written and read
//! in the user's own task: the load generator's hot path. hyper's client
//! hands every request to a connection task over a channel and wakes two
//! tasks per request; here a request is one write and a response is read
//! in place (httparse for the head), which costs measurably less CPU per
//! request (see scripts/load-bench.sh).

use std::net::SocketAddr;
use std::time::Duration;

use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Why a request failed, by the kinds the report counts.
#[derive(Debug)]
pub(crate) enum SendError {
    /// No connection could be made.
    Connect(String),
    /// No response within the timeout.
    Timeout,
    /// The connection broke mid-request, or the response was not HTTP.
    Io(String),
}

/// A response with its body read.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// The most header lines a response may have.
const MAX_HEADERS: usize = 64;
/// The largest response head accepted.
const MAX_HEAD: usize = 64 * 1024;

/// A keep-alive connection, reopened when the server closes it.
pub(crate) struct Connection {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    /// Bytes read but not consumed yet.
    buf: Vec<u8>,
    /// The request being written (reused).
    out: Vec<u8>,
}

impl Connection {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            stream: None,
            buf: Vec::with_capacity(8 * 1024),
            out: Vec::with_capacity(1024),
        }
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
        write_head(&mut self.out, method, path, host, headers, body.len());
        let head_only = method == hyper::Method::HEAD;
        let result = tokio::time::timeout(timeout, async {
            // A kept-alive connection the server has closed in the
            // meantime fails on first use: retry once on a fresh one.
            let reused = self.stream.is_some();
            match self.exchange(body, head_only, timeout).await {
                Err(SendError::Io(_)) if reused => {
                    self.stream = None;
                    self.exchange(body, head_only, timeout).await
                }
                other => other,
            }
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
    ) -> Result<RawResponse, SendError> {
        if self.stream.is_none() {
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
            self.stream = Some(stream);
            self.buf.clear();
        }
        let Some(stream) = self.stream.as_mut() else {
            return Err(SendError::Io("no connection".to_owned()));
        };
        let io = |e: std::io::Error| SendError::Io(e.to_string());
        if body.is_empty() {
            stream.write_all(&self.out).await.map_err(io)?;
        } else {
            stream.write_all(&self.out).await.map_err(io)?;
            stream.write_all(body).await.map_err(io)?;
        }
        // The head.
        let (status, headers, head_len, framing, close) = loop {
            if let Some(head) = parse_head(&self.buf)? {
                break head;
            }
            if self.buf.len() > MAX_HEAD {
                return Err(SendError::Io(format!(
                    "the response head is over {MAX_HEAD} bytes"
                )));
            }
            read_more(stream, &mut self.buf).await?;
        };
        // The body.
        let no_body = head_only || status == 204 || status == 304 || (100..200).contains(&status);
        let body = if no_body {
            self.buf.drain(..head_len);
            Bytes::new()
        } else {
            match framing {
                Framing::Length(length) => {
                    let end = head_len + length;
                    while self.buf.len() < end {
                        read_more(stream, &mut self.buf).await?;
                    }
                    let body = Bytes::copy_from_slice(&self.buf[head_len..end]);
                    self.buf.drain(..end);
                    body
                }
                Framing::Chunked => {
                    self.buf.drain(..head_len);
                    read_chunked(stream, &mut self.buf).await?
                }
                Framing::UntilClose => {
                    loop {
                        let before = self.buf.len();
                        read_more(stream, &mut self.buf).await.ok();
                        if self.buf.len() == before {
                            break;
                        }
                    }
                    let body = Bytes::copy_from_slice(&self.buf[head_len..]);
                    self.buf.clear();
                    self.stream = None;
                    body
                }
            }
        };
        if close {
            self.stream = None;
        }
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

/// How the body's end is known.
enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
}

type Head = (u16, HeaderMap, usize, Framing, bool);

fn parse_head(buf: &[u8]) -> Result<Option<Head>, SendError> {
    let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut raw);
    let head_len = match response.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => {
            return Err(SendError::Io(format!(
                "the response is not valid HTTP/1.1: {e}"
            )));
        }
    };
    let status = response.code.unwrap_or(0);
    let mut headers = HeaderMap::with_capacity(response.headers.len());
    let mut framing = Framing::UntilClose;
    let mut close = response.version == Some(0);
    for header in response.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            let length = std::str::from_utf8(header.value)
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| SendError::Io("a bad Content-Length".to_owned()))?;
            framing = Framing::Length(length);
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            && header.value.eq_ignore_ascii_case(b"chunked")
        {
            framing = Framing::Chunked;
        } else if name.eq_ignore_ascii_case("connection") {
            if header.value.eq_ignore_ascii_case(b"close") {
                close = true;
            } else if header.value.eq_ignore_ascii_case(b"keep-alive") {
                close = false;
            }
        }
        if let (Ok(key), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(header.value),
        ) {
            headers.append(key, value);
        }
    }
    Ok(Some((status, headers, head_len, framing, close)))
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), SendError> {
    // Into the spare capacity, without zeroing it first.
    buf.reserve(16 * 1024);
    match stream.read_buf(buf).await {
        Ok(0) => Err(SendError::Io("the server closed the connection".to_owned())),
        Ok(_) => Ok(()),
        Err(e) => Err(SendError::Io(e.to_string())),
    }
}

async fn read_chunked(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Bytes, SendError> {
    let mut body = Vec::new();
    loop {
        let (offset, size) = loop {
            match httparse::parse_chunk_size(buf) {
                Ok(httparse::Status::Complete((offset, size))) => break (offset, size),
                Ok(httparse::Status::Partial) => read_more(stream, buf).await?,
                Err(_) => return Err(SendError::Io("a bad chunk size".to_owned())),
            }
        };
        let size =
            usize::try_from(size).map_err(|_| SendError::Io("a chunk too large".to_owned()))?;
        // The chunk's data and its CRLF.
        while buf.len() < offset + size + 2 {
            read_more(stream, buf).await?;
        }
        body.extend_from_slice(&buf[offset..offset + size]);
        buf.drain(..offset + size + 2);
        if size == 0 {
            // Trailers are not supported; a plain last chunk ends here.
            return Ok(Bytes::from(body));
        }
    }
}

fn write_head(
    out: &mut Vec<u8>,
    method: &hyper::Method,
    path: &str,
    host: &HeaderValue,
    headers: &[(HeaderName, HeaderValue)],
    body_len: usize,
) {
    out.extend_from_slice(method.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(path.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\nhost: ");
    out.extend_from_slice(host.as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if body_len > 0
        || !matches!(
            *method,
            hyper::Method::GET | hyper::Method::HEAD | hyper::Method::DELETE
        )
    {
        out.extend_from_slice(b"content-length: ");
        out.extend_from_slice(body_len.to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_with_their_framing() {
        let (status, headers, len, framing, close) =
            parse_head(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-a: b\r\n\r\nok")
                .unwrap()
                .unwrap();
        assert_eq!((status, len, close), (200, 46, false));
        assert!(matches!(framing, Framing::Length(2)));
        assert_eq!(headers["x-a"], "b");
        assert!(
            parse_head(b"HTTP/1.1 200 OK\r\ncontent-le")
                .unwrap()
                .is_none()
        );
        let (_, _, _, framing, close) = parse_head(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        )
        .unwrap()
        .unwrap();
        assert!(matches!(framing, Framing::Chunked) && close);
        assert!(parse_head(b"NOT HTTP\r\n\r\n").is_err());
    }

    #[test]
    fn requests_are_written_as_http_1_1() {
        let mut out = Vec::new();
        let headers = [(hyper::header::ACCEPT, HeaderValue::from_static("*/*"))];
        write_head(
            &mut out,
            &hyper::Method::POST,
            "/echo",
            &HeaderValue::from_static("127.0.0.1:8080"),
            &headers,
            5,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "POST /echo HTTP/1.1\r\nhost: 127.0.0.1:8080\r\naccept: */*\r\ncontent-length: 5\r\n\r\n"
        );
    }
}
