//! A kind's options once checked: what the macro writes into a test's
//! registration and the kind's runner reads. Each kind's own struct lives
//! in its module; [`KindOptions`] holds one of them, by family, so that a
//! runner is handed its kind's options and nothing else.

use super::caching::CachingOptions;
use super::family::{CatalogKind, SingleKind, SweepKind};
use super::kind::Kind;
use super::n_plus_one::NPlusOneOptions;
use super::pool::PoolOptions;
use super::rate_limit::RateLimitOptions;
use super::response_time::ResponseTimeOptions;
use super::search::SearchOptions;
use super::soak::SoakOptions;
use super::spike::SpikeOptions;
use super::sweep::{LevelSteps, UserSteps};
use super::timeout::TimeoutOptions;
use super::value::Think;
use super::websocket::WebSocketOptions;

/// The checked options of `stress(...)`, `caching(...)` and the rest: one
/// kind's own, in the family that runs it (see [`Family`](super::Family)).
#[derive(Debug, Clone, PartialEq)]
pub enum KindOptions {
    /// A kind that runs one step per level or phase.
    Sweep(SweepOptions),
    /// A kind that is one run.
    Single(SingleOptions),
    /// A kind whose steps are watched for more than timing.
    Catalog(CatalogOptions),
}

/// The options of a [`SweepKind`].
#[derive(Debug, Clone, PartialEq)]
pub enum SweepOptions {
    /// `stress(...)`.
    Stress(UserSteps),
    /// `scalability(...)`.
    Scalability(UserSteps),
    /// `volume(...)`: the levels are payload bytes.
    Volume(LevelSteps),
    /// `pagination(...)`: the levels are pages.
    Pagination(LevelSteps),
    /// `spike(...)`.
    Spike(SpikeOptions),
}

/// The options of a [`SingleKind`].
#[derive(Debug, Clone, PartialEq)]
pub enum SingleOptions {
    /// `response_time(...)`.
    ResponseTime(ResponseTimeOptions),
    /// `soak(...)`.
    Soak(SoakOptions),
}

/// The options of a [`CatalogKind`].
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogOptions {
    /// `rate_limit(...)`.
    RateLimit(RateLimitOptions),
    /// `caching(...)`.
    Caching(CachingOptions),
    /// `n_plus_one(...)`.
    NPlusOne(NPlusOneOptions),
    /// `pool(...)`.
    Pool(PoolOptions),
    /// `timeout(...)`.
    Timeout(TimeoutOptions),
    /// `search(...)`.
    Search(SearchOptions),
    /// `websocket(...)`.
    WebSocket(WebSocketOptions),
}

impl KindOptions {
    /// The kind they are the options of.
    pub fn kind(&self) -> Kind {
        match self {
            Self::Sweep(options) => options.kind().into(),
            Self::Single(options) => options.kind().into(),
            Self::Catalog(options) => options.kind().into(),
        }
    }
}

impl SweepOptions {
    /// The kind they are the options of.
    pub fn kind(&self) -> SweepKind {
        match self {
            Self::Stress(_) => SweepKind::Stress,
            Self::Scalability(_) => SweepKind::Scalability,
            Self::Volume(_) => SweepKind::Volume,
            Self::Pagination(_) => SweepKind::Pagination,
            Self::Spike(_) => SweepKind::Spike,
        }
    }

    /// The users' think time.
    pub fn think_ns(&self) -> Think {
        match self {
            Self::Stress(steps) | Self::Scalability(steps) => steps.think_ns,
            Self::Volume(steps) | Self::Pagination(steps) => steps.think_ns,
            Self::Spike(spike) => spike.think_ns,
        }
    }
}

impl SingleOptions {
    /// The kind they are the options of.
    pub fn kind(&self) -> SingleKind {
        match self {
            Self::ResponseTime(_) => SingleKind::ResponseTime,
            Self::Soak(_) => SingleKind::Soak,
        }
    }

    /// The user's think time.
    pub fn think_ns(&self) -> Think {
        match self {
            Self::ResponseTime(options) => options.think_ns,
            Self::Soak(options) => options.think_ns,
        }
    }
}

impl CatalogOptions {
    /// The kind they are the options of.
    pub fn kind(&self) -> CatalogKind {
        match self {
            Self::RateLimit(_) => CatalogKind::RateLimit,
            Self::Caching(_) => CatalogKind::Caching,
            Self::NPlusOne(_) => CatalogKind::NPlusOne,
            Self::Pool(_) => CatalogKind::Pool,
            Self::Timeout(_) => CatalogKind::Timeout,
            Self::Search(_) => CatalogKind::Search,
            Self::WebSocket(_) => CatalogKind::WebSocket,
        }
    }

    /// The users' think time (a rate-limit test's load is open: none).
    pub fn think_ns(&self) -> Think {
        match self {
            Self::RateLimit(_) => None,
            Self::Caching(options) => options.think_ns,
            Self::NPlusOne(options) => options.think_ns,
            Self::Pool(options) => options.think_ns,
            Self::Timeout(options) => options.think_ns,
            Self::Search(options) => options.think_ns,
            Self::WebSocket(options) => options.think_ns,
        }
    }

    /// How long each step runs, ns (before `--duration-scale`).
    pub fn step_ns(&self) -> u64 {
        match self {
            Self::RateLimit(options) => options.step_ns,
            Self::Caching(options) => options.step_ns,
            Self::NPlusOne(options) => options.step_ns,
            Self::Pool(options) => options.step_ns,
            Self::Timeout(options) => options.step_ns,
            Self::Search(options) => options.step_ns,
            Self::WebSocket(options) => options.step_ns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Given, Value};

    /// The least each kind needs to check.
    fn least(kind: Kind) -> Vec<Given> {
        let list = |values: &[f64]| Value::List(values.iter().map(|v| Value::Number(*v)).collect());
        let text = |s: &str| Value::Str(s.to_owned());
        let given = |pairs: Vec<(&str, Value)>| -> Vec<Given> {
            pairs.into_iter().map(|(k, v)| Given::new(k, v)).collect()
        };
        match kind {
            Kind::Stress | Kind::Scalability | Kind::Pool => {
                given(vec![("users", list(&[1.0, 2.0]))])
            }
            Kind::Volume => given(vec![("sizes", Value::List(vec![text("1KB")]))]),
            Kind::Pagination => given(vec![("pages", list(&[1.0, 10.0]))]),
            Kind::Spike => given(vec![("spike_users", Value::Number(8.0))]),
            Kind::ResponseTime => given(vec![("requests", Value::Number(10.0))]),
            Kind::Soak => given(vec![("hold", text("1m"))]),
            Kind::RateLimit => given(vec![("limit", Value::Number(50.0))]),
            Kind::Caching => Vec::new(),
            Kind::NPlusOne => given(vec![
                ("sizes", list(&[10.0, 100.0])),
                ("header", text("x-q")),
            ]),
            Kind::Timeout => given(vec![("after", text("500ms"))]),
            Kind::Search => given(vec![(
                "queries",
                Value::List(vec![text("a"), text("b"), text("c")]),
            )]),
            Kind::WebSocket => given(vec![("connections", list(&[1.0, 8.0]))]),
        }
    }

    #[test]
    fn each_kind_checks_into_its_own_options() {
        for kind in Kind::ALL {
            let options = kind.check(&least(kind)).unwrap();
            assert_eq!(options.kind(), kind, "{options:?}");
            let family_matches = matches!(
                (&options, kind.family()),
                (KindOptions::Sweep(_), super::super::Family::Sweep(_))
                    | (KindOptions::Single(_), super::super::Family::Single(_))
                    | (KindOptions::Catalog(_), super::super::Family::Catalog(_))
            );
            assert!(family_matches, "{kind} checked into {options:?}");
        }
    }

    #[test]
    fn think_time_is_the_kinds_own_and_a_rate_limit_has_none() {
        let think = Given::new("think", Value::Str("1s".into()));
        for kind in Kind::ALL {
            if !kind.spec().keys.contains(&"think") {
                assert_eq!(kind, Kind::RateLimit);
                continue;
            }
            let mut given = least(kind);
            given.push(think.clone());
            let expected = Some((1_000_000_000, 1_000_000_000));
            let read = match kind.check(&given).unwrap() {
                KindOptions::Sweep(options) => options.think_ns(),
                KindOptions::Single(options) => options.think_ns(),
                KindOptions::Catalog(options) => options.think_ns(),
            };
            assert_eq!(read, expected, "{kind}");
        }
    }
}
