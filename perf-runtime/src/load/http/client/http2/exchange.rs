//! One request over HTTP/2: its head as h2 sends it (the pseudo-headers
//! from the target, no hop-by-hop header), its body, and the response read
//! whole, with the flow-control window given back as it is read.

use h2::client::SendRequest;
use hyper::body::Bytes;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::http::uri::{self, PathAndQuery};
use hyper::{Method, Request, Uri, Version};

use super::error::from_h2;
use super::pool::Http2Pool;
use crate::load::http::client::connection::RawResponse;
use crate::load::http::client::error::SendError;

/// A round trip that failed, by whether the request may have reached the
/// server: only one that did not may be sent again.
pub(super) enum Failure {
    /// Never sent (the connection was closed first), or refused by the
    /// server unprocessed (`REFUSED_STREAM`).
    Unsent(SendError),
    /// Sent, and perhaps acted on.
    Sent(SendError),
}

/// The request `method path` to `pool`'s target, with the user's headers
/// and a body of `body_len` bytes.
pub(super) fn request(
    pool: &Http2Pool,
    method: &Method,
    path: &str,
    headers: &[(HeaderName, HeaderValue)],
    body_len: usize,
) -> Result<Request<()>, SendError> {
    let mut parts = uri::Parts::default();
    parts.scheme = Some(pool.scheme.clone());
    parts.authority = Some(pool.authority.clone());
    parts.path_and_query = Some(
        PathAndQuery::try_from(path)
            .map_err(|e| SendError::Io(format!("the path `{path}` cannot be sent: {e}")))?,
    );
    let uri = Uri::from_parts(parts)
        .map_err(|e| SendError::Io(format!("the path `{path}` cannot be sent: {e}")))?;
    let mut request = Request::new(());
    *request.method_mut() = method.clone();
    *request.uri_mut() = uri;
    *request.version_mut() = Version::HTTP_2;
    let map = request.headers_mut();
    for (name, value) in headers {
        if !hop_by_hop(name) {
            map.append(name.clone(), value.clone());
        }
    }
    // As over HTTP/1.1: a length for a body, and for a method that
    // usually has one.
    if body_len > 0 || !matches!(*method, Method::GET | Method::HEAD | Method::DELETE) {
        map.insert(header::CONTENT_LENGTH, HeaderValue::from(body_len));
    }
    Ok(request)
}

/// Headers HTTP/2 forbids (RFC 9113 8.2.2), and `host`, which the
/// `:authority` carries: h2 refuses a request with the others.
fn hop_by_hop(name: &HeaderName) -> bool {
    [
        header::CONNECTION,
        header::HOST,
        header::TE,
        header::TRANSFER_ENCODING,
        header::UPGRADE,
    ]
    .contains(name)
        || name == "keep-alive"
        || name == "proxy-connection"
}

/// Sends `request` with `body` on `send`'s connection and reads the whole
/// response.
pub(super) async fn round_trip(
    send: SendRequest<Bytes>,
    request: Request<()>,
    body: &Bytes,
) -> Result<RawResponse, Failure> {
    let unsent = |e: h2::Error| Failure::Unsent(from_h2(&e));
    let sent = |e: h2::Error| {
        if e.reason() == Some(h2::Reason::REFUSED_STREAM) {
            Failure::Unsent(from_h2(&e))
        } else {
            Failure::Sent(from_h2(&e))
        }
    };
    let mut send = send.ready().await.map_err(unsent)?;
    let (response, mut stream) = send
        .send_request(request, body.is_empty())
        .map_err(unsent)?;
    if !body.is_empty() {
        // Buffered by h2 and sent as the server's window allows.
        stream.send_data(body.clone(), true).map_err(sent)?;
    }
    let response = response.await.map_err(sent)?;
    let (head, mut received) = response.into_parts();
    let mut whole = Bytes::new();
    let mut joined: Option<Vec<u8>> = None;
    while let Some(chunk) = received.data().await {
        let chunk = chunk.map_err(|e| Failure::Sent(from_h2(&e)))?;
        let _ = received.flow_control().release_capacity(chunk.len());
        match &mut joined {
            Some(joined) => joined.extend_from_slice(&chunk),
            None if whole.is_empty() => whole = chunk,
            None => {
                let mut bytes = Vec::with_capacity(whole.len() + chunk.len());
                bytes.extend_from_slice(&whole);
                bytes.extend_from_slice(&chunk);
                joined = Some(bytes);
            }
        }
    }
    Ok(RawResponse {
        status: head.status.as_u16(),
        headers: head.headers,
        body: joined.map_or(whole, Bytes::from),
    })
}
