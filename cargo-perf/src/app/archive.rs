//! `cargo perf archive`: the run's preparation in build-only mode (the
//! perf targets, the servers of their load tests, and for `--compare-ref`
//! the base revision's), packed into one file.

use std::collections::BTreeMap;
use std::time::Instant;

use perf_record::record::{SCHEMA_VERSION, format_utc};

use super::from_archive::build_flags;
use super::prepare::{baseline_dir, no_perf_targets};
use super::prepared::now_unix_s;
use crate::archive::{self, BaseBuild, Link, Manifest};
use crate::cargo::{Workspace, feature_gated_targets, perf_targets};
use crate::cli::{ArchiveArgs, MessageFormat, PerfArgs};
use crate::discover::{Selection, discover};
use crate::error::CliError;
use crate::report::JsonMessage;
use crate::run::paired::BaseSide;
use crate::server::prepare_servers;
use crate::verdict::gate::Summary;

/// Builds what a run needs and writes the archive `args.archive_file`.
pub fn run(perf: &PerfArgs, args: &ArchiveArgs) -> Result<Summary, CliError> {
    crate::interrupt::install_signal_handler();
    let started = Instant::now();
    let path = &args.archive_file;
    crate::atomic_write::check_writable("--archive-file", path)?;
    let mut cargo = perf.cargo.clone();
    cargo.archive = Link::collecting();
    let workspace = Workspace::load(&cargo)?;
    let packages = workspace.select(&cargo)?;
    let mut package_configs = BTreeMap::new();
    for package in &packages {
        package_configs.insert(package.name.to_string(), workspace.package_config(package)?);
    }
    let base = match &args.compare_ref {
        Some(rev) => Some(crate::run::worktree::resolve(workspace.root(), rev)?),
        None => None,
    };
    let targets = perf_targets(&packages, &cargo)?;
    if targets.is_empty() {
        return Err(no_perf_targets(
            &packages,
            &feature_gated_targets(&packages, &cargo),
        ));
    }
    let binaries = crate::cargo::build(&cargo, &targets)?;
    let perf_dir = workspace.target_dir.join("perf");
    let baselines = baseline_dir(perf, &workspace, &packages, &package_configs);
    let scratch = crate::run::scratch::create(&perf_dir, &baselines)?;
    // Every test, the ignored too: a run may select any of them.
    let every = Selection {
        include_ignored: true,
        ..Selection::default()
    };
    let (tests, _) = discover(&binaries, scratch.path())?;
    if std::env::var(perf_record::protocol::env::TARGET_URL).is_ok_and(|u| !u.trim().is_empty()) {
        eprintln!(
            "note: {} is set: the load tests' servers are not built into the archive, and runs from it \
             need a target too",
            perf_record::protocol::env::TARGET_URL
        );
    }
    // Preparing the servers builds them; none is started, so no log is
    // written (the scratch one keeps the last run's server.log intact).
    let log = scratch.path().join("server.log");
    prepare_servers(
        &cargo,
        None,
        false,
        &workspace,
        &package_configs,
        &tests,
        &log,
    )?;
    if let Some(base) = &base {
        let side = BaseSide::prepare(
            &cargo,
            workspace.root(),
            &perf_dir,
            scratch.path(),
            base,
            &every,
        )?;
        prepare_servers(
            &side.cargo,
            None,
            false,
            &side.workspace,
            &side.package_configs,
            &side.tests,
            &scratch.path().join("server-base.log"),
        )?;
    }
    let environment = crate::environment::fingerprint(workspace.root(), &cargo);
    let mut manifest = Manifest {
        format_version: archive::FORMAT_VERSION,
        cargo_perf_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_utc: format_utc(now_unix_s()),
        build: build_flags(&cargo),
        rustc: Some(environment.rustc),
        target: environment.target,
        head_commit: environment.git_commit,
        head_dirty: environment.git_dirty,
        base: base.as_ref().map(|b| BaseBuild {
            rev: b.rev.clone(),
            commit: b.commit.clone(),
        }),
        executables: Vec::new(),
    };
    let bytes = archive::write(path, &mut manifest, &cargo.archive.collected())?;
    let unpacked = manifest.total_size();
    if perf.message_format == MessageFormat::Json {
        JsonMessage::ArchiveWritten {
            schema_version: SCHEMA_VERSION,
            path: path.display().to_string(),
            manifest: &manifest,
            bytes,
        }
        .print();
    } else {
        let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
        eprintln!(
            "{:>12} {} executables ({:.1} MiB; {:.1} MiB unpacked{}) to {} in {:.1}s",
            "Archived",
            manifest.executables.len(),
            mib(bytes),
            mib(unpacked),
            base.as_ref()
                .map(|b| format!("; with the base {} ({})", b.rev, b.short()))
                .unwrap_or_default(),
            path.display(),
            started.elapsed().as_secs_f64()
        );
        let compare = args
            .compare_ref
            .as_ref()
            .map(|rev| format!(" --compare-ref {rev}"))
            .unwrap_or_default();
        eprintln!(
            "      Run it where the checkout is, without building: cargo perf --archive-file {}{compare} [FILTER]...",
            path.display()
        );
    }
    Ok(Summary::default())
}
