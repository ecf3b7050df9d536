//! `cargo perf history NAME`: the baseline's saved runs read from its
//! folder, filtered to the tests asked for, and printed. Nothing is built
//! or run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use perf_record::record::SCHEMA_VERSION;

use crate::cargo::Workspace;
use crate::cli::{HistoryArgs, MessageFormat, PerfArgs};
use crate::discover::Selection;
use crate::error::CliError;
use crate::report::JsonMessage;
use crate::verdict::gate::Summary;
use crate::{baseline, history};

/// Shows the history of the baseline `args.name`; a missing history is
/// [`CliError::Baseline`] (exit code 6), no test matching the filters
/// [`CliError::NoTestMatched`] (exit code 4).
pub fn run(perf: &PerfArgs, args: &HistoryArgs) -> Result<Summary, CliError> {
    baseline::check_name("history", &args.name)?;
    let mut history = history::load_named(&baseline_dir(perf, &args.name)?, &args.name)?;
    let selection = Selection {
        filters: args.filters.clone(),
        exact: args.exact,
        ..Selection::default()
    };
    let all: Vec<String> = history.tests.iter().map(|t| t.id.to_string()).collect();
    history.retain_tests(|id| selection.matches_name(id));
    if history.tests.is_empty() {
        return Err(CliError::NoTestMatched(format!(
            "no test of the history in {} matched {}; its tests are:\n  {}",
            history.dir.display(),
            args.filters.join(", "),
            all.join("\n  ")
        )));
    }
    if perf.message_format == MessageFormat::Json {
        JsonMessage::History {
            schema_version: SCHEMA_VERSION,
            baseline: &args.name,
            history: &history,
        }
        .print();
    } else {
        anstream::print!("{}", history::print::render(&args.name, &history));
    }
    Ok(Summary {
        tests: history.tests.len(),
        ..Summary::default()
    })
}

/// The baseline directory, as a run would find it: a path or
/// `--baseline-dir` needs no workspace; otherwise the configured one.
fn baseline_dir(perf: &PerfArgs, name: &str) -> Result<PathBuf, CliError> {
    if let Some(dir) = &perf.baseline_dir {
        return Ok(dir.clone());
    }
    if baseline::is_path(name) {
        return Ok(PathBuf::new());
    }
    let workspace = Workspace::load(&perf.cargo)?;
    let packages = workspace.select(&perf.cargo)?;
    let mut configs = BTreeMap::new();
    for package in &packages {
        configs.insert(package.name.to_string(), workspace.package_config(package)?);
    }
    Ok(super::prepare::baseline_dir(
        perf, &workspace, &packages, &configs,
    ))
}
