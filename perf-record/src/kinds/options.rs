//! A kind's options once checked: what the macro records and the runtime's
//! analysis reads. Each field says which kinds use it; the others leave it
//! at its default.

use super::kind::Kind;

/// The checked options of `stress(...)`, `caching(...)` and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct KindOptions {
    /// Which kind.
    pub kind: Kind,
    /// The levels, ascending: users, bytes, pages, items or connections
    /// (spike: the users before and after, then during).
    pub levels: Vec<u64>,
    /// How long each level runs, ns (soak: the hold).
    pub step_ns: u64,
    /// Users at every level, where the levels are not users.
    pub users: u32,
    /// Spike: before, during and after the spike, ns; soak: the warm-up
    /// and the hold.
    pub phases_ns: [u64; 3],
    /// Spike: the windows the recovery is read in, ns.
    pub window_ns: u64,
    /// Spike: how far above the pre-spike p95 counts as recovered, %.
    pub tolerance_pct: f64,
    /// Search: the queries.
    pub labels: Vec<String>,
    /// N+1: the header that counts queries.
    pub counter_header: Option<String>,
    /// N+1: or the Prometheus counter that counts them.
    pub counter_metric: Option<String>,
    /// N+1: where the Prometheus counter is served.
    pub metrics_path: String,
    /// Rate limit: requests per second; pool: its size (0: not given).
    pub limit: f64,
    /// Rate limit: how far above the limit to drive.
    pub factor: f64,
    /// Timeout: the client's timeout, ns.
    pub timeout_ns: u64,
    /// Timeout: the path probed afterwards.
    pub probe: String,
    /// Caching: the keys the warm phase cycles over.
    pub keys: u64,
    /// Think time between iterations, (min ns, max ns).
    pub think_ns: Option<(u64, u64)>,
}

impl KindOptions {
    /// The options every kind starts from.
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            levels: Vec::new(),
            step_ns: 2_000_000_000,
            users: 1,
            phases_ns: [0; 3],
            window_ns: 0,
            tolerance_pct: 0.0,
            labels: Vec::new(),
            counter_header: None,
            counter_metric: None,
            metrics_path: "/metrics".to_owned(),
            limit: 0.0,
            factor: 2.0,
            timeout_ns: 0,
            probe: "/".to_owned(),
            keys: 20,
            think_ns: None,
        }
    }
}
