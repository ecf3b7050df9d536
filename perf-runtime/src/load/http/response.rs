//! What a request returns: status, headers, body and latency, with checks
//! that count as failures instead of panicking.

use std::sync::Arc;
use std::time::Duration;

use hyper::body::Bytes;
use perf_record::load::RequestErrorKind;

use crate::load::error::{Error, Result};
use crate::load::recorder::Session;

/// A response, with checks that count as failures instead of panicking.
pub struct Response {
    pub(crate) name: Arc<str>,
    pub(crate) status: u16,
    pub(crate) headers: hyper::HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) latency: Duration,
    pub(crate) session: Arc<Session>,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("name", &self.name)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Response {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// How long the request took.
    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            self.fail(format!(
                "{}: the body is not the expected JSON: {e}",
                self.name
            ))
        })
    }

    fn fail(&self, message: String) -> Error {
        self.session
            .record_failure(Some(&self.name), RequestErrorKind::Check, message.clone());
        Error::recorded(RequestErrorKind::Check, message)
    }

    /// Fails (as a `check` error) unless the status is `status`.
    pub fn expect_status(self, status: u16) -> Result<Self> {
        if self.status == status {
            Ok(self)
        } else {
            Err(self.fail(format!(
                "{}: expected status {status}, got {}",
                self.name, self.status
            )))
        }
    }

    /// Fails unless the header is present (and equal to `value`, if given).
    pub fn expect_header(self, name: &str, value: Option<&str>) -> Result<Self> {
        match (self.header(name), value) {
            (Some(_), None) => Ok(self),
            (Some(actual), Some(expected)) if actual == expected => Ok(self),
            (Some(actual), Some(expected)) => Err(self.fail(format!(
                "{}: header {name} is `{actual}`, expected `{expected}`",
                self.name
            ))),
            (None, _) => Err(self.fail(format!("{}: header {name} is missing", self.name))),
        }
    }

    /// Fails unless the JSON body has `expected` at `pointer`
    /// (RFC 6901, e.g. `/items/0/id`).
    pub fn expect_json(self, pointer: &str, expected: serde_json::Value) -> Result<Self> {
        let value: serde_json::Value = self.json()?;
        match value.pointer(pointer) {
            Some(actual) if *actual == expected => Ok(self),
            Some(actual) => Err(self.fail(format!(
                "{}: {pointer} is {actual}, expected {expected}",
                self.name
            ))),
            None => Err(self.fail(format!("{}: the JSON body has no {pointer}", self.name))),
        }
    }
}
