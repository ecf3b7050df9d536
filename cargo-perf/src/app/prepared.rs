//! A run once the candidate is built and its tests are selected: what
//! every mode needs, the run record around the tests' records, and saving.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use perf_record::RunRecord;
use perf_record::record::{SCHEMA_VERSION, format_utc};

use super::outcome::finish;
use crate::cargo::{PerfBinary, PerfConfig, Workspace};
use crate::cli::{MessageFormat, PerfArgs};
use crate::discover::{DiscoveredTest, Selection};
use crate::error::CliError;
use crate::run::options::RunOptions;
use crate::verdict::compare::Comparison;
use crate::verdict::gate::Summary;
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
    /// Which shard of the test list this run is (`--shard`).
    pub(crate) shard: Option<perf_record::shard::ShardInfo>,
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
            split: self
                .options
                .split
                .as_ref()
                .map(crate::split::SplitRun::info),
            shard: self.shard.clone(),
        }
    }

    /// The thresholds of the candidate's packages and the flag.
    pub(crate) fn thresholds(&self) -> Thresholds<'_> {
        Thresholds {
            package_configs: self.package_configs,
            flag: self.args.threshold,
        }
    }

    /// Saves the record (`latest.json`, and the baseline with its history
    /// when `--save-baseline` asks; nothing after an interrupt), then prints the
    /// report, also when saving failed, and says what the run found.
    pub(crate) fn save_and_report(
        &self,
        record: &RunRecord,
        comparison: Option<&Comparison>,
    ) -> Result<Summary, CliError> {
        Outputs {
            record_path: self.perf_dir.join("latest.json"),
            perf_dir: self.perf_dir,
            baseline_dir: self.baseline_dir,
            save_baseline: self.args.save_baseline.as_deref(),
            keep: self.args.keep,
            compare: self.args.compare.as_deref(),
            reports: &self.args.outputs,
            json: self.args.message_format == MessageFormat::Json,
        }
        .save_and_report(record, comparison)
    }
}

/// Where a run's record, baseline and reports go: a run's, or a merged
/// run's (`cargo perf merge`), through the same code.
pub(crate) struct Outputs<'a> {
    /// The run record (`latest.json` for a run).
    pub(crate) record_path: std::path::PathBuf,
    /// The folder of the reports written every time (`report/index.html`).
    pub(crate) perf_dir: &'a Path,
    /// Where named baselines live.
    pub(crate) baseline_dir: &'a Path,
    /// `--save-baseline`.
    pub(crate) save_baseline: Option<&'a str>,
    /// `--keep`.
    pub(crate) keep: Option<usize>,
    /// `--compare`: its history is charted.
    pub(crate) compare: Option<&'a str>,
    /// The reports asked for.
    pub(crate) reports: &'a crate::cli::OutputArgs,
    /// `--message-format json`.
    pub(crate) json: bool,
}

impl Outputs<'_> {
    /// Saves the record (and the baseline with its history when
    /// `--save-baseline` asks; nothing after an interrupt), then prints
    /// the report, also when saving failed, and says what the run found.
    pub(crate) fn save_and_report(
        &self,
        record: &RunRecord,
        comparison: Option<&Comparison>,
    ) -> Result<Summary, CliError> {
        if crate::interrupt::interrupted() {
            return Err(CliError::Interrupted);
        }
        let latest = &self.record_path;
        let baseline = self
            .save_baseline
            .map(|name| baseline::resolve(name, self.baseline_dir));
        let saved =
            crate::atomic_write::write_json(latest, record).and_then(|()| match &baseline {
                Some(path) => {
                    let keep = self.keep.unwrap_or(crate::history::store::DEFAULT_KEEP);
                    crate::history::store::save(path, record, keep).map(|_| Some(path.as_path()))
                }
                None => Ok(None),
            });
        // The reports chart the history of the baseline the run saved to
        // (this run included) or compared with.
        let named = self.save_baseline.or(self.compare);
        let history = named.and_then(|name| {
            crate::history::load_named(self.baseline_dir, name)
                .ok()
                .map(|h| (name, h))
        });
        let source = crate::export::Source {
            record,
            comparison,
            history: history.as_ref().map(|(name, h)| (*name, h)),
        };
        let (written, errors) = crate::export::write_all(self.reports, self.perf_dir, &source);
        let advice = crate::export::findings(&source);
        let mut summary = finish(
            record,
            comparison,
            saved.as_ref().ok().copied().flatten(),
            latest,
            &written,
            &advice,
            self.json,
        );
        // Every report that could not be written is named; the summary
        // stays the run's, so the exit code and the JSON summary still say
        // what the run found.
        for error in errors {
            if let CliError::Write { path, .. } = &error {
                summary.unwritten.push(path.clone());
            }
            crate::error::print_error(&error);
        }
        saved.map(|_| summary)
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

/// Seconds since the Unix epoch.
pub(crate) fn now_unix_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
