//! How long a test's process may run before cargo perf gives up on it. A
//! benchmark whose routine or setup never returns, or a load test whose
//! generator hangs, would otherwise hold the run (and a CI job) until it
//! is killed from outside; past its limit the process is killed and the
//! test fails, naming the limit.

use std::time::{Duration, Instant};

use perf_record::TestKind;
use perf_record::protocol::{
    DEFAULT_MEASUREMENT_NS, DEFAULT_WARM_UP_NS, QUICK_MEASUREMENT_NS, QUICK_WARM_UP_NS,
};

use super::options::RunOptions;
use crate::discover::DiscoveredTest;

/// A benchmark may take this many times its time budget...
const BUDGET_FACTOR: u32 = 10;
/// ... plus this, for starting the process, the test's setup and the
/// minimum number of samples (taken even past the budget).
const BENCH_GRACE: Duration = Duration::from_secs(30);
/// A load test may take twice its workload's length plus this: the
/// generator's own grace for iterations in flight, a catalogue test's
/// probes between its steps, and the time before its first step starts.
const LOAD_GRACE: Duration = Duration::from_secs(60);

/// When one test's process is given up on.
#[derive(Debug, Clone)]
pub(crate) struct Deadline {
    started: Instant,
    at: Instant,
    why: Why,
}

#[derive(Debug, Clone, PartialEq)]
enum Why {
    /// `--test-timeout`.
    Flag,
    /// `#[perf_test(time_limit = "...")]`.
    Own,
    /// A benchmark: its share of warm-up and measurement.
    Budget(Duration),
    /// A load test: the length of its longest workload seen so far (from
    /// the generator's progress lines); none before the first.
    Workload(Option<Duration>),
}

impl Deadline {
    /// The limit of a process measuring `test` with `options`, spending
    /// `1/share` of its budget, started at `started`.
    pub(crate) fn for_job(
        test: &DiscoveredTest,
        options: &RunOptions,
        share: u32,
        started: Instant,
    ) -> Self {
        let own = test.listed.time_limit_ns.map(Duration::from_nanos);
        let (limit, why) = if let Some(limit) = options.test_timeout {
            (limit, Why::Flag)
        } else if let Some(limit) = own {
            (limit, Why::Own)
        } else if test.listed.kind == TestKind::Load {
            (LOAD_GRACE, Why::Workload(None))
        } else {
            let budget = budget(test, options) / share.max(1);
            (budget * BUDGET_FACTOR + BENCH_GRACE, Why::Budget(budget))
        };
        Self {
            started,
            at: started + limit,
            why,
        }
    }

    /// A load test's progress line (`{"elapsed_s", "total_s", ...}`): its
    /// current workload, begun `elapsed_s` ago, may run to twice its
    /// `total_s` plus the grace. A stalled workload does not move its
    /// limit; the next step of a catalogue test does.
    pub(crate) fn on_progress(&mut self, json: &str, now: Instant) {
        let Why::Workload(longest) = &mut self.why else {
            return;
        };
        let Ok(state) = serde_json::from_str::<serde_json::Value>(json) else {
            return;
        };
        let seconds = |key: &str| {
            state[key]
                .as_f64()
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64)
        };
        let (Some(elapsed), Some(total)) = (seconds("elapsed_s"), seconds("total_s")) else {
            return;
        };
        let step_started = now.checked_sub(elapsed).unwrap_or(self.started);
        self.at = self.at.max(step_started + total * 2 + LOAD_GRACE);
        *longest = Some(longest.map_or(total, |l| l.max(total)));
    }

    /// How long until the limit, from `now` (zero once passed).
    pub(crate) fn remaining(&self, now: Instant) -> Duration {
        self.at.saturating_duration_since(now)
    }

    /// The failure of a test killed at its limit.
    pub(crate) fn message(&self) -> String {
        let after = seconds(self.at - self.started);
        let why = match &self.why {
            Why::Flag => "the limit --test-timeout set".to_owned(),
            Why::Own => "its own time_limit; --test-timeout overrides it".to_owned(),
            Why::Budget(budget) => format!(
                "{BUDGET_FACTOR} x its time budget of {} + {}: does its routine or its setup ever \
                 return? --test-timeout sets another limit",
                seconds(*budget),
                seconds(BENCH_GRACE)
            ),
            Why::Workload(Some(total)) => format!(
                "twice its workload of {} + {}: the load generator stopped making progress; \
                 --test-timeout sets another limit",
                seconds(*total),
                seconds(LOAD_GRACE)
            ),
            Why::Workload(None) => format!(
                "its workload never started within {}; --test-timeout sets another limit",
                seconds(LOAD_GRACE)
            ),
        };
        format!("timed out after {after} and was killed ({why})")
    }
}

/// A benchmark's warm-up and measurement time as the runtime resolves
/// them: the flag, else the test's own, else the default; `--quick` caps
/// the last two.
fn budget(test: &DiscoveredTest, options: &RunOptions) -> Duration {
    let pick = |flag: Option<Duration>, own: Option<u64>, default: u64, quick: u64| {
        flag.unwrap_or_else(|| {
            let ns = own.unwrap_or(default);
            Duration::from_nanos(if options.quick { ns.min(quick) } else { ns })
        })
    };
    pick(
        options.warm_up,
        test.listed.warm_up_ns,
        DEFAULT_WARM_UP_NS,
        QUICK_WARM_UP_NS,
    ) + pick(
        options.measurement,
        test.listed.measurement_ns,
        DEFAULT_MEASUREMENT_NS,
        QUICK_MEASUREMENT_NS,
    )
}

/// `2 s`, `1.5 s`, `0.25 s`.
fn seconds(duration: Duration) -> String {
    let s = duration.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        let text = format!("{s:.2}");
        format!("{} s", text.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(kind: TestKind) -> DiscoveredTest {
        DiscoveredTest::example("t", kind)
    }

    fn limit(deadline: &Deadline) -> Duration {
        deadline.at - deadline.started
    }

    #[test]
    fn a_benchmark_gets_ten_times_its_share_of_the_budget_and_a_grace() {
        let now = Instant::now();
        let options = RunOptions::default();
        // 1 s warm-up + 3 s measurement, in 4 processes: 1 s each.
        let deadline = Deadline::for_job(&test(TestKind::Bench), &options, 4, now);
        assert_eq!(limit(&deadline), Duration::from_secs(40));
        let quick = RunOptions {
            quick: true,
            ..RunOptions::default()
        };
        let deadline = Deadline::for_job(&test(TestKind::Bench), &quick, 1, now);
        assert_eq!(limit(&deadline), Duration::from_secs(36));
        let mut own = test(TestKind::Bench);
        own.listed.measurement_ns = Some(9_000_000_000);
        let flags = RunOptions {
            warm_up: Some(Duration::from_millis(500)),
            ..RunOptions::default()
        };
        let deadline = Deadline::for_job(&own, &flags, 1, now);
        assert_eq!(limit(&deadline), Duration::from_secs(125));
        assert!(
            deadline
                .message()
                .starts_with("timed out after 125 s and was killed (10 x its time budget of 9.5 s"),
            "{}",
            deadline.message()
        );
    }

    #[test]
    fn the_flag_sets_every_limit_and_progress_does_not_move_it() {
        let now = Instant::now();
        let options = RunOptions {
            test_timeout: Some(Duration::from_secs(2)),
            ..RunOptions::default()
        };
        for kind in [TestKind::Bench, TestKind::Load] {
            let mut deadline = Deadline::for_job(&test(kind), &options, 3, now);
            deadline.on_progress(r#"{"elapsed_s": 1, "total_s": 100}"#, now);
            assert_eq!(limit(&deadline), Duration::from_secs(2));
            assert_eq!(
                deadline.message(),
                "timed out after 2 s and was killed (the limit --test-timeout set)"
            );
        }
    }

    #[test]
    fn a_test_s_own_time_limit_applies_unless_the_flag_says_otherwise() {
        let now = Instant::now();
        let mut own = test(TestKind::Bench);
        own.listed.time_limit_ns = Some(5_000_000_000);
        let deadline = Deadline::for_job(&own, &RunOptions::default(), 3, now);
        assert_eq!(limit(&deadline), Duration::from_secs(5));
        assert!(
            deadline.message().contains("its own time_limit"),
            "{}",
            deadline.message()
        );
        let flag = RunOptions {
            test_timeout: Some(Duration::from_secs(2)),
            ..RunOptions::default()
        };
        let deadline = Deadline::for_job(&own, &flag, 3, now);
        assert_eq!(limit(&deadline), Duration::from_secs(2));
    }

    #[test]
    fn a_load_test_gets_twice_its_workload_as_the_generator_reports_it() {
        let start = Instant::now();
        let mut deadline =
            Deadline::for_job(&test(TestKind::Load), &RunOptions::default(), 1, start);
        assert_eq!(
            limit(&deadline),
            LOAD_GRACE,
            "before its first progress line"
        );
        let at = |s: u64| start + Duration::from_secs(s);
        // A 100 s workload started at 5 s: until 5 + 200 + 60.
        deadline.on_progress(r#"{"elapsed_s": 1.0, "total_s": 100.0}"#, at(6));
        assert_eq!(limit(&deadline), Duration::from_secs(265));
        // Stalled past its end: progress lines keep coming, the limit stays.
        deadline.on_progress(r#"{"elapsed_s": 190.0, "total_s": 100.0}"#, at(195));
        assert_eq!(limit(&deadline), Duration::from_secs(265));
        // A catalogue test's next step moves it on.
        deadline.on_progress(r#"{"elapsed_s": 1.0, "total_s": 50.0}"#, at(251));
        assert_eq!(limit(&deadline), Duration::from_secs(410));
        deadline.on_progress("not json", at(252));
        assert_eq!(limit(&deadline), Duration::from_secs(410));
        assert!(
            deadline
                .message()
                .contains("twice its workload of 100 s + 60 s"),
            "{}",
            deadline.message()
        );
        assert_eq!(deadline.remaining(at(410)), Duration::ZERO);
        assert_eq!(deadline.remaining(at(400)), Duration::from_secs(10));
    }
}
