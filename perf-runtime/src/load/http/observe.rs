//! What the catalogue's kinds read from responses besides their timing:
//! rate-limit and cache headers, a server-side counter in a header, the
//! validators to revalidate, and the cache keys handed to the users.
//! Only tests of those kinds have an observer; the hot path of every other
//! load test checks one `Option`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use hyper::header::{HeaderMap, HeaderName, HeaderValue};

/// The most distinct URLs whose validators are kept for revalidation.
pub(crate) const MAX_VALIDATORS: usize = 20;

/// Counts over the responses of one step.
#[derive(Debug, Clone, Default)]
pub(crate) struct Observed {
    /// Responses received (any status).
    pub(crate) responses: u64,
    /// `429 Too Many Requests` responses.
    pub(crate) limited: u64,
    /// Of which carried `Retry-After` or rate-limit headers.
    pub(crate) limited_with_headers: u64,
    /// Responses under 400 (let through by a limiter).
    pub(crate) passed: u64,
    /// When the first 429 came: a limiter's burst is spent by then.
    pub(crate) first_limited_at: Option<Instant>,
    /// Responses under 400 after the first 429, and when the last
    /// response came: the limiter's steady rate.
    pub(crate) passed_after_limit: u64,
    pub(crate) last_at: Option<Instant>,
    /// 429s by request name.
    pub(crate) limited_by_name: Vec<(String, u64)>,
    /// The rate-limit headers seen on 429s, by name.
    pub(crate) limit_header_names: Vec<String>,
    /// GET responses 2xx or 304: those a cache may keep.
    pub(crate) answered: u64,
    /// Of which carried a cache header (`Cache-Control` without
    /// `no-store`, `ETag`, `Last-Modified`, `Age`, `Expires`).
    pub(crate) cacheable: u64,
    /// The cache headers seen, by name.
    pub(crate) cache_header_names: Vec<String>,
    /// GET paths with a validator: (path, `If-None-Match` or
    /// `If-Modified-Since`, its value).
    pub(crate) validators: Vec<(String, HeaderName, HeaderValue)>,
    /// The watched counter header: the sum of its values, and how many
    /// responses carried a number in it.
    pub(crate) counter_sum: f64,
    pub(crate) counter_seen: u64,
    /// Caching: the keys handed out in the step.
    pub(crate) keys_issued: u64,
    /// WebSocket handshakes begun, and succeeded.
    pub(crate) sockets_attempted: u64,
    pub(crate) sockets_opened: u64,
}

/// Cache keys: fresh ones, or a cycle over the first `cycle` keys.
#[derive(Debug)]
pub(crate) struct Keys {
    base: u64,
    next: AtomicU64,
    cycle: Option<u64>,
}

impl Keys {
    /// Keys from `base` up, each once (`cycle: None`), or round and round
    /// the first `cycle` of them.
    pub(crate) fn new(base: u64, cycle: Option<u64>) -> Self {
        Self {
            base,
            next: AtomicU64::new(0),
            cycle: cycle.map(|c| c.max(1)),
        }
    }

    fn take(&self) -> u64 {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.base + self.cycle.map_or(n, |c| n % c)
    }

    /// How many keys were handed out.
    pub(crate) fn issued(&self) -> u64 {
        self.next.load(Ordering::Relaxed)
    }
}

/// The observer of one step.
#[derive(Debug)]
pub(crate) struct Observer {
    counter_header: Option<HeaderName>,
    sockets_attempted: AtomicU64,
    sockets_opened: AtomicU64,
    pub(crate) keys: Option<Keys>,
    state: Mutex<Observed>,
}

impl Observer {
    pub(crate) fn new(counter_header: Option<&str>, keys: Option<Keys>) -> Arc<Self> {
        Arc::new(Self {
            counter_header: counter_header.and_then(|h| HeaderName::try_from(h).ok()),
            sockets_attempted: AtomicU64::new(0),
            sockets_opened: AtomicU64::new(0),
            keys,
            state: Mutex::new(Observed::default()),
        })
    }

    /// The next cache key; `None` outside a caching test.
    pub(crate) fn key(&self) -> Option<u64> {
        self.keys.as_ref().map(Keys::take)
    }

    /// What was seen so far.
    pub(crate) fn observed(&self) -> Observed {
        let mut observed = self
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        observed.sockets_attempted = self.sockets_attempted.load(Ordering::Relaxed);
        observed.sockets_opened = self.sockets_opened.load(Ordering::Relaxed);
        observed
    }

    /// A WebSocket handshake begins.
    #[cfg_attr(
        not(feature = "websocket"),
        expect(dead_code, reason = "used by the websocket feature")
    )]
    pub(crate) fn socket_attempted(&self) {
        self.sockets_attempted.fetch_add(1, Ordering::Relaxed);
    }

    /// A WebSocket handshake succeeded.
    #[cfg_attr(
        not(feature = "websocket"),
        expect(dead_code, reason = "used by the websocket feature")
    )]
    pub(crate) fn socket_opened(&self) {
        self.sockets_opened.fetch_add(1, Ordering::Relaxed);
    }

    /// Reads one response.
    pub(crate) fn observe(
        &self,
        name: &str,
        get: bool,
        path: &str,
        status: u16,
        headers: &HeaderMap,
    ) {
        let counter = self.counter_header.as_ref().and_then(|name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
        });
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.responses += 1;
        state.last_at = Some(now);
        if status < 400 {
            state.passed += 1;
            if state.first_limited_at.is_some() {
                state.passed_after_limit += 1;
            }
        }
        if let Some(value) = counter {
            state.counter_sum += value;
            state.counter_seen += 1;
        }
        if status == 429 {
            state.limited += 1;
            state.first_limited_at.get_or_insert(now);
            match state.limited_by_name.iter_mut().find(|(n, _)| n == name) {
                Some((_, count)) => *count += 1,
                None => state.limited_by_name.push((name.to_owned(), 1)),
            }
            let mut any = false;
            for name in headers.keys() {
                let n = name.as_str();
                if n == "retry-after" || n.starts_with("ratelimit") || n.starts_with("x-ratelimit")
                {
                    any = true;
                    if !state.limit_header_names.iter().any(|s| s == n) {
                        state.limit_header_names.push(n.to_owned());
                    }
                }
            }
            if any {
                state.limited_with_headers += 1;
            }
        }
        if get && ((200..300).contains(&status) || status == 304) {
            state.answered += 1;
            let mut any = false;
            for (name, value) in headers {
                let n = name.as_str();
                let cache = match n {
                    "cache-control" => !stores_nothing(value),
                    "etag" | "last-modified" | "age" | "expires" => true,
                    _ => false,
                };
                if cache {
                    any = true;
                    if !state.cache_header_names.iter().any(|s| s == n) {
                        state.cache_header_names.push(n.to_owned());
                    }
                }
            }
            if any {
                state.cacheable += 1;
            }
            if state.validators.len() < MAX_VALIDATORS
                && !state.validators.iter().any(|(p, _, _)| p == path)
            {
                let validator = headers
                    .get(hyper::header::ETAG)
                    .map(|v| (hyper::header::IF_NONE_MATCH, v.clone()))
                    .or_else(|| {
                        headers
                            .get(hyper::header::LAST_MODIFIED)
                            .map(|v| (hyper::header::IF_MODIFIED_SINCE, v.clone()))
                    });
                if let Some((name, value)) = validator {
                    state.validators.push((path.to_owned(), name, value));
                }
            }
        }
    }
}

/// Whether a `Cache-Control` value forbids keeping the response at all:
/// a `no-store` directive among any others (`private, no-store`).
fn stores_nothing(value: &HeaderValue) -> bool {
    value
        .as_bytes()
        .split(|&b| b == b',')
        .any(|directive| directive.trim_ascii().eq_ignore_ascii_case(b"no-store"))
}

/// An observer in a profile: compared by identity.
#[derive(Debug, Clone)]
pub(crate) struct Observe(pub(crate) Arc<Observer>);

impl PartialEq for Observe {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn limits_caches_and_counters_are_read_from_headers() {
        let observer = Observer::new(Some("x-db-queries"), None);
        observer.observe("GET /x", true, "/a", 429, &headers(&[("retry-after", "1")]));
        observer.observe("GET /x", true, "/a", 429, &headers(&[]));
        observer.observe(
            "GET /x",
            true,
            "/b",
            200,
            &headers(&[("etag", "\"1\""), ("x-db-queries", "11")]),
        );
        observer.observe(
            "GET /x",
            true,
            "/b",
            200,
            &headers(&[("cache-control", "no-store"), ("x-db-queries", "1")]),
        );
        observer.observe(
            "GET /x",
            true,
            "/c",
            200,
            &headers(&[("cache-control", "private, No-Store")]),
        );
        observer.observe("POST /x", false, "/d", 200, &headers(&[("etag", "\"2\"")]));
        let seen = observer.observed();
        assert_eq!((seen.limited, seen.limited_with_headers), (2, 1));
        assert_eq!(
            (seen.answered, seen.cacheable),
            (3, 1),
            "GETs only; `no-store` among other directives stores nothing"
        );
        assert_eq!(seen.validators.len(), 1, "one validator per path");
        assert_eq!((seen.counter_sum, seen.counter_seen), (12.0, 2));
    }

    #[test]
    fn keys_are_fresh_or_cycle() {
        let fresh = Keys::new(100, None);
        assert_eq!((fresh.take(), fresh.take(), fresh.issued()), (100, 101, 2));
        let warm = Keys::new(100, Some(2));
        assert_eq!([warm.take(), warm.take(), warm.take()], [100, 101, 100]);
    }
}
