//! The hook: which files a run writes, checked before it and written
//! after it.

use std::path::{Path, PathBuf};

use super::output::{Mode, Output, Source};
use crate::atomic_write;
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
/// written, and that no two outputs, nor an output and one of the run's
/// own files (`taken`: its record, the baseline it saves), are one file:
/// the run would otherwise be lost, or one file overwrite another, at its
/// end.
pub(crate) fn check(
    args: &OutputArgs,
    perf_dir: &Path,
    taken: &[(&str, PathBuf)],
) -> Result<(), CliError> {
    let mut seen: Vec<(&str, PathBuf)> = taken
        .iter()
        .map(|(origin, path)| (*origin, same_file_key(path)))
        .collect();
    for output in outputs(args, perf_dir) {
        match output.mode {
            Mode::Replace => atomic_write::check_writable(output.origin, &output.path)?,
            Mode::Append => check_appendable(output.origin, &output.path)?,
        }
        let key = same_file_key(&output.path);
        if let Some((other, _)) = seen.iter().find(|(_, k)| *k == key) {
            return Err(CliError::Usage(format!(
                "{} and {other} both name {}; give each its own file",
                output.origin,
                output.path.display()
            )));
        }
        seen.push((output.origin, key));
    }
    Ok(())
}

/// A path's identity for telling two outputs apart: its directory made
/// absolute and resolved (where it exists), and its file name.
fn same_file_key(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .join(name),
        _ => absolute,
    }
}

/// A file appended to (a CI system's summary) must open for appending; a
/// directory or an unwritable file would lose the run's summary at its end.
fn check_appendable(origin: &str, path: &Path) -> Result<(), CliError> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(drop)
        .map_err(|source| {
            CliError::Usage(format!(
                "{origin}: cannot append to {} ({source}); point it at a file you can write to",
                path.display()
            ))
        })
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
            Mode::Replace => atomic_write::write_bytes(&output.path, text.as_bytes()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_outputs_or_an_output_and_the_record_in_one_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let perf = dir.path().join("perf");
        let record = [("the run record", perf.join("latest.json"))];
        let refused = |args: OutputArgs| match check(&args, &perf, &record) {
            Err(CliError::Usage(message)) => message,
            other => panic!("{other:?}"),
        };
        let message = refused(OutputArgs {
            junit: Some(perf.join("latest.json")),
            ..OutputArgs::default()
        });
        assert!(
            message.starts_with("--junit and the run record both name"),
            "{message}"
        );
        // The same file by another spelling of its directory.
        let message = refused(OutputArgs {
            html: Some(dir.path().join("out.html")),
            bmf: Some(perf.join("../out.html")),
            ..OutputArgs::default()
        });
        assert!(
            message.starts_with("--bmf and --html both name"),
            "{message}"
        );
        check(
            &OutputArgs {
                junit: Some(dir.path().join("junit.xml")),
                ..OutputArgs::default()
            },
            &perf,
            &record,
        )
        .unwrap();
    }

    #[test]
    fn a_directory_cannot_take_an_appended_summary() {
        let dir = tempfile::tempdir().unwrap();
        let error = check_appendable("GITHUB_STEP_SUMMARY", dir.path()).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("GITHUB_STEP_SUMMARY: cannot append to"),
            "{error}"
        );
    }
}
