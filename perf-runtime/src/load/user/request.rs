//! A request being put together (`User::request`, and the shortcuts
//! `get`, `post`, ...), sent on the user's connection and recorded.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Instant;

use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use perf_record::load::RequestErrorKind;

use super::User;
use crate::load::error::{Error, Result};
use crate::load::http::client::SendError;
use crate::load::http::response::Response;
use crate::load::recorder::RequestRecord;

/// A request being put together; see [`User::request`].
pub struct RequestBuilder<'a> {
    pub(super) user: &'a mut User,
    pub(super) method: hyper::Method,
    pub(super) path: Cow<'a, str>,
    pub(super) name: Option<String>,
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) body: Bytes,
    pub(super) error: Option<String>,
}

impl RequestBuilder<'_> {
    /// The name this request is aggregated under, so `/items/17` and
    /// `/items/42` count as one endpoint (`GET /items/{id}`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => self.headers.push((name, value)),
            _ => self.error = Some(format!("invalid header `{name}: {value}`")),
        }
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets a JSON body and its content type.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => {
                self.body = bytes.into();
                self.headers.push((
                    hyper::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ));
            }
            Err(e) => self.error = Some(format!("cannot serialize the JSON body: {e}")),
        }
        self
    }

    /// Sends the request and reads the response. A response with status
    /// 400 or more, a timeout or a connection failure is recorded as a
    /// failed request and returned as `Err`.
    pub async fn send(self) -> Result<Response> {
        let Self {
            user,
            method,
            path,
            name,
            headers,
            body,
            error,
        } = self;
        let name: Arc<str> = match name {
            Some(name) => name.into(),
            None => user.default_name(&method, &path),
        };
        if let Some(message) = error {
            return Err(Error::unrecorded(RequestErrorKind::User, message));
        }
        if !path.starts_with('/')
            || path
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(Error::unrecorded(
                RequestErrorKind::User,
                format!("invalid path `{path}`: write an absolute path such as \"/items?page=1\""),
            ));
        }
        let scheduled = user.scheduled.take();
        let sent = Instant::now();
        user.sending = true;
        let result = user
            .connection
            .send(
                &method,
                &path,
                &user.target.authority,
                &headers,
                &body,
                user.timeout,
            )
            .await;
        let done = Instant::now();
        let latency = done - sent;
        let corrected = scheduled.filter(|s| *s < sent).map(|s| done - s);
        let (status, error) = match &result {
            Ok(response) if status_failed(response.status) => (
                Some(response.status),
                Some((
                    RequestErrorKind::Status,
                    format!("{name} returned {:03}", response.status),
                )),
            ),
            Ok(response) => (Some(response.status), None),
            Err(SendError::Timeout) => (
                None,
                Some((
                    RequestErrorKind::Timeout,
                    format!("{name} timed out after {:?}", user.timeout),
                )),
            ),
            Err(SendError::Connect(m)) => (None, Some((RequestErrorKind::Connect, m.clone()))),
            Err(SendError::Tls(m)) => (None, Some((RequestErrorKind::Tls, m.clone()))),
            Err(SendError::Io(m)) => (None, Some((RequestErrorKind::Io, format!("{name}: {m}")))),
        };
        if let (Some(observer), Ok(raw)) = (user.session.observer(), &result) {
            observer.observe(
                &name,
                method == hyper::Method::GET,
                &path,
                raw.status,
                &raw.headers,
            );
        }
        let transfer = user.connection.transfer();
        user.sending = false;
        user.session.record(RequestRecord {
            name: &name,
            latency,
            corrected,
            status,
            error: error.clone(),
            at: done,
            sent: transfer.sent,
            received: transfer.received,
            setup: user.connection.setup(),
        });
        match (result, error) {
            (_, Some((kind, message))) => Err(Error::recorded(kind, message)),
            (Ok(raw), None) => Ok(Response {
                name,
                status: raw.status,
                headers: raw.headers,
                body: raw.body,
                latency,
                session: Arc::clone(&user.session),
            }),
            (Err(_), None) => Err(Error::recorded(RequestErrorKind::Io, "no response".into())),
        }
    }
}

/// Whether a response's status fails its request: 400 and above, and
/// below 100, which is no HTTP status (`000` from a broken server is a
/// failure, not a success).
fn status_failed(status: u16) -> bool {
    !(100..400).contains(&status)
}

#[cfg(test)]
mod status_tests {
    use super::status_failed;

    #[test]
    fn a_status_below_100_or_from_400_fails_its_request() {
        for failed in [0, 99, 400, 404, 429, 500, 599] {
            assert!(status_failed(failed), "{failed}");
        }
        for answered in [100, 200, 204, 301, 304, 399] {
            assert!(!status_failed(answered), "{answered}");
        }
    }
}
