//! One share of a split load as a run carries it: which share, when each
//! of its load tests starts (the same instants in every share, computed
//! without talking to the others), which started late, and the hash of
//! what every share must agree on.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use perf_record::split::{
    LateStart, MAX_LATE_S, MAX_LEAD_S, SETTLE_S, Split, SplitInfo, StartReport, config_hash, env,
};

use crate::cli::{PerfArgs, SplitFlag};
use crate::error::CliError;

/// A run's share of a split load.
#[derive(Debug, Clone)]
pub struct SplitRun {
    split: Split,
    start_at_unix_ms: u64,
    config_hash: String,
    clock: Arc<Mutex<Clock>>,
}

#[derive(Debug, Default)]
struct Clock {
    /// When the next load test starts, ms since the Unix epoch.
    next_ms: u64,
    late: Vec<LateStart>,
}

/// The share `args` ask for, checked before anything is built: `None`
/// without `--split`. `--split N` reads the share from the pod.
pub(crate) fn resolve(args: &PerfArgs) -> Result<Option<(Split, u64)>, CliError> {
    let (Some(flag), Some(start)) = (args.split.split, args.split.start_at) else {
        return Ok(None);
    };
    let split = match flag {
        SplitFlag::Share(split) => split,
        SplitFlag::Count(count) => {
            let index = std::env::var(env::JOB_COMPLETION_INDEX).map_err(|_| {
                CliError::Usage(format!(
                    "--split {count} takes the share from {} (set in each pod of a Kubernetes \
                     Indexed Job); outside one, give the share: --split I/{count}",
                    env::JOB_COMPLETION_INDEX
                ))
            })?;
            Split::from_completion_index(&index, count).map_err(CliError::Usage)?
        }
    };
    let target = args.target_url.is_some()
        || std::env::var(perf_record::protocol::env::TARGET_URL)
            .is_ok_and(|u| !u.trim().is_empty());
    if !target {
        return Err(CliError::Usage(
            "--split loads one server shared by every share: give it with --target-url \
             (a server of its own in each share would add N servers' capacity, not split one load)"
                .to_owned(),
        ));
    }
    check_start(start.0, SystemTime::now())?;
    Ok(Some((split, start.0)))
}

/// A start further than [`MAX_LEAD_S`] ahead, or more than
/// [`MAX_LATE_S`] past, is a mistake, refused before anything is built.
fn check_start(start_ms: u64, now: SystemTime) -> Result<(), CliError> {
    let start = UNIX_EPOCH + Duration::from_millis(start_ms);
    let shown = crate::cli::StartAt(start_ms).to_rfc3339();
    match start.duration_since(now) {
        Ok(ahead) if ahead > Duration::from_secs(MAX_LEAD_S) => Err(CliError::Usage(format!(
            "--start-at {shown} is {:.0} h away, more than the {} h allowed: a wrong date, or \
             milliseconds given as seconds?",
            ahead.as_secs_f64() / 3600.0,
            MAX_LEAD_S / 3600
        ))),
        Err(past) if past.duration() > Duration::from_secs(MAX_LATE_S) => {
            Err(CliError::Usage(format!(
                "--start-at {shown} was {:.0} s ago, more than the {MAX_LATE_S} s a share may start \
                 late: the other shares have run without this one; give a new start to all of them",
                past.duration().as_secs_f64()
            )))
        }
        _ => Ok(()),
    }
}

impl SplitRun {
    /// The share, with the hash of what every share must agree on: the
    /// count, the start, the load tests in order, the target and the
    /// flags that change a workload.
    pub(crate) fn new(split: Split, start_at_unix_ms: u64, agreed: &[(&str, String)]) -> Self {
        let mut text = format!("count={}\nstart={start_at_unix_ms}\n", split.count);
        for (key, value) in agreed {
            text.push_str(&format!("{key}={value}\n"));
        }
        Self {
            split,
            start_at_unix_ms,
            config_hash: config_hash(&text),
            clock: Arc::new(Mutex::new(Clock {
                next_ms: start_at_unix_ms,
                late: Vec::new(),
            })),
        }
    }

    /// The share.
    pub fn split(&self) -> Split {
        self.split
    }

    /// The environment of a load test's process, and the instant its
    /// workload starts (its time limit counts from there).
    pub(crate) fn next_start(&self) -> ([(&'static str, String); 2], Instant) {
        let next = self
            .clock
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .next_ms;
        let at = UNIX_EPOCH + Duration::from_millis(next);
        let instant = match at.duration_since(SystemTime::now()) {
            Ok(ahead) => Instant::now() + ahead,
            Err(_) => Instant::now(),
        };
        (
            [
                (env::SPLIT, self.split.to_string()),
                (env::START_AT, next.to_string()),
            ],
            instant,
        )
    }

    /// A load test's process said when it started.
    pub(crate) fn started(&self, test: &str, json: &str) {
        let Ok(report) = serde_json::from_str::<StartReport>(json) else {
            return;
        };
        if report.late_ms > 0 {
            eprintln!(
                "warning: share {} of {test} started {:.3} s after the shared start",
                self.split,
                report.late_ms as f64 / 1e3
            );
            self.clock
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .late
                .push(LateStart {
                    test: test.to_owned(),
                    late_ms: report.late_ms,
                });
        }
    }

    /// A load test whose workload is planned to last `planned` ended: the
    /// next starts at this one's start plus `planned` plus
    /// [`SETTLE_S`], in every share alike.
    pub(crate) fn finished(&self, planned: Duration) {
        let mut clock = self.clock.lock().unwrap_or_else(PoisonError::into_inner);
        let step = u64::try_from(planned.as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(SETTLE_S * 1000);
        clock.next_ms = clock.next_ms.saturating_add(step);
    }

    /// What the run record says.
    pub fn info(&self) -> SplitInfo {
        let clock = self.clock.lock().unwrap_or_else(PoisonError::into_inner);
        SplitInfo {
            index: self.split.index,
            count: self.split.count,
            start_at_unix_ms: self.start_at_unix_ms,
            config_hash: self.config_hash.clone(),
            late_starts: clock.late.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_share_computes_the_same_starts_and_the_same_hash() {
        let agreed = [("tests", "a,b".to_owned())];
        let shares: Vec<SplitRun> = (1..=3)
            .map(|i| SplitRun::new(Split::new(i, 3).unwrap(), 5_000, &agreed))
            .collect();
        for share in &shares {
            share.finished(Duration::from_secs(10));
            let (env, _) = share.next_start();
            assert_eq!(env[1].1, (5_000 + 10_000 + SETTLE_S * 1000).to_string());
        }
        let hashes: Vec<String> = shares.iter().map(|s| s.info().config_hash).collect();
        assert!(hashes.iter().all(|h| *h == hashes[0]), "{hashes:?}");
        let other = SplitRun::new(
            Split::new(1, 3).unwrap(),
            5_000,
            &[("tests", "a".to_owned())],
        );
        assert_ne!(other.info().config_hash, hashes[0]);
        assert_eq!(shares[1].next_start().0[0].1, "2/3");
    }

    #[test]
    fn a_late_start_is_recorded() {
        let share = SplitRun::new(Split::new(1, 2).unwrap(), 0, &[]);
        share.started("demo::load::browse", r#"{"late_ms":0}"#);
        share.started("demo::load::browse", r#"{"late_ms":1250}"#);
        share.started("demo::load::browse", "not json");
        assert_eq!(
            share.info().late_starts,
            [LateStart {
                test: "demo::load::browse".to_owned(),
                late_ms: 1250
            }]
        );
    }

    #[test]
    fn a_start_far_away_or_long_past_is_refused() {
        let now = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let ms = |s: u64| s * 1000;
        assert!(check_start(ms(2_000_000_060), now).is_ok());
        assert!(check_start(ms(2_000_000_000 - 30), now).is_ok());
        let far = check_start(ms(2_000_000_000 + MAX_LEAD_S + 60), now).unwrap_err();
        assert!(
            far.to_string().contains("milliseconds given as seconds"),
            "{far}"
        );
        let stale = check_start(ms(2_000_000_000 - MAX_LATE_S - 60), now).unwrap_err();
        assert!(stale.to_string().contains("give a new start"), "{stale}");
    }

    #[test]
    fn the_shares_run_their_load_tests_in_the_selection_s_order() {
        use crate::run::draw::Draw;
        use crate::run::options::RunOptions;
        let tests: Vec<_> = (0..6)
            .map(|i| {
                crate::discover::DiscoveredTest::example(
                    &i.to_string(),
                    perf_record::TestKind::Load,
                )
            })
            .collect();
        let split = Some(SplitRun::new(Split::new(1, 2).unwrap(), 0, &[]));
        let options = RunOptions {
            split,
            processes: 1,
            ..RunOptions::default()
        };
        // The j-th load test of every share starts at the same instant: it
        // must be the same test, whatever order a plain run would draw.
        for seed in 0..20 {
            let jobs = crate::run::job::plain(&tests, &options, &mut Draw::seeded(seed), None);
            assert!(jobs.iter().map(|j| j.test).eq(0..6), "seed {seed}");
        }
    }
}
