//! divan's per-benchmark options and what each becomes under cargo perf:
//! a measurement time, an ignored test, or one line saying it is not
//! honoured.

use std::time::Duration;

use crate::counter::Counter;

/// The options of a `#[divan::bench]` or `#[divan::bench_group]`, as the
/// macro gives them. A benchmark's own options win over its groups'.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BenchOptions {
    /// `sample_count = n`.
    pub sample_count: Option<u32>,
    /// `sample_size = n`.
    pub sample_size: Option<u32>,
    /// `min_time = ...`.
    pub min_time: Option<Duration>,
    /// `max_time = ...`.
    pub max_time: Option<Duration>,
    /// `skip_ext_time = bool`.
    pub skip_ext_time: Option<bool>,
    /// `ignore` or `ignore = bool`.
    pub ignore: Option<bool>,
    /// `threads = ...`, as written.
    pub threads: Option<&'static str>,
    /// `counter = ...` and `counters = [...]`.
    pub counters: Vec<Counter>,
}

impl BenchOptions {
    /// These options, with `outer`'s filling what these leave unset.
    pub(crate) fn or(self, outer: Self) -> Self {
        Self {
            sample_count: self.sample_count.or(outer.sample_count),
            sample_size: self.sample_size.or(outer.sample_size),
            min_time: self.min_time.or(outer.min_time),
            max_time: self.max_time.or(outer.max_time),
            skip_ext_time: self.skip_ext_time.or(outer.skip_ext_time),
            ignore: self.ignore.or(outer.ignore),
            threads: self.threads.or(outer.threads),
            counters: if self.counters.is_empty() {
                outer.counters
            } else {
                self.counters
            },
        }
    }

    /// The measurement time: cargo perf's default, raised to `min_time`
    /// and capped at `max_time`; `None` when that is the default.
    pub(crate) fn measurement(&self, default: Duration) -> Option<Duration> {
        let mut time = default;
        if let Some(min) = self.min_time {
            time = time.max(min);
        }
        if let Some(max) = self.max_time {
            time = time.min(max);
        }
        (time != default).then_some(time)
    }

    /// One line per option cargo perf does not honour.
    pub(crate) fn unsupported(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(count) = self.sample_count {
            lines.push(format!(
                "divan's `sample_count = {count}` is not honoured: cargo perf takes as many samples as fit its measurement time"
            ));
        }
        if let Some(size) = self.sample_size {
            lines.push(format!(
                "divan's `sample_size = {size}` is not honoured: cargo perf sizes each sample far above the clock's resolution"
            ));
        }
        if let Some(skip) = self.skip_ext_time {
            lines.push(format!(
                "divan's `skip_ext_time = {skip}` is not honoured: cargo perf runs one thread, with no extra time to skip"
            ));
        }
        if let Some(threads) = self.threads {
            lines.push(format!(
                "divan's `threads = {threads}` is not honoured: cargo perf measures on one thread"
            ));
        }
        for counter in &self.counters {
            lines.push(format!(
                "divan's counter {counter} is not shown: cargo perf gates the time per iteration, whose change is the throughput's"
            ));
        }
        lines
    }
}

/// A time as divan's `min_time` and `max_time` take it: a `Duration`, or
/// seconds.
pub trait IntoDuration {
    /// The time.
    fn into_duration(self) -> Duration;
}

impl IntoDuration for Duration {
    fn into_duration(self) -> Duration {
        self
    }
}

impl IntoDuration for u64 {
    fn into_duration(self) -> Duration {
        Duration::from_secs(self)
    }
}

impl IntoDuration for f64 {
    fn into_duration(self) -> Duration {
        Duration::try_from_secs_f64(self).unwrap_or(Duration::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_benchmarks_own_options_win_over_its_groups() {
        let own = BenchOptions {
            sample_count: Some(10),
            ..BenchOptions::default()
        };
        let group = BenchOptions {
            sample_count: Some(99),
            ignore: Some(true),
            ..BenchOptions::default()
        };
        let merged = own.or(group);
        assert_eq!(merged.sample_count, Some(10));
        assert_eq!(merged.ignore, Some(true));
    }

    #[test]
    fn min_and_max_time_bound_the_measurement_time() {
        let default = Duration::from_secs(3);
        let min = |s| BenchOptions {
            min_time: Some(Duration::from_secs(s)),
            ..BenchOptions::default()
        };
        assert_eq!(min(5).measurement(default), Some(Duration::from_secs(5)));
        assert_eq!(min(1).measurement(default), None);
        let max = BenchOptions {
            max_time: Some(1_u64.into_duration()),
            ..BenchOptions::default()
        };
        assert_eq!(max.measurement(default), Some(Duration::from_secs(1)));
    }

    #[test]
    fn each_option_not_honoured_is_one_line() {
        let options = BenchOptions {
            sample_count: Some(1000),
            threads: Some("[1, 4]"),
            counters: vec![Counter::Bytes(64)],
            ..BenchOptions::default()
        };
        let lines = options.unsupported();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains("`sample_count = 1000`"));
        assert!(lines[1].contains("`threads = [1, 4]`"));
        assert!(lines[2].contains("BytesCount(64)"));
        assert!(lines.iter().all(|line| !line.contains('\n')));
    }
}
