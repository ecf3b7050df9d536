//! Which runner runs each kind: [`runner`], the one line per kind that
//! hands a kind's options to its [`KindRun`].

use perf_record::kinds::KindOptions;

use super::catalog;
use super::kind_run::KindRun;
use super::smoke::Smoke;
use super::sweep::{Single, Sweep};

/// The runner of a kind, handed its own options: the one place that says
/// which runner each kind goes to.
pub(crate) fn runner(options: &'static KindOptions) -> Box<dyn KindRun> {
    match options {
        KindOptions::Stress(o) => Box::new(Sweep::Stress(o)),
        KindOptions::Scalability(o) => Box::new(Sweep::Scalability(o)),
        KindOptions::Volume(o) => Box::new(Sweep::Volume(o)),
        KindOptions::Pagination(o) => Box::new(Sweep::Pagination(o)),
        KindOptions::Spike(o) => Box::new(Sweep::Spike(o)),
        KindOptions::ResponseTime(o) => Box::new(Single::ResponseTime(o)),
        KindOptions::Soak(o) => Box::new(Single::Soak(o)),
        KindOptions::RateLimit(o) => Box::new(catalog::rate_limit::RateLimit(o)),
        KindOptions::Caching(o) => Box::new(catalog::caching::Caching(o)),
        KindOptions::NPlusOne(o) => Box::new(catalog::n_plus_one::NPlusOne(o)),
        KindOptions::Pool(o) => Box::new(catalog::pool::Pool(o)),
        KindOptions::Timeout(o) => Box::new(catalog::timeout::Timeout(o)),
        KindOptions::Search(o) => Box::new(catalog::search::Search(o)),
        KindOptions::WebSocket(o) => Box::new(catalog::websocket::WebSocket(o)),
    }
}

/// The smoke run of a test of this kind: its runner's.
pub(crate) fn smoke(options: &'static KindOptions) -> Smoke {
    runner(options).smoke()
}

#[cfg(test)]
mod tests {
    use super::*;
    use perf_record::kinds::{List, SearchOptions, SpikeOptions, Text, TimeoutOptions};
    use std::time::Duration;

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
