//! What `#[perf_test]` writes down for a load test, as plain data: its
//! workload options or, for the catalogue's kinds, the kind's own options.

use perf_record::kinds::KindOptions;
use perf_record::overrides::LoadShape;

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
    /// `stress(...)`, `caching(...)` or another kind of the catalogue
    /// instead of `load(...)`: its options, think time included (the
    /// fields above are then left unset).
    pub sweep: Option<KindOptions>,
}

impl LoadOptions {
    /// The workload's shape, which the command line's workload flags must
    /// fit.
    pub fn shape(&self) -> LoadShape {
        match &self.sweep {
            Some(kind) => LoadShape::Catalogue(kind.kind()),
            None if self.rate.is_some() || !self.rate_stages.is_empty() => LoadShape::Open,
            None => LoadShape::Closed,
        }
    }
}
