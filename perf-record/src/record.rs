//! The run record: what `cargo perf` writes to `target/perf/latest.json`,
//! saves as a baseline, and prints with `--message-format json`.

use serde::{Deserialize, Serialize};

use crate::load::{LoadStats, ServerStats};
use crate::protocol::{TestConfig, TestKind, TestOutcome};
use crate::stats::BenchStats;
use crate::threshold::ThresholdResult;

/// Version of the run record and baseline schema, and of the JSON
/// messages. Readers refuse newer versions rather than misreading them.
/// Version 2 renamed the comparison's `baseline_ns`/`current_ns` (which
/// hold each metric's own unit) to `baseline_value`/`current_value`; the
/// record itself did not change, so version 1 baselines load as they are.
/// Version 3 gave a load test's `warnings`, a kind's `findings` and the
/// comparison's `noise_warnings` a code: each is `{code, …figures,
/// message}` where it was a string, which a reader of version 2 could not
/// parse; records of versions 1 and 2 load, their strings as text with
/// the code `note`.
pub const SCHEMA_VERSION: u32 = 3;

/// Identifies a test across runs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TestId {
    /// The cargo package.
    pub package: String,
    /// The perf target (`[[bench]]` or `[[test]]` name).
    pub target: String,
    /// The test's libtest name.
    pub name: String,
}

impl std::fmt::Display for TestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}::{}", self.package, self.target, self.name)
    }
}

/// Where and from what a run was made, and how fast the machine ran then.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// `git rev-parse HEAD` of the workspace, when it is a git repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// Whether the work tree had uncommitted changes.
    #[serde(default)]
    pub git_dirty: bool,
    /// The machine's host name.
    pub host: String,
    /// `std::env::consts::OS`.
    pub os: String,
    /// `std::env::consts::ARCH`.
    pub arch: String,
    /// CPU model, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Logical CPUs.
    #[serde(default)]
    pub cpus: usize,
    /// `rustc -V`.
    pub rustc: String,
    /// The cargo profile the tests were built with.
    pub profile: String,
    /// The target triple rustc builds for (`host` of `rustc -vV`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The feature flags the tests were built with, as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// FNV-1a hash of the workspace's Cargo.lock, in hex: the same hash
    /// means the same dependency versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_lock_hash: Option<String>,
    /// The calibration benchmark, timed beside the run's benchmarks: the
    /// machine's speed during the run. Absent in records of runs without
    /// benchmarks and of harnesses from before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<crate::calibration::Calibration>,
}

/// One test of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestRecord {
    /// Which test.
    pub id: TestId,
    /// What kind of test.
    pub kind: TestKind,
    /// The settings it ran with, including the regression threshold that
    /// applies to it.
    pub config: TestConfig,
    /// How it ended.
    pub outcome: TestOutcome,
    /// Statistics, for a benchmark that ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<BenchStats>,
    /// Raw samples: nanoseconds per iteration, in the order taken (the
    /// processes' samples one after the other).
    #[serde(default)]
    pub samples_ns: Vec<f64>,
    /// The median of each process that measured the test.
    #[serde(default)]
    pub process_medians_ns: Vec<f64>,
    /// Clock resolution measured by the harness, in nanoseconds.
    #[serde(default)]
    pub timer_resolution_ns: f64,
    /// What a load test measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadStats>,
    /// The server, while a load test ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerStats>,
    /// A load test's SLA thresholds, checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<ThresholdResult>,
    /// Instructions retired per iteration, when counted (`--instructions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<InstructionCount>,
}

/// A micro-benchmark's cost in retired instructions: repeatable on a busy
/// machine, where time is not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstructionCount {
    /// Instructions per iteration of the routine (the one-time setup
    /// excluded; `iter_with_setup`'s per-iteration setup included).
    pub per_iteration: f64,
    /// Iterations the count was taken over.
    pub iterations: u64,
    /// What counted them: `perf` (hardware counters) or `valgrind`.
    pub counter: String,
}

/// Everything one `cargo perf` run measured. Saved as a baseline as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// Version of cargo-perf that wrote it.
    pub cargo_perf_version: String,
    /// Seconds since the Unix epoch when the run started.
    pub created_unix_s: u64,
    /// The same instant, RFC 3339 in UTC.
    pub created_utc: String,
    /// Where and from what.
    pub environment: Environment,
    /// The tests that ran (ignored tests are not included).
    pub tests: Vec<TestRecord>,
    /// Which share of a split load this run is (`--split I/N`); absent in
    /// a whole run and in records written before splits existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<crate::split::SplitInfo>,
    /// Which shard of a run dealt over several machines this record
    /// holds; absent from a whole run (and a merged one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::shard::ShardInfo>,
}

/// Why a run record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Not JSON, or not the expected shape.
    #[error("it is not a valid cargo-perf record: {0}")]
    Corrupt(#[source] serde_json::Error),
    /// There is no `schema_version` field.
    #[error("it has no `schema_version` field, so it was not written by cargo perf")]
    MissingSchemaVersion,
    /// A `schema_version` that no cargo-perf wrote: zero, negative, a
    /// fraction or not a number.
    #[error(
        "its `schema_version` is {0}, which no cargo-perf wrote (versions are whole numbers from 1 to {SCHEMA_VERSION})"
    )]
    BadSchemaVersion(String),
    /// Written by a newer cargo-perf.
    #[error(
        "it uses schema version {found}, newer than the {supported} this cargo-perf reads; upgrade cargo-perf or save the baseline again"
    )]
    NewerSchema {
        /// The version in the file.
        found: u64,
        /// The version this crate reads.
        supported: u32,
    },
}

impl RunRecord {
    /// Reads a record, checking its schema version first so that a newer
    /// file gets a clear error rather than a confusing field error.
    pub fn from_json(text: &str) -> Result<Self, RecordError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(RecordError::Corrupt)?;
        let field = value
            .get("schema_version")
            .ok_or(RecordError::MissingSchemaVersion)?;
        let version = field
            .as_u64()
            .filter(|v| *v >= 1)
            .ok_or_else(|| RecordError::BadSchemaVersion(field.to_string()))?;
        if version > u64::from(SCHEMA_VERSION) {
            return Err(RecordError::NewerSchema {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        serde_json::from_value(value).map_err(RecordError::Corrupt)
    }

    /// The test with this id.
    pub fn test(&self, id: &TestId) -> Option<&TestRecord> {
        self.tests.iter().find(|t| &t.id == id)
    }
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC
/// (`2026-11-23T10:00:00Z`), without a date-time dependency.
pub fn format_utc(unix_s: u64) -> String {
    let days = unix_s / 86_400;
    let secs = unix_s % 86_400;
    // Howard Hinnant's civil-from-days algorithm.
    #[expect(clippy::cast_possible_wrap, reason = "days since 1970 fit in i64")]
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_795_435_200), "2026-11-23T12:00:00Z");
    }

    #[test]
    fn schema_versions_are_checked() {
        assert!(matches!(
            RunRecord::from_json("{"),
            Err(RecordError::Corrupt(_))
        ));
        assert!(matches!(
            RunRecord::from_json("{}"),
            Err(RecordError::MissingSchemaVersion)
        ));
        for bad in ["0", "\"2\"", "-1", "1.5", "null"] {
            let error =
                RunRecord::from_json(&format!(r#"{{"schema_version": {bad}}}"#)).unwrap_err();
            assert!(
                matches!(&error, RecordError::BadSchemaVersion(v) if v == bad),
                "{bad}: {error}"
            );
            assert!(error.to_string().contains("`schema_version`"), "{error}");
        }
        assert!(matches!(
            RunRecord::from_json(r#"{"schema_version": 99}"#),
            Err(RecordError::NewerSchema { found: 99, .. })
        ));
        let record = RunRecord {
            schema_version: SCHEMA_VERSION,
            cargo_perf_version: "0.1.0".into(),
            created_unix_s: 0,
            created_utc: format_utc(0),
            environment: Environment::default(),
            tests: vec![],
            split: None,
            shard: None,
        };
        let text = serde_json::to_string(&record).unwrap();
        assert_eq!(RunRecord::from_json(&text).unwrap(), record);
        // A record without `split` (every record before splits) is a whole
        // run; a share's keeps its split.
        assert!(!text.contains("\"split\""), "{text}");
        let share = RunRecord {
            split: Some(crate::split::SplitInfo {
                index: 2,
                count: 3,
                start_at_unix_ms: 1_700_000_000_000,
                config_hash: crate::split::config_hash("x"),
                late_starts: Vec::new(),
            }),
            ..record.clone()
        };
        let shared = serde_json::to_string(&share).unwrap();
        assert_eq!(RunRecord::from_json(&shared).unwrap(), share);
        // A baseline saved by schema 1 still loads.
        let old = text.replace(
            &format!("\"schema_version\":{SCHEMA_VERSION}"),
            "\"schema_version\":1",
        );
        assert_ne!(old, text);
        assert_eq!(RunRecord::from_json(&old).unwrap().schema_version, 1);
    }

    #[test]
    fn a_shard_says_which_it_is_and_a_record_without_one_still_loads() {
        let mut record = RunRecord {
            schema_version: SCHEMA_VERSION,
            cargo_perf_version: "0.1.0".into(),
            created_unix_s: 0,
            created_utc: format_utc(0),
            environment: Environment::default(),
            tests: vec![],
            split: None,
            shard: None,
        };
        let whole = serde_json::to_string(&record).unwrap();
        assert!(!whole.contains("shard"), "{whole}");
        record.shard = Some(crate::shard::ShardInfo {
            kind: crate::shard::ShardKind::Hash,
            index: 1,
            count: 4,
            run_hash: "ab".into(),
        });
        let text = serde_json::to_string(&record).unwrap();
        assert!(
            text.ends_with(r#","shard":{"kind":"hash","index":1,"count":4,"run_hash":"ab"}}"#),
            "{text}"
        );
        assert_eq!(RunRecord::from_json(&text).unwrap(), record);
        assert_eq!(RunRecord::from_json(&whole).unwrap().shard, None);
    }

    #[test]
    fn the_calibration_is_kept_and_records_without_it_load() {
        let mut record = RunRecord {
            schema_version: SCHEMA_VERSION,
            cargo_perf_version: "0.1.0".into(),
            created_unix_s: 0,
            created_utc: format_utc(0),
            environment: Environment::default(),
            tests: vec![],
            shard: None,
            split: None,
        };
        // A record from before the calibration: no field at all.
        let old = serde_json::to_string(&record).unwrap();
        assert!(!old.contains("calibration"), "{old}");
        assert_eq!(
            RunRecord::from_json(&old).unwrap().environment.calibration,
            None
        );
        record.environment.calibration =
            crate::calibration::Calibration::of([1200.0, f64::NAN, 1180.0, 0.0]);
        let text = serde_json::to_string(&record).unwrap();
        let read = RunRecord::from_json(&text).unwrap();
        let calibration = read.environment.calibration.unwrap();
        assert_eq!(calibration.workload, crate::calibration::WORKLOAD);
        assert_eq!(calibration.process_medians_ns, [1200.0, 1180.0]);
        assert!(crate::calibration::Calibration::of([]).is_none());
        // A result from an older harness has no calibration either.
        let result: crate::TestResult = serde_json::from_value(serde_json::json!({
            "protocol": 1, "name": "n", "kind": "bench",
            "config": {"warm_up_ns": 0, "measurement_ns": 0, "quick": false},
            "outcome": {"status": "passed"},
        }))
        .unwrap();
        assert_eq!(result.calibration_ns, None);
    }
}
