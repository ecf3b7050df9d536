//! The name a request is counted under when the test gives none: its
//! method and path, without the query, with the segments that look like
//! ids folded into `{id}` — so `GET /items/17` and `GET /items/42` are one
//! endpoint (`GET /items/{id}`), as Locust's `name=` and k6's `name` tag
//! make them by hand. Without it, every id of the most common REST pattern
//! was an endpoint of its own, each with its own histograms, without bound.

//!
//! Names the test gives, or paths that fold into no template, are still
//! bounded: the first [`MAX_ENDPOINTS`] distinct names of a test get rows
//! of their own, and the requests of every later name are counted under
//! one row, [`OTHER_ENDPOINTS`], with a warning that names the fix.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use perf_record::finding::{OTHER_ENDPOINTS, Warning};

/// Most distinct endpoints one test keeps apart: each holds its own
/// histograms (tens of kilobytes), and a table of more is not read.
pub(crate) const MAX_ENDPOINTS: usize = 500;

/// Names counted under [`OTHER_ENDPOINTS`] that the warning quotes.
const EXAMPLES: usize = 3;

/// What a folded segment becomes.
pub(crate) const ID: &str = "{id}";

/// The path with its query removed and its id-like segments folded.
pub(crate) fn template(path: &str) -> Cow<'_, str> {
    let bare = path.split('?').next().unwrap_or(path);
    if !bare.split('/').any(is_id) {
        return Cow::Borrowed(bare);
    }
    let folded: Vec<&str> = bare
        .split('/')
        .map(|segment| if is_id(segment) { ID } else { segment })
        .collect();
    Cow::Owned(folded.join("/"))
}

/// Whether a path segment is an id: a number, a UUID, or a long run of
/// hex digits (hashes, object ids) that has a digit in it.
fn is_id(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    if bytes.iter().all(u8::is_ascii_digit) {
        return true;
    }
    if is_uuid(bytes) {
        return true;
    }
    bytes.len() >= 16
        && bytes.iter().all(u8::is_ascii_hexdigit)
        && bytes.iter().any(u8::is_ascii_digit)
}

/// `123e4567-e89b-12d3-a456-426614174000`, any case.
fn is_uuid(bytes: &[u8]) -> bool {
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// The endpoint names one test has given rows, shared by its threads:
/// a thread asks only for a name it has not recorded yet.
#[derive(Default)]
pub(crate) struct Admission {
    names: Mutex<HashSet<String>>,
}

impl Admission {
    /// The row `name` is counted under: its own while fewer than
    /// [`MAX_ENDPOINTS`] names have rows (or it has one already), else
    /// [`OTHER_ENDPOINTS`].
    pub(crate) fn row<'a>(&self, name: &'a str) -> &'a str {
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if names.contains(name) {
            return name;
        }
        if names.len() >= MAX_ENDPOINTS {
            return OTHER_ENDPOINTS;
        }
        names.insert(name.to_owned());
        name
    }
}

/// The requests counted under [`OTHER_ENDPOINTS`], by one thread or all.
#[derive(Default, Clone)]
pub(crate) struct Overflow {
    requests: u64,
    examples: Vec<String>,
}

impl Overflow {
    /// Counts one request named `name` under [`OTHER_ENDPOINTS`].
    pub(crate) fn count(&mut self, name: &str) {
        self.requests += 1;
        if self.examples.len() < EXAMPLES && !self.examples.iter().any(|e| e == name) {
            self.examples.push(name.to_owned());
        }
    }

    /// Adds another thread's.
    pub(crate) fn merge(&mut self, other: &Self) {
        self.requests += other.requests;
        for example in &other.examples {
            if self.examples.len() < EXAMPLES && !self.examples.contains(example) {
                self.examples.push(example.clone());
            }
        }
    }

    /// The warning, if any request was counted under [`OTHER_ENDPOINTS`].
    pub(crate) fn warning(&self) -> Option<Warning> {
        (self.requests > 0).then(|| Warning::TooManyEndpoints {
            kept: MAX_ENDPOINTS,
            requests: self.requests,
            examples: self.examples.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_fold_and_words_stay() {
        let cases = [
            ("/items/42", "/items/{id}"),
            ("/items/42?page=3", "/items/{id}"),
            ("/users/7/orders/1001", "/users/{id}/orders/{id}"),
            (
                "/orders/123e4567-E89B-12d3-a456-426614174000/lines",
                "/orders/{id}/lines",
            ),
            ("/blobs/9f86d081884c7d659a2feaa0c55ad015", "/blobs/{id}"),
            ("/fast", "/fast"),
            ("/items?page=2", "/items"),
            ("/static/app.css", "/static/app.css"),
            ("/v2/items", "/v2/items"),
            ("/feed/deadbeefcafebabe", "/feed/deadbeefcafebabe"),
            ("/short/abc123", "/short/abc123"),
            ("/", "/"),
        ];
        for (path, name) in cases {
            assert_eq!(template(path), name, "{path}");
        }
    }

    #[test]
    fn a_path_without_ids_is_not_copied() {
        assert!(matches!(
            template("/items/all"),
            Cow::Borrowed("/items/all")
        ));
    }

    #[test]
    fn names_past_the_cap_share_one_row() {
        let admission = Admission::default();
        let mut overflow = Overflow::default();
        for i in 0..MAX_ENDPOINTS + 20 {
            let name = format!("GET /search/term-{i}");
            let row = admission.row(&name);
            if row == OTHER_ENDPOINTS {
                overflow.count(&name);
            }
        }
        assert_eq!(admission.row("GET /search/term-0"), "GET /search/term-0");
        assert_eq!(admission.row("GET /new"), OTHER_ENDPOINTS);
        let Some(Warning::TooManyEndpoints {
            kept,
            requests,
            examples,
        }) = overflow.warning()
        else {
            panic!("no warning")
        };
        assert_eq!((kept, requests), (MAX_ENDPOINTS, 20));
        assert_eq!(examples.len(), EXAMPLES);
        assert_eq!(examples[0], format!("GET /search/term-{MAX_ENDPOINTS}"));
        assert!(Overflow::default().warning().is_none());
    }
}
