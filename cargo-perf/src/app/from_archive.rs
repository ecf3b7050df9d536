//! `--archive-file` on a run: the archive opened, and checked against the
//! checkout and the run's flags before anything runs.

use crate::archive::{Archive, BuildFlags, Link};
use crate::cargo::Workspace;
use crate::cli::{CargoOptions, PerfArgs};
use crate::error::CliError;

/// With `--archive-file`: opens the archive (unpacked under the target
/// dir's perf/archive/) so that every build of the run takes its
/// executables from it, and checks it against the checkout. A run that
/// gives no package selection or features takes the archive's; one that
/// gives other features or profile is refused, as is a `--compare-ref`
/// that names another commit than the archive's base. A checkout at
/// another commit than the archive's is only noted: the archive's
/// executables run in this checkout's directories.
pub(super) fn attach(args: &mut PerfArgs, workspace: &Workspace) -> Result<(), CliError> {
    let Some(path) = args.cargo.archive_file.clone() else {
        return Ok(());
    };
    let archive = Archive::open(&path, &workspace.target_dir.join("perf").join("archive"))?;
    let manifest = archive.manifest();
    if let Some(target) = &manifest.target
        && target.split('-').next() != Some(std::env::consts::ARCH)
    {
        return Err(CliError::Archive {
            path,
            message: format!(
                "its executables are built for {target}; this machine is {}-{}: make the archive on \
                 (or for) this kind of machine",
                std::env::consts::ARCH,
                std::env::consts::OS
            ),
        });
    }
    let archived = &manifest.build;
    let given = build_flags(&args.cargo);
    let refuse = |message: String| CliError::Archive {
        path: path.clone(),
        message,
    };
    if given.compilation().is_empty() {
        args.cargo.features.clone_from(&archived.features);
        args.cargo.all_features = archived.all_features;
        args.cargo.no_default_features = archived.no_default_features;
        args.cargo.profile.clone_from(&archived.profile);
    } else if given.compilation() != archived.compilation() {
        return Err(refuse(format!(
            "it was built with `{}`, this run gives `{}`: give the archive's flags (or none), or make \
             the archive again with this run's",
            shown(&archived.compilation()),
            shown(&given.compilation())
        )));
    }
    if given.selection().is_empty() {
        args.cargo.packages.clone_from(&archived.packages);
        args.cargo.workspace = archived.workspace;
        args.cargo.exclude.clone_from(&archived.exclude);
    }
    match (&args.compare_ref, &manifest.base) {
        (Some(rev), Some(base)) => {
            let resolved = crate::run::worktree::resolve(workspace.root(), rev)?;
            if resolved.commit != base.commit {
                return Err(refuse(format!(
                    "its base is {} ({}), but --compare-ref {rev} is {}: compare with the archive's \
                     base, or make the archive again with `--compare-ref {rev}`",
                    base.rev, base.commit, resolved.commit
                )));
            }
        }
        (Some(rev), None) => {
            return Err(refuse(format!(
                "it holds no base build for --compare-ref {rev}: make it with \
                 `cargo perf archive --archive-file FILE --compare-ref {rev}`"
            )));
        }
        (None, _) => {}
    }
    let checkout = crate::environment::fingerprint(workspace.root(), &args.cargo).git_commit;
    if let (Some(built), Some(checkout)) = (&manifest.head_commit, &checkout)
        && built != checkout
    {
        eprintln!(
            "warning: the archive {} was built from commit {}, the checkout is at {}: its executables \
             run in this checkout's directories",
            path.display(),
            crate::environment::short_commit(built),
            crate::environment::short_commit(checkout)
        );
    }
    args.cargo.archive = Link::reading(archive);
    Ok(())
}

/// Flags as one would type them, or `(no flags)`.
fn shown(flags: &[String]) -> String {
    if flags.is_empty() {
        "(no flags)".to_owned()
    } else {
        flags.join(" ")
    }
}

/// The cargo flags that decide what is built.
pub(super) fn build_flags(cargo: &CargoOptions) -> BuildFlags {
    BuildFlags {
        packages: cargo.packages.clone(),
        workspace: cargo.workspace,
        exclude: cargo.exclude.clone(),
        features: cargo.features.clone(),
        all_features: cargo.all_features,
        no_default_features: cargo.no_default_features,
        profile: cargo.profile.clone(),
    }
}
