//! A share of a split load test (`cargo perf --split I/N`): which share
//! this process runs and the shared instant its workload starts at, read
//! from the environment `cargo perf` sets ([`perf_record::split::env`]).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use perf_record::split::{MAX_LATE_S, MAX_LEAD_S, START_PREFIX, Split, StartReport, env};

/// This process's share and when it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SplitStart {
    pub(crate) split: Split,
    /// Milliseconds since the Unix epoch.
    pub(crate) start_at_unix_ms: u64,
}

impl SplitStart {
    /// The share `cargo perf` asked for, if any; both variables or none.
    pub(crate) fn from_env() -> Result<Option<Self>, String> {
        let split = std::env::var(env::SPLIT).ok();
        let start = std::env::var(env::START_AT).ok();
        Self::read(split.as_deref(), start.as_deref())
    }

    fn read(split: Option<&str>, start: Option<&str>) -> Result<Option<Self>, String> {
        match (split, start) {
            (None, None) => Ok(None),
            (Some(split), Some(start)) => Ok(Some(Self {
                split: Split::parse(split).map_err(|e| format!("invalid {}: {e}", env::SPLIT))?,
                start_at_unix_ms: start.trim().parse().map_err(|_| {
                    format!(
                        "invalid {}: `{start}` is not milliseconds since the Unix epoch",
                        env::START_AT
                    )
                })?,
            })),
            _ => Err(format!(
                "{} and {} go together: a share without its shared start (or the reverse) \
                 would not add up with the others",
                env::SPLIT,
                env::START_AT
            )),
        }
    }

    /// Sleeps until the shared start, then says on stderr how late it is
    /// (0 when it waited). A start further away than a day, or one more
    /// than ten minutes past, is refused: the shares would not overlap.
    pub(crate) fn wait(&self) -> Result<StartReport, String> {
        let start = UNIX_EPOCH + Duration::from_millis(self.start_at_unix_ms);
        let report = wait_until(start, SystemTime::now, std::thread::sleep)?;
        if let Ok(line) = serde_json::to_string(&report) {
            eprintln!("{START_PREFIX}{line}");
        }
        Ok(report)
    }
}

/// Waits for `start` on the wall clock `now`, with `sleep`.
fn wait_until(
    start: SystemTime,
    now: impl Fn() -> SystemTime,
    sleep: impl Fn(Duration),
) -> Result<StartReport, String> {
    match start.duration_since(now()) {
        Ok(ahead) if ahead > Duration::from_secs(MAX_LEAD_S) => Err(format!(
            "the shared start of this split is {:.0} s away, more than the {MAX_LEAD_S} s allowed; \
             is --start-at in milliseconds, or a wrong date?",
            ahead.as_secs_f64()
        )),
        Ok(ahead) => {
            sleep(ahead);
            Ok(StartReport { late_ms: 0 })
        }
        Err(past) => {
            let late = past.duration();
            if late > Duration::from_secs(MAX_LATE_S) {
                return Err(format!(
                    "this share would start {:.1} s after the split's shared start, more than the \
                     {MAX_LATE_S} s allowed: the other shares have run without it; give a new --start-at",
                    late.as_secs_f64()
                ));
            }
            Ok(StartReport {
                late_ms: u64::try_from(late.as_millis()).unwrap_or(u64::MAX),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn both_variables_or_none() {
        assert_eq!(SplitStart::read(None, None), Ok(None));
        let start = SplitStart::read(Some("2/3"), Some("1700000000000")).unwrap();
        assert_eq!(
            start,
            Some(SplitStart {
                split: Split::new(2, 3).unwrap(),
                start_at_unix_ms: 1_700_000_000_000
            })
        );
        for (split, at) in [
            (Some("2/3"), None),
            (None, Some("1")),
            (Some("4/3"), Some("1")),
        ] {
            assert!(SplitStart::read(split, at).is_err(), "{split:?} {at:?}");
        }
        let error = SplitStart::read(Some("1/2"), Some("soon")).unwrap_err();
        assert!(error.contains("CARGO_PERF_START_AT"), "{error}");
    }

    #[test]
    fn a_share_waits_for_the_start_or_says_how_late_it_is() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let slept = Cell::new(Duration::ZERO);
        let sleep = |d| slept.set(slept.get() + d);
        let early = wait_until(now + Duration::from_millis(1500), || now, sleep).unwrap();
        assert_eq!(
            (early.late_ms, slept.get()),
            (0, Duration::from_millis(1500))
        );
        slept.set(Duration::ZERO);
        let late = wait_until(now - Duration::from_millis(2300), || now, sleep).unwrap();
        assert_eq!((late.late_ms, slept.get()), (2300, Duration::ZERO));
        let stale = wait_until(now - Duration::from_secs(MAX_LATE_S + 1), || now, sleep);
        assert!(
            stale
                .unwrap_err()
                .contains("after the split's shared start")
        );
        let far = wait_until(now + Duration::from_secs(MAX_LEAD_S + 1), || now, sleep);
        assert!(far.unwrap_err().contains("more than"));
        assert_eq!(slept.get(), Duration::ZERO);
    }
}
