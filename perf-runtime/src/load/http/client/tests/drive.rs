//! Driving the real client in the tests: a request with the tests'
//! defaults, and its outcome in a form assertions can compare.

use std::time::Duration;

use hyper::Method;
use hyper::body::Bytes;
use hyper::header::HeaderValue;

use crate::load::http::client::connection::{Connection, RawResponse};
use crate::load::http::client::error::SendError;
use crate::load::http::client::transport::Transport;

pub(super) const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";

/// Sends `method path` (with a body for POST) on `connection`.
pub(super) async fn send<T: Transport>(
    connection: &mut Connection<T>,
    method: Method,
    path: &str,
    timeout: Duration,
) -> Result<RawResponse, SendError> {
    let body = if method == Method::POST {
        Bytes::from_static(b"hello")
    } else {
        Bytes::new()
    };
    connection
        .send(
            &method,
            path,
            &HeaderValue::from_static("test"),
            &[],
            &body,
            timeout,
        )
        .await
}

pub(super) async fn get<T: Transport>(
    connection: &mut Connection<T>,
    path: &str,
) -> Result<RawResponse, SendError> {
    send(connection, Method::GET, path, Duration::from_secs(5)).await
}

pub(super) async fn post(
    connection: &mut Connection,
    path: &str,
) -> Result<RawResponse, SendError> {
    send(connection, Method::POST, path, Duration::from_secs(5)).await
}

/// The status and body as text, or the error.
pub(super) fn outcome(result: &Result<RawResponse, SendError>) -> Result<(u16, String), String> {
    match result {
        Ok(response) => Ok((
            response.status,
            String::from_utf8_lossy(&response.body).into_owned(),
        )),
        Err(error) => Err(format!("{error:?}")),
    }
}

pub(super) fn is_io(result: &Result<RawResponse, SendError>) -> bool {
    matches!(result, Err(SendError::Io(_)))
}
