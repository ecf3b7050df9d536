//! What a catalogue test's smoke run under `cargo test` takes from the
//! kind's options: the level of its first step, its first query, and the
//! client's timeout of a timeout test.

use std::time::Duration;

use perf_record::kinds::{CatalogOptions, KindOptions, SingleOptions, SweepOptions};

use super::catalog::request_timeout;

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

/// The smoke run of a test of this kind.
pub(crate) fn smoke(options: &'static KindOptions) -> Smoke {
    let first = |levels: &[u64]| levels.first().copied().unwrap_or(0);
    let level = match options {
        KindOptions::Sweep(SweepOptions::Stress(steps) | SweepOptions::Scalability(steps)) => {
            first(&steps.users)
        }
        KindOptions::Sweep(SweepOptions::Volume(steps) | SweepOptions::Pagination(steps)) => {
            first(&steps.levels)
        }
        KindOptions::Sweep(SweepOptions::Spike(spike)) => spike.users.into(),
        KindOptions::Single(SingleOptions::ResponseTime(options)) => options.requests,
        KindOptions::Single(SingleOptions::Soak(options)) => options.users.into(),
        KindOptions::Catalog(CatalogOptions::NPlusOne(options)) => first(&options.sizes),
        KindOptions::Catalog(CatalogOptions::Pool(options)) => first(&options.users),
        KindOptions::Catalog(CatalogOptions::WebSocket(options)) => first(&options.connections),
        KindOptions::Catalog(
            CatalogOptions::RateLimit(_)
            | CatalogOptions::Caching(_)
            | CatalogOptions::Timeout(_)
            | CatalogOptions::Search(_),
        ) => 0,
    };
    let KindOptions::Catalog(catalog) = options else {
        return Smoke {
            level,
            ..Smoke::default()
        };
    };
    let label = match catalog {
        CatalogOptions::Search(search) => search.queries.first().map(|q| -> &'static str { q }),
        _ => None,
    };
    Smoke {
        level,
        label,
        timeout: request_timeout(catalog),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use perf_record::kinds::{List, SearchOptions, SpikeOptions, Text, TimeoutOptions};

    static SEARCH: KindOptions = KindOptions::Catalog(CatalogOptions::Search(SearchOptions {
        queries: List::Borrowed(&[Text::Borrowed("red chair"), Text::Borrowed("oak")]),
        users: 1,
        step_ns: 1_000_000_000,
        think_ns: None,
    }));

    static TIMEOUT: KindOptions = KindOptions::Catalog(CatalogOptions::Timeout(TimeoutOptions {
        after_ns: 500_000_000,
        users: 4,
        step_ns: 2_000_000_000,
        probe: Text::Borrowed("/health"),
        think_ns: None,
    }));

    static SPIKE: KindOptions = KindOptions::Sweep(SweepOptions::Spike(SpikeOptions {
        users: 2,
        spike_users: 20,
        phases_ns: [1; 3],
        window_ns: 1,
        tolerance_pct: 50.0,
        think_ns: None,
    }));

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
