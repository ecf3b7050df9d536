//! The hook: which files a run writes, checked before it and written
//! after it.

use std::path::{Path, PathBuf};

use super::output::{Mode, Output, Source};
use crate::baseline;
use crate::cli::OutputArgs;
use crate::error::CliError;

/// The files `args` ask for, with the report directory `perf_dir`.
fn outputs(args: &OutputArgs, perf_dir: &Path) -> Vec<Output> {
    let mut outputs = vec![Output {
        origin: "the HTML report",
        path: perf_dir.join("report/index.html"),
        render: super::html::render,
        mode: Mode::Replace,
    }];
    if let Some(path) = &args.html {
        outputs.push(Output {
            origin: "--html",
            path: path.clone(),
            render: super::html::render,
            mode: Mode::Replace,
        });
    }
    if let Some(path) = &args.junit {
        outputs.push(Output {
            origin: "--junit",
            path: path.clone(),
            render: super::junit::render,
            mode: Mode::Replace,
        });
    }
    if let Some(path) = &args.bmf {
        outputs.push(Output {
            origin: "--bmf",
            path: path.clone(),
            render: super::bmf::render,
            mode: Mode::Replace,
        });
    }
    if let Some(prefix) = &args.github_benchmark {
        outputs.extend(super::benchmark_action::outputs(prefix));
    }
    if let Some(prefix) = &args.csv {
        outputs.extend(super::csv::outputs(prefix));
    }
    outputs.extend(super::github_summary::output(std::env::var_os(
        super::github_summary::ENV,
    )));
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
