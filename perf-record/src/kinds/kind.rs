//! The `Kind` of a catalogue test, as recorded: a name and nothing else
//! (its [`Spec`](super::Spec) says the rest).

use serde::{Deserialize, Serialize};

/// A kind of catalogue test. Serialized as its name (`"rate_limit"`), as
/// in records and baselines written before this type existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    /// More users per level until a threshold breaks: the breaking point.
    #[serde(rename = "stress")]
    Stress,
    /// More users per level: the throughput curve and scaling efficiency.
    #[serde(rename = "scalability")]
    Scalability,
    /// A larger payload per level: latency growth with size.
    #[serde(rename = "volume")]
    Volume,
    /// A deeper page per level: latency growth with the offset.
    #[serde(rename = "pagination")]
    Pagination,
    /// Base load, a burst, base load again: how long until latency is back.
    #[serde(rename = "spike")]
    Spike,
    /// One user, a fixed number of requests one after the other.
    #[serde(rename = "response_time")]
    ResponseTime,
    /// A long hold: the server's memory growth and the latency drift.
    #[serde(rename = "soak")]
    Soak,
    /// Below and above a declared rate limit: 429s, what gets through, and
    /// the limit headers.
    #[serde(rename = "rate_limit")]
    RateLimit,
    /// Cold keys, then warm ones: the cache's speedup, its headers, and
    /// conditional requests.
    #[serde(rename = "caching")]
    Caching,
    /// Larger pages per level: a server-side query counter per request.
    #[serde(rename = "n_plus_one")]
    NPlusOne,
    /// More users per level than a pool holds: errors and the latency knee.
    #[serde(rename = "pool")]
    Pool,
    /// A client timeout against a slow endpoint, then a probe that the
    /// server still answers.
    #[serde(rename = "timeout")]
    Timeout,
    /// One level per query: per-query statistics, the slowest named.
    #[serde(rename = "search")]
    Search,
    /// More open WebSockets per level: round-trip latency, how it grows
    /// with the connections, and the handshakes that succeeded.
    #[serde(rename = "websocket")]
    WebSocket,
}

impl Kind {
    /// Every kind, in the order messages list them.
    pub const ALL: [Kind; 14] = [
        Self::Stress,
        Self::Scalability,
        Self::Volume,
        Self::Pagination,
        Self::Spike,
        Self::ResponseTime,
        Self::Soak,
        Self::RateLimit,
        Self::Caching,
        Self::NPlusOne,
        Self::Pool,
        Self::Timeout,
        Self::Search,
        Self::WebSocket,
    ];
}
