//! The kinds that share the sweep runner, each with its options: a
//! stress, scalability, volume, pagination or spike test runs one
//! closed-model step per level or phase (`run.rs`); a response-time or
//! soak test is one run (`single.rs`).

use perf_record::kinds::{
    Kind, LevelSteps, ResponseTimeOptions, SoakOptions, SpikeOptions, Think, ThinkTime as _,
    UserSteps,
};

/// A kind that runs one short step per level or phase.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sweep {
    /// `stress(...)`: stops at the first level that breaks a threshold.
    Stress(&'static UserSteps),
    /// `scalability(...)`.
    Scalability(&'static UserSteps),
    /// `volume(...)`: the levels are payload bytes.
    Volume(&'static LevelSteps),
    /// `pagination(...)`: the levels are pages.
    Pagination(&'static LevelSteps),
    /// `spike(...)`.
    Spike(&'static SpikeOptions),
}

impl Sweep {
    /// Which kind it is.
    pub(super) fn kind(self) -> Kind {
        match self {
            Self::Stress(_) => Kind::Stress,
            Self::Scalability(_) => Kind::Scalability,
            Self::Volume(_) => Kind::Volume,
            Self::Pagination(_) => Kind::Pagination,
            Self::Spike(_) => Kind::Spike,
        }
    }

    /// The users' think time.
    pub(super) fn think_ns(self) -> Think {
        match self {
            Self::Stress(steps) | Self::Scalability(steps) => steps.think_ns(),
            Self::Volume(steps) | Self::Pagination(steps) => steps.think_ns(),
            Self::Spike(spike) => spike.think_ns(),
        }
    }
}

/// A kind that is one run.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Single {
    /// `response_time(...)`.
    ResponseTime(&'static ResponseTimeOptions),
    /// `soak(...)`.
    Soak(&'static SoakOptions),
}

impl Single {
    /// Which kind it is.
    pub(super) fn kind(self) -> Kind {
        match self {
            Self::ResponseTime(_) => Kind::ResponseTime,
            Self::Soak(_) => Kind::Soak,
        }
    }

    /// The users' think time.
    pub(super) fn think_ns(self) -> Think {
        match self {
            Self::ResponseTime(options) => options.think_ns(),
            Self::Soak(options) => options.think_ns(),
        }
    }
}
