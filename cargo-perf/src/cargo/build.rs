//! Running cargo: `$CARGO` (set by cargo for its subcommands) or `cargo`,
//! with the user's flags forwarded as written, and the build of the perf
//! targets read from cargo's JSON message stream.

use std::collections::BTreeSet;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use cargo_metadata::{Artifact, Message, TargetKind};

use super::targets::{PerfTarget, TargetKindName};
use crate::cli::CargoOptions;
use crate::error::CliError;

/// The cargo to run: the one that invoked us, else `cargo` on the PATH.
pub fn cargo_path() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// A built perf binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerfBinary {
    /// The target it was built from.
    pub target: PerfTarget,
    /// The executable.
    pub executable: PathBuf,
}

/// Builds the perf targets with an optimised profile (`bench` unless
/// `--profile` says otherwise) and returns their executables. Cargo's
/// progress and rendered diagnostics go to stderr as cargo prints them.
///
/// With `--archive-file` they are the archive's, and cargo is not run;
/// for `cargo perf archive` each is noted for the archive.
pub fn build(options: &CargoOptions, targets: &[PerfTarget]) -> Result<Vec<PerfBinary>, CliError> {
    let key = |t: &PerfTarget| options.archive.key(&t.package, cargo_kind(t.kind), &t.name);
    if let Some(archive) = options.archive.archive() {
        return targets
            .iter()
            .map(|t| {
                Ok(PerfBinary {
                    target: t.clone(),
                    executable: archive.executable(&key(t))?,
                })
            })
            .collect();
    }
    let mut args = vec![
        "bench".to_owned(),
        "--no-run".to_owned(),
        "--message-format".to_owned(),
        "json-render-diagnostics".to_owned(),
    ];
    args.extend(options.to_args());
    let selectors: BTreeSet<(&str, &str)> = targets
        .iter()
        .map(|t| (t.kind.flag(), t.name.as_str()))
        .collect();
    for (flag, name) in selectors {
        args.push(flag.to_owned());
        args.push(name.to_owned());
    }
    let mut binaries = Vec::new();
    run_cargo(&args, |artifact| {
        let Some(executable) = &artifact.executable else {
            return;
        };
        if let Some(target) = targets
            .iter()
            .find(|t| t.package_id == artifact.package_id && t.name == artifact.target.name)
        {
            binaries.push(PerfBinary {
                target: target.clone(),
                executable: executable.clone().into_std_path_buf(),
            });
        }
    })?;
    binaries.sort_by(|a, b| a.target.cmp(&b.target));
    binaries.dedup_by(|a, b| a.target == b.target);
    for binary in &binaries {
        options
            .archive
            .note(key(&binary.target), binary.executable.clone());
    }
    Ok(binaries)
}

/// Cargo's name for a perf target's kind.
fn cargo_kind(kind: TargetKindName) -> TargetKind {
    match kind {
        TargetKindName::Bench => TargetKind::Bench,
        TargetKindName::Test => TargetKind::Test,
    }
}

/// Builds a binary of the workspace (the server load tests run against)
/// with the same profile as the perf targets, and returns its path: the
/// archive's with `--archive-file`, noted for `cargo perf archive`.
pub fn build_bin(options: &CargoOptions, package: &str, bin: &str) -> Result<PathBuf, CliError> {
    let key = options.archive.key(package, TargetKind::Bin, bin);
    if let Some(archived) = options.archive.archived(&key) {
        return archived;
    }
    let mut args = vec![
        "build".to_owned(),
        "--message-format".to_owned(),
        "json-render-diagnostics".to_owned(),
        "--profile".to_owned(),
        options.profile_name().to_owned(),
        "--package".to_owned(),
        package.to_owned(),
        "--bin".to_owned(),
        bin.to_owned(),
    ];
    if let Some(path) = &options.manifest_path {
        args.push("--manifest-path".to_owned());
        args.push(path.display().to_string());
    }
    if let Some(dir) = &options.target_dir {
        args.push("--target-dir".to_owned());
        args.push(dir.display().to_string());
    }
    args.extend(options.manifest_flags());
    let mut executable = None;
    run_cargo(&args, |artifact| {
        if artifact.target.name == bin
            && let Some(path) = &artifact.executable
        {
            executable = Some(path.clone().into_std_path_buf());
        }
    })?;
    let executable = executable.ok_or(CliError::BuildFailed)?;
    options.archive.note(key, executable.clone());
    Ok(executable)
}

/// Runs cargo with `--message-format json-render-diagnostics` in `args`:
/// its progress and rendered diagnostics go to stderr as cargo prints them,
/// each compiler artifact goes to `on_artifact`. Fails when the build does.
fn run_cargo(args: &[String], mut on_artifact: impl FnMut(&Artifact)) -> Result<(), CliError> {
    let cargo = cargo_path();
    let command_line = format!("{} {}", cargo.display(), args.join(" "));
    let mut child = Command::new(&cargo)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|source| CliError::Cargo {
            command: command_line.clone(),
            source,
        })?;
    // Ctrl-C stops the build too, not only cargo perf.
    crate::interrupt::track(child.id());
    let mut success = false;
    if let Some(stdout) = child.stdout.take() {
        for message in Message::parse_stream(BufReader::new(stdout)) {
            match message {
                Ok(Message::CompilerArtifact(artifact)) => on_artifact(&artifact),
                Ok(Message::BuildFinished(finished)) => success = finished.success,
                Ok(_) => {}
                Err(source) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    crate::interrupt::forget(child.id());
                    return Err(CliError::Cargo {
                        command: command_line,
                        source,
                    });
                }
            }
        }
    }
    let status = child.wait();
    crate::interrupt::forget(child.id());
    let status = status.map_err(|source| CliError::Cargo {
        command: command_line,
        source,
    })?;
    if status.success() && success {
        Ok(())
    } else {
        Err(CliError::BuildFailed)
    }
}
