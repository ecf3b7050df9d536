//! A run once the candidate is built and its tests are selected: what
//! every mode needs, the run record around the tests' records, and saving.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use perf_record::RunRecord;
use perf_record::record::{SCHEMA_VERSION, format_utc};

use crate::cargo::{PerfBinary, PerfConfig, Workspace};
use crate::cli::PerfArgs;
use crate::discover::{DiscoveredTest, Selection};
use crate::error::CliError;
use crate::run::options::RunOptions;
use crate::verdict::thresholds::Thresholds;
use crate::{baseline, environment};

/// Everything a run needs once the candidate is built and its tests are
/// selected.
pub(crate) struct Prepared<'a> {
    pub(crate) args: &'a PerfArgs,
    pub(crate) workspace: &'a Workspace,
    pub(crate) package_configs: &'a BTreeMap<String, PerfConfig>,
    pub(crate) perf_dir: &'a Path,
    pub(crate) scratch: &'a Path,
    pub(crate) binaries: &'a [PerfBinary],
    pub(crate) selected: &'a [DiscoveredTest],
    pub(crate) baseline_dir: &'a Path,
    pub(crate) options: RunOptions,
}

impl Prepared<'_> {
    /// The run record around the tests' records.
    pub(crate) fn record(&self, started: u64, tests: Vec<perf_record::TestRecord>) -> RunRecord {
        RunRecord {
            schema_version: SCHEMA_VERSION,
            cargo_perf_version: env!("CARGO_PKG_VERSION").to_owned(),
            created_unix_s: started,
            created_utc: format_utc(started),
            environment: environment::fingerprint(self.workspace.root(), &self.args.cargo),
            tests,
        }
    }

    /// The thresholds of the candidate's packages and the flag.
    pub(crate) fn thresholds(&self) -> Thresholds<'_> {
        Thresholds {
            package_configs: self.package_configs,
            flag: self.args.threshold,
        }
    }

    /// Writes `latest.json`, and the baseline when `--save-baseline` asks;
    /// nothing after an interrupt.
    pub(crate) fn save(&self, record: &RunRecord) -> Result<(PathBuf, Option<PathBuf>), CliError> {
        if crate::interrupt::interrupted() {
            return Err(CliError::Interrupted);
        }
        let latest = self.perf_dir.join("latest.json");
        baseline::write_atomic(&latest, record)?;
        let saved = match &self.args.save_baseline {
            Some(name) => {
                let path = baseline::resolve(name, self.baseline_dir);
                baseline::write_atomic(&path, record)?;
                Some(path)
            }
            None => None,
        };
        Ok((latest, saved))
    }
}

/// The tests the flags select.
pub(crate) fn selection(args: &PerfArgs) -> Selection {
    Selection {
        filters: args.filters.clone(),
        exact: args.exact,
        ignored: args.ignored,
        include_ignored: args.include_ignored || args.list,
    }
}

/// Test ids as a comma-separated list, for messages.
pub(crate) fn join_ids<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Seconds since the Unix epoch.
pub(crate) fn now_unix_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
