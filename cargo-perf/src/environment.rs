//! Where and from what a run was made: git commit, host, CPU, rustc and
//! its target, profile, features, and the dependency versions (a hash of
//! Cargo.lock).

use std::path::Path;
use std::process::Command;

use perf_record::Environment;

/// Describes this machine and the workspace's state.
pub fn fingerprint(workspace_root: &Path, cargo: &crate::cli::CargoOptions) -> Environment {
    let git = |args: &[&str]| -> Option<String> {
        let output = Command::new("git")
            .arg("-C")
            .arg(workspace_root)
            .args(args)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let git_commit = git(&["rev-parse", "HEAD"]);
    let git_dirty = git_commit.is_some()
        && git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let verbose = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-vV")
        .current_dir(workspace_root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let rustc = verbose
        .lines()
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("unknown")
        .to_owned();
    let target = verbose
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned);
    // From an archive the executables are the archiving machine's build:
    // its compiler and target describe them, not this machine's.
    let archived = cargo
        .archive
        .archive()
        .map(crate::archive::Archive::manifest);
    let (rustc, target) = match archived {
        Some(manifest) => (
            manifest.rustc.clone().unwrap_or(rustc),
            manifest.target.clone().or(target),
        ),
        None => (rustc, target),
    };
    let mut features: Vec<String> = cargo
        .features
        .iter()
        .flat_map(|f| f.split([' ', ',']))
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect();
    features.sort();
    if cargo.all_features {
        features.insert(0, "--all-features".to_owned());
    }
    if cargo.no_default_features {
        features.insert(0, "--no-default-features".to_owned());
    }
    Environment {
        git_commit,
        git_dirty,
        host: host_name(),
        os: std::env::consts::OS.to_owned(),
        arch: std::env::consts::ARCH.to_owned(),
        cpu: cpu_model(),
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        rustc,
        profile: cargo.profile_name().to_owned(),
        target,
        features,
        cargo_lock_hash: std::fs::read(workspace_root.join("Cargo.lock"))
            .ok()
            .map(|bytes| format!("{:016x}", perf_record::shard::fnv1a(&bytes))),
    }
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, model)| model.trim().to_owned())
}

/// What differs between two environments, in words, for a warning.
pub fn differences(
    baseline: &perf_record::Environment,
    current: &perf_record::Environment,
) -> Vec<String> {
    let mut differences = Vec::new();
    let mut check = |what: &str, a: &str, b: &str| {
        if a != b {
            differences.push(format!("{what}: {a} (baseline) vs {b} (now)"));
        }
    };
    check("host", &baseline.host, &current.host);
    check("rustc", &baseline.rustc, &current.rustc);
    check("profile", &baseline.profile, &current.profile);
    // Baselines from before these were recorded have no target: only a
    // known difference is news.
    if let Some(target) = &baseline.target {
        check(
            "target",
            target,
            current.target.as_deref().unwrap_or("unknown"),
        );
        check(
            "features",
            &baseline.features.join(" "),
            &current.features.join(" "),
        );
    }
    check(
        "cpu",
        baseline.cpu.as_deref().unwrap_or("unknown"),
        current.cpu.as_deref().unwrap_or("unknown"),
    );
    // Old baselines have no hash: only a known difference is news.
    if let (Some(a), Some(b)) = (&baseline.cargo_lock_hash, &current.cargo_lock_hash)
        && a != b
    {
        differences.push(format!(
            "Cargo.lock: hash {a} (baseline) vs {b} (now): dependency versions changed"
        ));
    }
    differences
}

/// A commit as reports show it: its first ten characters. Cut by
/// characters, not bytes: a baseline's `git_commit` may have been edited
/// by hand.
pub(crate) fn short_commit(commit: &str) -> &str {
    commit
        .char_indices()
        .nth(10)
        .map_or(commit, |(end, _)| &commit[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_commits_are_cut_by_characters() {
        assert_eq!(short_commit("0123456789abcdef"), "0123456789");
        assert_eq!(short_commit("abc"), "abc");
        assert_eq!(short_commit("ééééééééééé"), "éééééééééé");
    }

    #[test]
    fn a_run_from_an_archive_names_the_archive_s_compiler_and_target() {
        use crate::archive::{Archive, BuildFlags, FORMAT_VERSION, Link, Manifest};
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = Manifest {
            format_version: FORMAT_VERSION,
            cargo_perf_version: "0.1.0".to_owned(),
            created_utc: "2026-12-07T17:00:00Z".to_owned(),
            build: BuildFlags::default(),
            rustc: Some("rustc 1.0.0-archived".to_owned()),
            target: Some("archived-target".to_owned()),
            head_commit: None,
            head_dirty: false,
            base: None,
            executables: Vec::new(),
        };
        let path = dir.path().join("perf.tar.gz");
        crate::archive::write(&path, &mut manifest, &[]).unwrap();
        let archive = Archive::open(&path, &dir.path().join("unpacked")).unwrap();
        let cargo = crate::cli::CargoOptions {
            archive: Link::reading(archive),
            ..crate::cli::CargoOptions::default()
        };
        let environment = fingerprint(dir.path(), &cargo);
        assert_eq!(environment.rustc, "rustc 1.0.0-archived");
        assert_eq!(environment.target.as_deref(), Some("archived-target"));
        let built_here = fingerprint(dir.path(), &crate::cli::CargoOptions::default());
        assert_ne!(built_here.rustc, "rustc 1.0.0-archived");
    }
}
