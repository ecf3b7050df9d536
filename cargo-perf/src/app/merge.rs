//! `cargo perf merge`: a run's shards read, merged into one run record,
//! and that record compared, saved and reported as a run's is, through
//! the same code and to the same exit code.

use std::path::{Path, PathBuf};

use perf_record::RunRecord;

use super::prepared::Outputs;
use crate::baseline;
use crate::cli::{MergeArgs, MessageFormat, PerfArgs};
use crate::error::CliError;
use crate::verdict::compare::compare;
use crate::verdict::gate::Summary;

/// Where the merged record goes unless `-o` says otherwise, as a run's.
const DEFAULT_OUTPUT: &str = "target/perf/latest.json";
/// Where named baselines are unless `--baseline-dir` says otherwise.
const DEFAULT_BASELINE_DIR: &str = "target/perf/baselines";

/// Merges the shards named on the command line, then gates and reports.
pub fn run(args: &PerfArgs, merge: &MergeArgs) -> Result<Summary, CliError> {
    let output = merge
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUTPUT));
    let perf_dir = match output.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Named baselines where a run in this folder keeps them by default,
    // wherever `-o` puts the merged record.
    let baseline_dir = args
        .baseline_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_BASELINE_DIR));
    for (flag, value) in [
        ("--save-baseline", &merge.save_baseline),
        ("--compare", &merge.compare),
    ] {
        if let Some(value) = value {
            baseline::check_name(flag, value)?;
        }
    }
    let mut taken = vec![("the merged run record", output.clone())];
    let mut folders = Vec::new();
    for (what, name) in [
        ("--save-baseline", &merge.save_baseline),
        ("the baseline --compare reads", &merge.compare),
    ] {
        if let Some(name) = name {
            let path = baseline::resolve(name, &baseline_dir);
            folders.push((what, crate::history::store::dir_of(&path)));
            taken.push((what, path));
        }
    }
    crate::export::check(&merge.outputs, &perf_dir, &taken, &folders)?;
    let baseline = match &merge.compare {
        Some(name) => {
            let path = baseline::resolve(name, &baseline_dir);
            Some((baseline::load(&path)?, path))
        }
        None => None,
    };
    let shards = read_all(&merge.inputs, &output)?;
    let record = crate::merge::record::merge(&shards).map_err(|e| CliError::Shard {
        path: e.path,
        message: e.message,
    })?;
    if let Some((old, path)) = &baseline {
        let ids: Vec<_> = record.tests.iter().map(|t| &t.id).collect();
        baseline::check_shares_tests(path, old, &ids)?;
    }
    // The comparison of the union, as one run's: the multiple-comparison
    // correction spans every test of every shard. Nothing can be re-run
    // here to confirm a flagged change; each shard's own comparison did.
    let comparison = baseline.as_ref().map(|(old, path)| {
        let mut comparison = compare(old, path, &record);
        if let Some(drift) = crate::history::drift(path, &record) {
            crate::verdict::drift::apply(&mut comparison, &drift);
        }
        comparison
    });
    Outputs {
        record_path: output,
        perf_dir: &perf_dir,
        baseline_dir: &baseline_dir,
        save_baseline: merge.save_baseline.as_deref(),
        keep: merge.keep,
        compare: merge.compare.as_deref(),
        reports: &merge.outputs,
        json: args.message_format == MessageFormat::Json,
    }
    .save_and_report(&record, comparison.as_ref())
}

/// The records named, a directory standing for every `*.json` file in it
/// (in name order); the merged record's own path is skipped, so that a
/// merge into the shards' folder can be run again.
fn read_all(inputs: &[PathBuf], output: &Path) -> Result<Vec<(PathBuf, RunRecord)>, CliError> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| CliError::Shard {
                path: input.clone(),
                message: format!("the folder cannot be read: {e}"),
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|e| e == "json") && path.is_file())
                .filter(|path| !crate::export::same_file(path, output))
                .collect();
            if found.is_empty() {
                return Err(CliError::Shard {
                    path: input.clone(),
                    message: "the folder holds no run record (*.json)".to_owned(),
                });
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|e| CliError::Shard {
                path: path.clone(),
                message: format!("it cannot be read: {e}"),
            })?;
            let record = RunRecord::from_json(&text).map_err(|e| CliError::Shard {
                path: path.clone(),
                message: e.to_string(),
            })?;
            Ok((path, record))
        })
        .collect()
}
