//! What a catalogue test's smoke run under `cargo test` takes from the
//! kind's options: the level of its first step, its first query, and the
//! client's timeout of a timeout test; each kind's runner says which
//! (`runner::smoke`).

use std::time::Duration;

/// The few iterations of a smoke run, as the kind would first run them
/// (a plain load test's: the defaults).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Smoke {
    /// What `user.level()` says.
    pub(crate) level: u64,
    /// What `user.label()` says.
    pub(crate) label: Option<&'static str>,
    /// The requests' timeout, if the kind sets one.
    pub(crate) timeout: Option<Duration>,
}
