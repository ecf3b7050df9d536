//! The one error type of the subcommand. Each variant names what is at
//! fault (a flag, a file, a package) and maps to a documented exit code.

use std::path::PathBuf;

/// Why `cargo perf` stopped before it could report.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A flag or configuration value is wrong.
    #[error("{0}")]
    Usage(String),
    /// `-p NAME` names no workspace member.
    #[error(
        "package `{name}` is not a member of the workspace\n  members: {}\n  pick one of them with `-p NAME`",
        members.join(", ")
    )]
    UnknownPackage {
        /// The name given.
        name: String,
        /// The workspace's members.
        members: Vec<String>,
    },
    /// Running cargo failed.
    #[error("failed to run `{command}`")]
    Cargo {
        /// The command line.
        command: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// `cargo metadata` failed.
    #[error("failed to read the workspace with `cargo metadata`")]
    Metadata(#[source] cargo_metadata::Error),
    /// A manifest could not be read.
    #[error("failed to read {}", path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// The cause.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// `[package.metadata.perf]` holds a bad value.
    #[error("invalid `{key}` in [{table}] of {}: {message}", path.display())]
    Config {
        /// The manifest.
        path: PathBuf,
        /// `package.metadata.perf` or `workspace.metadata.perf`.
        table: String,
        /// The key.
        key: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The build failed; cargo has shown its diagnostics.
    #[error(
        "the build failed (cargo's diagnostics are above); fix the errors and run `cargo perf` again"
    )]
    BuildFailed,
    /// No package of the selection has a perf target.
    #[error("{0}")]
    NoPerfTargets(String),
    /// No test matched the filters.
    #[error("{0}")]
    NoTestMatched(String),
    /// A perf binary could not be listed.
    #[error("failed to list the tests of {}: {message}", binary.display())]
    Listing {
        /// The binary.
        binary: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A baseline is missing, corrupt or too new.
    #[error("baseline {}: {message}", path.display())]
    Baseline {
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The server for load tests failed to start, never got ready, or
    /// exited mid-run.
    #[error("{0}")]
    Server(String),
    /// `--compare-ref`: the revision cannot be found or checked out.
    #[error("{0}")]
    Git(String),
    /// A file could not be written.
    #[error("failed to write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// `cargo perf merge`: a shard's record cannot be read, or the shards
    /// are not one whole run.
    #[error("cannot merge {}: {message}", path.display())]
    Shard {
        /// The record (or folder) at fault.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// `--archive-file`: the archive is missing, damaged or refused, or
    /// does not hold what the run needs.
    #[error("archive {}: {message}", path.display())]
    Archive {
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// `cargo perf init`: a file or entry it would overwrite exists, or
    /// the manifest cannot take the bench target.
    #[error("cannot init {}: {message}", path.display())]
    Init {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// `cargo perf init --openapi`: the document is missing, too large,
    /// malformed or not OpenAPI 3.
    #[error("OpenAPI document {}: {error}", path.display())]
    OpenApi {
        /// The document.
        path: PathBuf,
        /// What is wrong, at which JSON pointer.
        error: crate::init::openapi::SpecError,
    },
    /// Ctrl-C or SIGTERM: the run stopped its children and wrote nothing.
    #[error("interrupted: stopped every server and perf binary it started; nothing more was saved")]
    Interrupted,
    /// Something else went wrong in the environment.
    #[error("{message}")]
    Io {
        /// What was being done.
        message: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Prints `error` and its causes on stderr.
pub fn print_error(error: &CliError) {
    eprintln!("error: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
}
