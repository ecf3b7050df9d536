//! The name a request is counted under when the test gives none: its
//! method and path, without the query, with the segments that look like
//! ids folded into `{id}` — so `GET /items/17` and `GET /items/42` are one
//! endpoint (`GET /items/{id}`), as Locust's `name=` and k6's `name` tag
//! make them by hand. Without it, every id of the most common REST pattern
//! was an endpoint of its own, each with its own histograms, without bound.

use std::borrow::Cow;

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
}
