//! What `#[perf_test]` writes down for a load test, as plain data: its
//! workload options and, for the step-by-step kinds, the kind and its own
//! options.

use perf_record::kinds::Kind;

/// The options of `#[perf_test(load(...))]`, as the macro passes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {
    /// `load = "name"`.
    pub preset: Option<&'static str>,
    /// `users = N`.
    pub users: Option<u32>,
    /// `ramp_up = "10s"`, ns.
    pub ramp_up_ns: Option<u64>,
    /// `hold = "60s"`, ns.
    pub hold_ns: Option<u64>,
    /// `rate = 100.0` iterations per second.
    pub rate: Option<f64>,
    /// `duration = "30s"` (open model), ns.
    pub duration_ns: Option<u64>,
    /// `stages(("10s", 20), ...)`: (ns, target).
    pub stages: &'static [(u64, f64)],
    /// `rate_stages(...)`: like `stages`, for the open model.
    pub rate_stages: &'static [(u64, f64)],
    /// `think = "1s"` or `think = "0.5s..1.5s"`: (min ns, max ns).
    pub think_ns: Option<(u64, u64)>,
    /// `max_in_flight = 500`.
    pub max_in_flight: Option<u64>,
    /// `stress(...)`, `scalability(...)`, `volume(...)` or
    /// `pagination(...)` instead of `load(...)`.
    pub sweep: Option<SweepOptions>,
}

/// `stress(users = [1, 2, 4], step = "2s")` and the like, as the macro
/// passes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepOptions {
    /// Which analysis.
    pub kind: Kind,
    /// The levels, ascending: users, bytes or pages.
    pub levels: &'static [u64],
    /// How long each level runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// Volume and pagination: users at every level.
    pub users: u32,
    /// Spike: how long before, during and after the spike, ns (the levels
    /// are the users before and after, and during).
    pub phases_ns: [u64; 3],
    /// Spike: the length of the windows the recovery is read in, ns.
    pub window_ns: u64,
    /// Spike: a window whose p95 is within this much of the pre-spike p95
    /// has recovered, percent.
    pub tolerance_pct: f64,
    /// Search: the queries, one level each.
    pub labels: &'static [&'static str],
    /// N+1: the response header that counts the request's queries.
    pub counter_header: Option<&'static str>,
    /// N+1: or the Prometheus counter that counts them, and where it is.
    pub counter_metric: Option<(&'static str, &'static str)>,
    /// Rate limit: the declared limit, requests per second; pool: the
    /// declared pool size (0: not given).
    pub limit: f64,
    /// Rate limit: how far above the limit to drive (2: twice the limit).
    pub factor: f64,
    /// Timeout: each request's timeout, ns.
    pub timeout_ns: u64,
    /// Timeout: the path probed afterwards.
    pub probe: &'static str,
    /// Caching: how many keys the warm phase cycles over.
    pub keys: u64,
}

impl SweepOptions {
    /// The options every kind leaves as they are unless it has them.
    pub const DEFAULT: Self = Self {
        kind: Kind::Scalability,
        levels: &[],
        step_ns: 2_000_000_000,
        users: 1,
        phases_ns: [0; 3],
        window_ns: 0,
        tolerance_pct: 0.0,
        labels: &[],
        counter_header: None,
        counter_metric: None,
        limit: 0.0,
        factor: 2.0,
        timeout_ns: 0,
        probe: "/",
        keys: 20,
    };
}
