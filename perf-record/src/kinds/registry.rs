//! The one list of the catalogue's kinds. Each line names a kind's
//! variant, its name as written and recorded, and its module's `Spec`,
//! `check` and options type; `Kind`, `Kind::ALL`, `Kind::spec`,
//! `Kind::check` and `KindOptions` are built from it here, and the macro's
//! emitting of the options from it in perf-macros.

/// Hands the list of kinds to the macro named: `for_each_kind!(then)`
/// expands to `then! { ... }` with one entry per kind,
/// `Variant = "name" => module::{SPEC, check, Options};` after the kind's
/// doc comment. Other crates read only the variant, the name and the doc.
#[doc(hidden)]
#[macro_export]
macro_rules! for_each_kind {
    ($then:ident) => {
        $then! {
            /// More users per level until a threshold breaks: the breaking point.
            Stress = "stress" => sweep::{STRESS, user_steps, UserSteps};
            /// More users per level: the throughput curve and scaling efficiency.
            Scalability = "scalability" => sweep::{SCALABILITY, user_steps, UserSteps};
            /// A larger payload per level: latency growth with size.
            Volume = "volume" => sweep::{VOLUME, level_steps, LevelSteps};
            /// A deeper page per level: latency growth with the offset.
            Pagination = "pagination" => sweep::{PAGINATION, level_steps, LevelSteps};
            /// Base load, a burst, base load again: how long until latency is back.
            Spike = "spike" => spike::{SPEC, check, SpikeOptions};
            /// One user, a fixed number of requests one after the other.
            ResponseTime = "response_time" => response_time::{SPEC, check, ResponseTimeOptions};
            /// A long hold: the server's memory growth and the latency drift.
            Soak = "soak" => soak::{SPEC, check, SoakOptions};
            /// Below and above a declared rate limit: 429s, what gets through, and
            /// the limit headers.
            RateLimit = "rate_limit" => rate_limit::{SPEC, check, RateLimitOptions};
            /// Cold keys, then warm ones: the cache's speedup, its headers, and
            /// conditional requests.
            Caching = "caching" => caching::{SPEC, check, CachingOptions};
            /// Larger pages per level: a server-side query counter per request.
            NPlusOne = "n_plus_one" => n_plus_one::{SPEC, check, NPlusOneOptions};
            /// More users per level than a pool holds: errors and the latency knee.
            Pool = "pool" => pool::{SPEC, check, PoolOptions};
            /// A client timeout against a slow endpoint, then a probe that the
            /// server still answers.
            Timeout = "timeout" => timeout::{SPEC, check, TimeoutOptions};
            /// One level per query: per-query statistics, the slowest named.
            Search = "search" => search::{SPEC, check, SearchOptions};
            /// More open WebSockets per level: round-trip latency, how it grows
            /// with the connections, and the handshakes that succeeded.
            WebSocket = "websocket" => websocket::{SPEC, check, WebSocketOptions};
        }
    };
}
