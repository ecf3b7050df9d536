//! What a catalogue kind that reads more than timing tells the central
//! loop (`run.rs`): its steps, what each step watches, what it adds to a
//! step's level, its analysis, and how its load is counted. Each kind's
//! module implements [`CatalogueKind`] beside its analysis.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use perf_record::kinds::{Kind, Think};
use perf_record::load::{LevelStats, LoadStats};

use crate::load::http::observe::{Observed, Observer};
use crate::load::http::target::Target;

/// One step of a catalogue test.
pub(crate) struct Step {
    /// Its name in the report (`below`, `cold`, a query), if not a level.
    pub(crate) phase: Option<String>,
    pub(crate) level: u64,
    pub(crate) users: u32,
    /// Open model: iterations per second, instead of users.
    pub(crate) rate: Option<f64>,
    pub(crate) label: Option<&'static str>,
    /// How long it runs, ns (before `--duration-scale`).
    pub(crate) ns: u64,
}

impl Step {
    /// A closed-model step of `users`, at `level`, for `ns`.
    pub(crate) fn closed(phase: Option<&str>, level: u64, users: u32, ns: u64) -> Self {
        Self {
            phase: phase.map(ToOwned::to_owned),
            level,
            users,
            rate: None,
            label: None,
            ns,
        }
    }

    /// One step per level whose level is the users (the connections).
    pub(crate) fn by_users(levels: &[u64], ns: u64) -> Vec<Self> {
        levels
            .iter()
            .map(|&users| Self::closed(None, users, u32::try_from(users).unwrap_or(u32::MAX), ns))
            .collect()
    }
}

/// What a catalogue test's steps gave, for the kind's analysis.
pub(crate) struct Ran<'a> {
    /// The server.
    pub(crate) target: &'a Target,
    /// Each step's level.
    pub(crate) levels: &'a [LevelStats],
    /// What each step's observer saw.
    pub(crate) seen: &'a [Observed],
    /// Each step's figures.
    pub(crate) runs: &'a [LoadStats],
}

/// What a kind's analysis finds: its figures, its findings, and the
/// figures it could not measure, with why.
#[derive(Default)]
pub(crate) struct Analysis {
    pub(crate) metrics: BTreeMap<String, f64>,
    pub(crate) findings: Vec<perf_record::finding::Finding>,
    pub(crate) unmeasured: BTreeMap<String, String>,
}

/// A kind of the catalogue that runs short steps, each watched by an
/// [`Observer`], then says what it found. Holds its own options.
pub(crate) trait CatalogueKind {
    /// Which kind it is.
    fn kind(&self) -> Kind;

    /// The users' think time.
    fn think_ns(&self) -> Think;

    /// Its steps, in order (`scale`: `--duration-scale`).
    fn plan(&self, scale: f64) -> Vec<Step>;

    /// A step without a phase name, in words, for the log and errors.
    fn describe(&self, step: &Step) -> String {
        format!("{} users", step.users)
    }

    /// What a step watches besides timing (`base`: this run's first cache
    /// key; `cold`: what the first step saw, once it ran).
    fn observer(&self, _base: u64, _cold: Option<&Observed>) -> Arc<Observer> {
        Observer::new(None, None)
    }

    /// The client's timeout of each request.
    fn request_timeout(&self) -> Option<Duration> {
        None
    }

    /// Whether its requests time out on purpose (its analysis reads them).
    fn times_out_on_purpose(&self) -> bool {
        false
    }

    /// A counter read from the server before and after each step.
    fn scrape(&self, _target: &Target) -> Result<Option<f64>, String> {
        Ok(None)
    }

    /// What the kind adds to a step's level once the step ran (`counter`:
    /// [`scrape`](Self::scrape) before and after it).
    fn finish_level(
        &self,
        _level: &mut LevelStats,
        _observed: &Observed,
        _counter: (Option<f64>, Option<f64>),
        _stats: &LoadStats,
    ) -> Result<(), String> {
        Ok(())
    }

    /// Its analysis of the steps; an error when they cannot say anything.
    fn analyse(&self, ran: &Ran<'_>, out: &mut Analysis) -> Result<(), String>;

    /// What it changes in the merged figures and the levels once analysed
    /// (a rate-limit test takes out the 429s it provoked).
    fn settle(&self, _overall: &mut LoadStats, _levels: &mut [LevelStats], _seen: &[Observed]) {}
}
