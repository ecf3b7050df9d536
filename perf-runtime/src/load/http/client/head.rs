//! The heads: the request's, written into a reused buffer, and the
//! response's, parsed with httparse into its status, headers and framing.

use hyper::header::{HeaderMap, HeaderName, HeaderValue};

use super::error::SendError;

/// The most header lines a response may have.
pub(super) const MAX_HEADERS: usize = 64;
/// The largest response head accepted.
pub(super) const MAX_HEAD: usize = 64 * 1024;

/// How the body's end is known.
pub(super) enum Framing {
    /// As many bytes as the Content-Length says: any number a server
    /// writes, checked against what a buffer holds when read.
    Length(u64),
    Chunked,
    UntilClose,
}

/// A parsed response head.
pub(super) struct Head {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    /// The head's length in bytes, its blank line included.
    pub(super) len: usize,
    pub(super) framing: Framing,
    /// Whether the connection ends with this response.
    pub(super) close: bool,
}

/// The response head at the start of `buf`, or `None` while it is
/// incomplete.
pub(super) fn parse_head(buf: &[u8]) -> Result<Option<Head>, SendError> {
    let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut raw);
    let len = match response.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => {
            return Err(SendError::Io(format!(
                "the response is not valid HTTP/1.1: {e}"
            )));
        }
    };
    let status = response.code.unwrap_or(0);
    if (100..200).contains(&status) {
        // An interim head, skipped: its headers are not the response's.
        return Ok(Some(Head {
            status,
            headers: HeaderMap::new(),
            len,
            framing: Framing::Length(0),
            close: false,
        }));
    }
    let mut headers = HeaderMap::with_capacity(response.headers.len());
    let mut length = Ok(None);
    // Whether the last transfer coding is `chunked`, when there is one.
    let mut chunked = None;
    let (mut close_option, mut keep_alive_option) = (false, false);
    for header in response.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            length = length.and_then(|seen| content_length(header.value, seen));
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // A list, maybe over several lines: only the last coding
            // says whether the body is chunked.
            if let Some(last) = tokens(header.value).last() {
                chunked = Some(last.eq_ignore_ascii_case(b"chunked"));
            }
        } else if name.eq_ignore_ascii_case("connection") {
            for option in tokens(header.value) {
                close_option |= option.eq_ignore_ascii_case(b"close");
                keep_alive_option |= option.eq_ignore_ascii_case(b"keep-alive");
            }
        }
        if let (Ok(key), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(header.value),
        ) {
            headers.append(key, value);
        }
    }
    // RFC 9112 6.3: Transfer-Encoding wins over Content-Length, and a
    // body whose last coding is not chunked ends with the connection.
    let framing = match chunked {
        Some(true) => Framing::Chunked,
        Some(false) => Framing::UntilClose,
        None => match length.map_err(|e| SendError::Io(e.to_owned()))? {
            Some(length) => Framing::Length(length),
            None => Framing::UntilClose,
        },
    };
    let http_1_0 = response.version == Some(0);
    let close = close_option
        || (http_1_0 && !keep_alive_option)
        // Both lengths may be a response-smuggling attempt: what follows
        // on this connection is not to be trusted.
        || (chunked.is_some() && length != Ok(None));
    Ok(Some(Head {
        status,
        headers,
        len,
        framing,
        close,
    }))
}

/// Adds a Content-Length line's value to the length `seen` on earlier
/// lines: digits only (Rust's parser would take `+2`), each element of a
/// list the same length (RFC 9110 8.6), within a u64.
fn content_length(value: &[u8], mut seen: Option<u64>) -> Result<Option<u64>, &'static str> {
    for element in value.split(|&b| b == b',') {
        let digits = element.trim_ascii();
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return Err("a Content-Length that is not a number");
        }
        let length = digits
            .iter()
            .try_fold(0_u64, |n, &d| {
                n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            })
            .ok_or("a Content-Length over 2^64")?;
        if seen.is_some_and(|seen| seen != length) {
            return Err("conflicting Content-Length values");
        }
        seen = Some(length);
    }
    Ok(seen)
}

/// The elements of a comma-separated header list, without the spaces
/// around them and without empty ones.
fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|token| !token.is_empty())
}

/// Writes a request head into `out`.
pub(super) fn write_head(
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
        let head = parse_head(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-a: b\r\n\r\nok")
            .unwrap()
            .unwrap();
        assert_eq!((head.status, head.len, head.close), (200, 46, false));
        assert!(matches!(head.framing, Framing::Length(2)));
        assert_eq!(head.headers["x-a"], "b");
        assert!(
            parse_head(b"HTTP/1.1 200 OK\r\ncontent-le")
                .unwrap()
                .is_none()
        );
        let head = parse_head(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        )
        .unwrap()
        .unwrap();
        assert!(matches!(head.framing, Framing::Chunked) && head.close);
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
