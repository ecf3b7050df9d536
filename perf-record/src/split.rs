//! One load test split over N generators (`cargo perf --split I/N`): which
//! share a process runs, how the perf binary learns it, when every share
//! starts, and what the run record says about it.
//!
//! The rule is one function, [`Split::takes`]: of a whole run's numbered
//! items (an open model's arrivals, a closed model's virtual users), share
//! `I` of `N` takes those whose number `k` (0-based) has `k mod N == I-1`.
//! The N shares are disjoint and their union is the whole, at every
//! instant of every stage and ramp: the sum of the shards' arrivals is the
//! unsplit schedule's, and the sum of their users is its user count.

use serde::{Deserialize, Serialize};

/// Environment variables between `cargo perf` and the perf binary.
pub mod env {
    /// `I/N`: this process runs share `I` (1-based) of `N` of every load
    /// test it measures.
    pub const SPLIT: &str = "CARGO_PERF_SPLIT";
    /// Milliseconds since the Unix epoch: the load test's workload starts
    /// at this instant (the shared start of every share), not before.
    pub const START_AT: &str = "CARGO_PERF_START_AT";
    /// Set by Kubernetes in each pod of an Indexed Job: the pod's index,
    /// **0-based**. `cargo perf --split N` reads share `index + 1` from it.
    pub const JOB_COMPLETION_INDEX: &str = "JOB_COMPLETION_INDEX";
}

/// What the perf binary prints on stderr, followed by a [`StartReport`]
/// as JSON, when its workload starts at the shared instant.
pub const START_PREFIX: &str = "cargo-perf-split ";

/// The most shares one load test may be split into.
pub const MAX_COUNT: u32 = 10_000;
/// How far in the future a shared start may be: further is a mistake (a
/// time in milliseconds read as seconds, a wrong year), not a plan.
pub const MAX_LEAD_S: u64 = 24 * 3600;
/// How late a share may start its first load test: later, the others have
/// run without it (or long finished), and its figures would not add up to
/// one load.
pub const MAX_LATE_S: u64 = 10 * 60;
/// Between two load tests of a split run, beyond the first test's planned
/// length: the generator's grace for iterations in flight and the start of
/// the next process. Every share computes the same next start from it.
pub const SETTLE_S: u64 = 15;

/// Share `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Split {
    /// Which share, from 1 to `count`.
    pub index: u32,
    /// Into how many shares.
    pub count: u32,
}

impl Split {
    /// Share `index` (1-based) of `count`, checked.
    pub fn new(index: u32, count: u32) -> Result<Self, String> {
        if count == 0 || count > MAX_COUNT {
            return Err(format!(
                "a split into {count} shares: give from 1 to {MAX_COUNT}"
            ));
        }
        if index == 0 || index > count {
            return Err(format!(
                "share {index} of {count} does not exist: shares are numbered from 1 to {count}"
            ));
        }
        Ok(Self { index, count })
    }

    /// Reads `I/N` (as the command line and [`env::SPLIT`] write it).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (index, count) = text.trim().split_once('/').ok_or_else(|| {
            format!("`{text}` is not a split: write I/N, e.g. 2/4 for the second of four shares")
        })?;
        let number = |part: &str| {
            part.trim().parse::<u32>().map_err(|_| {
                format!("`{text}` is not a split: I and N of I/N are whole numbers, e.g. 2/4")
            })
        };
        Self::new(number(index)?, number(count)?)
    }

    /// Share `JOB_COMPLETION_INDEX + 1` of `count`: Kubernetes numbers an
    /// Indexed Job's pods from 0, shares are numbered from 1.
    pub fn from_completion_index(index: &str, count: u32) -> Result<Self, String> {
        let zero_based = index.trim().parse::<u32>().map_err(|_| {
            format!(
                "{} is `{index}`, not a pod index (a whole number from 0)",
                env::JOB_COMPLETION_INDEX
            )
        })?;
        Self::new(zero_based.saturating_add(1), count).map_err(|e| {
            format!(
                "{}={zero_based} (0-based) with --split {count}: {e}",
                env::JOB_COMPLETION_INDEX
            )
        })
    }

    /// Whether item `k` (0-based) of the whole run is this share's.
    pub fn takes(self, k: u64) -> bool {
        k % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// How many of the whole run's first `total` items are this share's:
    /// `ceil((total - (I-1)) / N)`. Summed over the shares, `total`.
    pub fn share_of(self, total: u64) -> u64 {
        let offset = u64::from(self.index - 1);
        let count = u64::from(self.count);
        if total <= offset {
            0
        } else {
            (total - offset).div_ceil(count)
        }
    }

    /// The whole run's number of this share's `j`-th item (0-based).
    pub fn whole_index(self, j: u64) -> u64 {
        j.saturating_mul(u64::from(self.count))
            .saturating_add(u64::from(self.index - 1))
    }
}

impl std::fmt::Display for Split {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What the perf binary reports when its workload starts (after
/// [`START_PREFIX`] on stderr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartReport {
    /// How late it started after the shared instant, in milliseconds; 0
    /// when it waited for it.
    pub late_ms: u64,
}

/// A load test of a share that started after its shared instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateStart {
    /// The test's full name (`package::binary::name`).
    pub test: String,
    /// How late, in milliseconds.
    pub late_ms: u64,
}

/// What a split run's record says about the split: which share it is, the
/// instant the shares started at, and a hash of what must be equal in
/// every share for them to add up (`cargo perf merge` refuses shares whose
/// hash, count or start differ, and a missing or duplicate index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitInfo {
    /// Which share, 1-based.
    pub index: u32,
    /// Into how many shares.
    pub count: u32,
    /// The shared start of the first load test, milliseconds since the
    /// Unix epoch.
    pub start_at_unix_ms: u64,
    /// [`config_hash`] of the run's split configuration, 16 hex digits.
    pub config_hash: String,
    /// The load tests that started late, and by how much.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub late_starts: Vec<LateStart>,
}

impl SplitInfo {
    /// The share this record is.
    pub fn split(&self) -> Split {
        Split {
            index: self.index,
            count: self.count,
        }
    }
}

/// A stable 64-bit hash (FNV-1a) of `text`, as 16 hex digits: the same in
/// every build and on every machine, unlike std's `DefaultHasher`.
pub fn config_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_disjoint_and_add_up_to_the_whole() {
        for count in 1..=9 {
            for total in 0..40 {
                let shares: Vec<Split> =
                    (1..=count).map(|i| Split::new(i, count).unwrap()).collect();
                let sum: u64 = shares.iter().map(|s| s.share_of(total)).sum();
                assert_eq!(sum, total, "{count} shares of {total}");
                for k in 0..total {
                    assert_eq!(shares.iter().filter(|s| s.takes(k)).count(), 1, "{k}");
                }
                for share in &shares {
                    let taken = (0..total).filter(|&k| share.takes(k)).count() as u64;
                    assert_eq!(taken, share.share_of(total));
                    for j in 0..share.share_of(total) {
                        assert!(share.takes(share.whole_index(j)));
                        assert!(share.whole_index(j) < total);
                    }
                }
            }
        }
        // As evenly as they go: 10 users in 4 shares are 3, 3, 2, 2.
        let users: Vec<u64> = (1..=4)
            .map(|i| Split::new(i, 4).unwrap().share_of(10))
            .collect();
        assert_eq!(users, [3, 3, 2, 2]);
    }

    #[test]
    fn a_split_reads_from_the_command_line_and_the_pod_index() {
        assert_eq!(Split::parse("2/4"), Ok(Split { index: 2, count: 4 }));
        assert_eq!(Split::parse("2/4").unwrap().to_string(), "2/4");
        for bad in ["0/4", "5/4", "1/0", "a/b", "3", "-1/2", ""] {
            assert!(Split::parse(bad).is_err(), "{bad}");
        }
        // Kubernetes counts pods from 0.
        assert_eq!(
            Split::from_completion_index("0", 3),
            Ok(Split { index: 1, count: 3 })
        );
        assert_eq!(
            Split::from_completion_index("2", 3),
            Ok(Split { index: 3, count: 3 })
        );
        let error = Split::from_completion_index("3", 3).unwrap_err();
        assert!(
            error.contains("JOB_COMPLETION_INDEX=3") && error.contains("0-based"),
            "{error}"
        );
        assert!(Split::from_completion_index("x", 3).is_err());
    }

    #[test]
    fn the_config_hash_is_stable() {
        // FNV-1a's published test vectors.
        assert_eq!(config_hash(""), "cbf29ce484222325");
        assert_eq!(config_hash("a"), "af63dc4c8601ec8c");
        assert_ne!(config_hash("split 2"), config_hash("split 3"));
    }

    #[test]
    fn split_info_round_trips_and_late_starts_are_optional() {
        let info: SplitInfo = serde_json::from_str(
            r#"{"index":1,"count":2,"start_at_unix_ms":5,"config_hash":"00"}"#,
        )
        .unwrap();
        assert!(info.late_starts.is_empty());
        assert_eq!(info.split(), Split { index: 1, count: 2 });
        let text = serde_json::to_string(&info).unwrap();
        assert!(!text.contains("late_starts"), "{text}");
    }
}
