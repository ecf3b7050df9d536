//! Where and from what a run was made: git commit, host, rustc, profile.

use std::path::Path;
use std::process::Command;

use perf_record::Environment;

/// Describes this machine and the workspace's state.
pub fn fingerprint(workspace_root: &Path, profile: &str) -> Environment {
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
    let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-V")
        .current_dir(workspace_root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(
            || "unknown".to_owned(),
            |o| String::from_utf8_lossy(&o.stdout).trim().to_owned(),
        );
    Environment {
        git_commit,
        git_dirty,
        host: host_name(),
        os: std::env::consts::OS.to_owned(),
        arch: std::env::consts::ARCH.to_owned(),
        cpu: cpu_model(),
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        rustc,
        profile: profile.to_owned(),
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
    check(
        "cpu",
        baseline.cpu.as_deref().unwrap_or("unknown"),
        current.cpu.as_deref().unwrap_or("unknown"),
    );
    differences
}
