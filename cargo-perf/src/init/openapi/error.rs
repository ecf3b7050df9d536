//! What is wrong with an OpenAPI document, and where.

use std::fmt;

/// A document that cannot be read or turned into load tests: the JSON
/// pointer of the bad part (RFC 6901; empty for the whole document) and
/// what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Where in the document, e.g. `/paths/~1items/get/parameters/0`.
    pub pointer: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl SpecError {
    /// An error at `pointer`.
    pub(crate) fn at(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            pointer: Some(pointer.to_owned()),
            message: message.into(),
        }
    }

    /// An error about the file as a whole.
    pub(crate) fn whole(message: impl Into<String>) -> Self {
        Self {
            pointer: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pointer {
            Some(pointer) if pointer.is_empty() => {
                write!(f, "at the document's root: {}", self.message)
            }
            Some(pointer) => write!(f, "at {pointer}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// `parent` with one more reference token, escaped as RFC 6901 says
/// (`~` as `~0`, `/` as `~1`).
pub(crate) fn child(parent: &str, token: &str) -> String {
    format!("{parent}/{}", token.replace('~', "~0").replace('/', "~1"))
}
