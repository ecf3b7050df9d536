//! What a catalogue test's smoke run under `cargo test` takes from the
//! kind's options: the level of its first step, its first query, and the
//! client's timeout of a timeout test; each kind's runner says which.

use std::time::Duration;

use perf_record::kinds::KindOptions;

use super::runner::runner;

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

/// The smoke run of a test of this kind: its runner's.
pub(crate) fn smoke(options: &'static KindOptions) -> Smoke {
    runner(options).smoke()
}

#[cfg(test)]
mod tests {
    use super::*;
    use perf_record::kinds::{List, SearchOptions, SpikeOptions, Text, TimeoutOptions};

    static SEARCH: KindOptions = KindOptions::Search(SearchOptions {
        queries: List::Borrowed(&[Text::Borrowed("red chair"), Text::Borrowed("oak")]),
        users: 1,
        step_ns: 1_000_000_000,
        think_ns: None,
    });

    static TIMEOUT: KindOptions = KindOptions::Timeout(TimeoutOptions {
        after_ns: 500_000_000,
        users: 4,
        step_ns: 2_000_000_000,
        probe: Text::Borrowed("/health"),
        think_ns: None,
    });

    static SPIKE: KindOptions = KindOptions::Spike(SpikeOptions {
        users: 2,
        spike_users: 20,
        phases_ns: [1; 3],
        window_ns: 1,
        tolerance_pct: 50.0,
        think_ns: None,
    });

    #[test]
    fn a_smoke_run_takes_the_first_query_the_timeout_and_the_base_users() {
        let search = smoke(&SEARCH);
        assert_eq!((search.level, search.label), (0, Some("red chair")));
        let timeout = smoke(&TIMEOUT);
        assert_eq!(timeout.timeout, Some(Duration::from_millis(500)));
        assert_eq!(
            smoke(&SPIKE),
            Smoke {
                level: 2,
                label: None,
                timeout: None
            }
        );
    }
}
