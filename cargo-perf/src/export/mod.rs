//! The files a run writes for people and CI systems besides its record:
//! each one drawn from the same run record and comparison, each written
//! whole or not at all.

mod findings;
mod html;

use std::path::{Path, PathBuf};

use perf_record::RunRecord;

use crate::baseline;
use crate::cli::OutputArgs;
use crate::error::CliError;
use crate::verdict::compare::Comparison;

/// What a report is drawn from.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    /// The run.
    pub(crate) record: &'a RunRecord,
    /// Its comparison, when it had one.
    pub(crate) comparison: Option<&'a Comparison>,
}

/// One file to write: which flag asked for it, where, and its contents.
pub(crate) struct Output {
    /// The flag (or environment variable) that asked for it.
    pub(crate) origin: &'static str,
    /// Where it goes.
    pub(crate) path: PathBuf,
    /// Renders it.
    pub(crate) render: fn(&Source<'_>) -> String,
    /// Whether it replaces the file or is appended to it.
    pub(crate) mode: Mode,
}

/// How an output reaches its file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Written whole, atomically, over what was there.
    Replace,
    /// Appended (a CI system's summary file, which other steps share).
    #[allow(
        dead_code,
        reason = "the CI summary appends; until it is merged nothing does"
    )]
    Append,
}

/// The files `args` ask for, with the report directory `perf_dir`.
fn outputs(args: &OutputArgs, perf_dir: &Path) -> Vec<Output> {
    let mut outputs = vec![Output {
        origin: "the HTML report",
        path: perf_dir.join("report/index.html"),
        render: html::render,
        mode: Mode::Replace,
    }];
    if let Some(path) = &args.html {
        outputs.push(Output {
            origin: "--html",
            path: path.clone(),
            render: html::render,
            mode: Mode::Replace,
        });
    }
    outputs
}

/// Checks, before anything is measured, that every requested file can be
/// written: the run would otherwise be lost at its end.
pub(crate) fn check(args: &OutputArgs, perf_dir: &Path) -> Result<(), CliError> {
    for output in outputs(args, perf_dir) {
        if output.mode == Mode::Replace {
            baseline::check_writable(output.origin, &output.path)?;
        }
    }
    Ok(())
}

/// Writes every requested file, each atomically; one that fails does not
/// stop the others. Returns the files written, and the errors.
pub(crate) fn write_all(
    args: &OutputArgs,
    perf_dir: &Path,
    source: &Source<'_>,
) -> (Vec<PathBuf>, Vec<CliError>) {
    let mut written = Vec::new();
    let mut errors = Vec::new();
    for output in outputs(args, perf_dir) {
        let text = (output.render)(source);
        let result = match output.mode {
            Mode::Replace => baseline::write_bytes_atomic(&output.path, text.as_bytes()),
            Mode::Append => append(&output.path, &text),
        };
        match result {
            Ok(()) => written.push(output.path),
            Err(error) => errors.push(error),
        }
    }
    (written, errors)
}

/// Appends `text` to `path` in one write.
fn append(path: &Path, text: &str) -> Result<(), CliError> {
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|source| CliError::Write {
            path: path.to_path_buf(),
            source,
        })
}
