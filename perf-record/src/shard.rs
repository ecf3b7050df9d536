//! Which part of a run a record holds when the run was dealt over several
//! machines: a share of the test list (`--shard hash:I/N`, `count:I/N`)
//! or a share of one load test's load (`--split I/N`), and the hash that
//! says which records belong to the same run.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How the run was dealt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShardKind {
    /// The test list, by a stable hash of each test's full name.
    Hash,
    /// The test list, round-robin over the sorted selected tests.
    Count,
    /// Every selected load test, its load split (`--split`).
    Split,
}

impl ShardKind {
    /// The word the command line uses: `hash`, `count`, `split`.
    pub fn word(self) -> &'static str {
        match self {
            Self::Hash => "hash",
            Self::Count => "count",
            Self::Split => "split",
        }
    }

    /// Whether each shard holds different tests (rather than part of the
    /// same tests' load).
    pub fn deals_tests(self) -> bool {
        matches!(self, Self::Hash | Self::Count)
    }
}

/// One shard's identity, written into its run record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// How the run was dealt.
    pub kind: ShardKind,
    /// Which shard, from 1.
    pub index: u32,
    /// How many shards.
    pub count: u32,
    /// A hash of everything the shards of one run share (cargo-perf's
    /// version, the build's commit, toolchain, profile, features and
    /// Cargo.lock, the measurement flags, the selection before dealing),
    /// hex: shards whose hashes differ are not parts of one run.
    pub run_hash: String,
}

impl fmt::Display for ShardInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.kind.word(), self.index, self.count)
    }
}

/// FNV-1a, 64 bits: stable across Rust versions, platforms and runs,
/// unlike std's randomly seeded hasher.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_published_function() {
        // The reference vectors of the FNV specification.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn shard_info_reads_as_written_and_shows_as_the_flag() {
        let info = ShardInfo {
            kind: ShardKind::Count,
            index: 2,
            count: 3,
            run_hash: "00ff".into(),
        };
        let text = serde_json::to_string(&info).unwrap();
        assert_eq!(
            text,
            r#"{"kind":"count","index":2,"count":3,"run_hash":"00ff"}"#
        );
        assert_eq!(serde_json::from_str::<ShardInfo>(&text).unwrap(), info);
        assert_eq!(info.to_string(), "count:2/3");
        assert!(ShardKind::Hash.deals_tests() && !ShardKind::Split.deals_tests());
    }
}
