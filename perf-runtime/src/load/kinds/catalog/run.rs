//! Running a catalogue test: the one loop every [`CatalogueKind`] goes
//! through, its steps, each watched by the kind's observer, then the
//! kind's own analysis.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use perf_record::load::{LevelStats, LoadStats, SweepStats, WorkloadSummary};
use perf_record::threshold::Threshold;

use super::kind::{Analysis, CatalogueKind, Ran};
use crate::load::engine::Generator;
use crate::load::http::observe::{Keys, Observe, Observed};
use crate::load::kinds::figures::{level_stats, think_ms};
use crate::load::kinds::kind_run::KindRun;
use crate::load::kinds::smoke::Smoke;
use crate::load::merge::merge;
use crate::load::profile::{LoadOptions, LoadProfile};

/// Every catalogue kind runs through the one loop below.
impl<K: CatalogueKind> KindRun for K {
    fn run(
        &self,
        generator: Generator<'_>,
        scale: f64,
        _thresholds: &[Threshold],
    ) -> Result<(LoadStats, Duration), String> {
        run(self, generator, scale)
    }

    /// Its first step, as it would run it.
    fn smoke(&self) -> Smoke {
        let first = self.plan(1.0).into_iter().next();
        Smoke {
            level: first.as_ref().map_or(0, |step| step.level),
            label: first.and_then(|step| step.label),
            timeout: self.request_timeout(),
        }
    }

    fn times_out_on_purpose(&self) -> bool {
        CatalogueKind::times_out_on_purpose(self)
    }
}

/// The first cache key of this run: different in every run, so that a
/// server kept from an earlier run has none of them cached.
fn key_base() -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    (now.as_secs() % 1_000_000) * 1_000_000 + u64::from(std::process::id() % 1000) * 1000
}

/// Runs a catalogue test and returns its figures with the analysis, and
/// how long the workload was meant to take.
fn run<K: CatalogueKind + ?Sized>(
    kind_of: &K,
    generator: Generator<'_>,
    scale: f64,
) -> Result<(LoadStats, Duration), String> {
    let kind = kind_of.kind();
    let think_ns = kind_of.think_ns();
    let target = generator.target;
    let mut runs: Vec<LoadStats> = Vec::new();
    let mut levels: Vec<LevelStats> = Vec::new();
    let mut seen: Vec<Observed> = Vec::new();
    let mut total = Duration::ZERO;
    let base = key_base();
    let steps = kind_of.plan(scale);
    for step in &steps {
        let observer = kind_of.observer(base, seen.first());
        let step_options = match step.rate {
            Some(rate) => LoadOptions {
                rate: Some(rate),
                duration_ns: Some(step.ns),
                ..LoadOptions::default()
            },
            None => LoadOptions {
                users: Some(step.users),
                ramp_up_ns: Some(0),
                hold_ns: Some(step.ns),
                think_ns,
                ..LoadOptions::default()
            },
        };
        let describe = step.phase.clone().unwrap_or_else(|| kind_of.describe(step));
        let mut profile = LoadProfile::resolve(&step_options, scale)
            .map_err(|e| format!("invalid {kind} step ({describe}): {e}"))?;
        profile.level = step.level;
        profile.label = step.label;
        profile.request_timeout = kind_of.request_timeout();
        profile.observer = Some(Observe(Arc::clone(&observer)));
        total += profile.total();
        eprintln!("{kind}: {describe}");
        let before = kind_of.scrape(target)?;
        let stats = generator.run(&profile)?;
        let after = kind_of.scrape(target)?;
        let mut observed = observer.observed();
        observed.keys_issued = observer.keys.as_ref().map_or(0, Keys::issued);
        let mut level = level_stats(step.level, step.users, &stats, Vec::new());
        level.phase.clone_from(&step.phase);
        kind_of.finish_level(&mut level, &observed, (before, after), &stats)?;
        levels.push(level);
        seen.push(observed);
        runs.push(stats);
    }
    let mut analysis = Analysis::default();
    let ran = Ran {
        target,
        levels: &levels,
        seen: &seen,
        runs: &runs,
    };
    kind_of.analyse(&ran, &mut analysis)?;
    let mut overall = merge(&runs);
    kind_of.settle(&mut overall, &mut levels, &seen);
    overall.workload = WorkloadSummary {
        // A step at a rate is an open model (a rate-limit test's).
        model: if steps.iter().any(|s| s.rate.is_some()) {
            "open"
        } else {
            "closed"
        }
        .to_owned(),
        preset: None,
        stages: steps
            .iter()
            .map(|s| {
                (
                    s.ns as f64 / 1e9 * scale,
                    s.rate.unwrap_or(f64::from(s.users)),
                )
            })
            .collect(),
        think_ms: think_ms(think_ns, scale),
        max_in_flight: None,
    };
    let Analysis {
        metrics,
        findings,
        unmeasured,
    } = analysis;
    let mut sweep = SweepStats::of(kind, levels, metrics, findings);
    sweep.unmeasured = unmeasured;
    overall.sweep = Some(sweep);
    Ok((overall, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::kinds::catalog::pool::Pool;
    use crate::load::kinds::catalog::rate_limit::RateLimit;
    use crate::load::kinds::catalog::search::Search;
    use crate::load::kinds::catalog::timeout::Timeout;
    use perf_record::kinds::{
        List, PoolOptions, RateLimitOptions, SearchOptions, Text, TimeoutOptions,
    };

    static LIMITED: RateLimitOptions = RateLimitOptions {
        limit: 50.0,
        factor: 3.0,
        step_ns: 3_000_000_000,
    };

    static SEARCH: SearchOptions = SearchOptions {
        queries: List::Borrowed(&[Text::Borrowed("a"), Text::Borrowed("b")]),
        users: 2,
        step_ns: 1_000_000_000,
        think_ns: None,
    };

    static POOL: PoolOptions = PoolOptions {
        users: List::Borrowed(&[2, 8]),
        size: Some(4),
        step_ns: 1_000_000_000,
        think_ns: None,
    };

    static TIMEOUT: TimeoutOptions = TimeoutOptions {
        after_ns: 500_000_000,
        users: 4,
        step_ns: 2_000_000_000,
        probe: Text::Borrowed("/health"),
        think_ns: None,
    };

    #[test]
    fn each_kind_plans_its_steps_from_its_own_options() {
        let rates: Vec<_> = RateLimit(&LIMITED)
            .plan(1.0)
            .iter()
            .map(|s| (s.rate, s.ns))
            .collect();
        assert_eq!(
            rates,
            [(Some(40.0), 3_000_000_000), (Some(150.0), 3_000_000_000)],
            "below the limit, then `over` times it"
        );
        let queries: Vec<_> = Search(&SEARCH)
            .plan(1.0)
            .iter()
            .map(|s| (s.label, s.level, s.users))
            .collect();
        assert_eq!(queries, [(Some("a"), 0, 2), (Some("b"), 1, 2)]);
        let users: Vec<_> = Pool(&POOL)
            .plan(1.0)
            .iter()
            .map(|s| (s.level, s.users))
            .collect();
        assert_eq!(users, [(2, 2), (8, 8)]);
        assert_eq!(Pool(&POOL).request_timeout(), None);
    }

    #[test]
    fn a_rate_limit_step_reads_for_a_second_whatever_the_scale() {
        let scaled: Vec<_> = RateLimit(&LIMITED)
            .plan(0.01)
            .iter()
            .map(|s| s.ns)
            .collect();
        assert_eq!(scaled, [100_000_000_000; 2], "1 s after scaling by 0.01");
    }

    #[test]
    fn only_a_timeout_test_times_out_on_purpose() {
        assert!(KindRun::times_out_on_purpose(&Timeout(&TIMEOUT)));
        assert!(!KindRun::times_out_on_purpose(&Pool(&POOL)));
        assert!(!KindRun::times_out_on_purpose(&RateLimit(&LIMITED)));
        assert_eq!(
            Timeout(&TIMEOUT).request_timeout(),
            Some(Duration::from_millis(500))
        );
    }
}
