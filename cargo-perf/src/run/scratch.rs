//! The run's scratch directory under `target/perf` (each process's result
//! file, the listings), and what interrupted runs left behind: scratch
//! directories of processes that are gone, and half-written temp files of
//! atomic writes.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::atomic_write;
use crate::error::CliError;

/// A scratch directory's name starts with this and the owner's pid.
const PREFIX: &str = ".run-";
/// A temp file this old is no write in progress.
const STALE_TEMP: Duration = Duration::from_secs(600);

/// Makes this run's scratch directory in `perf_dir`, first removing what
/// runs that were killed left there and in `baseline_dir`.
pub(crate) fn create(perf_dir: &Path, baseline_dir: &Path) -> Result<tempfile::TempDir, CliError> {
    std::fs::create_dir_all(perf_dir).map_err(|source| CliError::Write {
        path: perf_dir.to_path_buf(),
        source,
    })?;
    clean_stale(perf_dir);
    clean_stale(baseline_dir);
    tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .tempdir_in(perf_dir)
        .map_err(|source| CliError::Write {
            path: perf_dir.to_path_buf(),
            source,
        })
}

/// Removes, in `dir`, scratch directories whose process is gone and temp
/// files older than [`STALE_TEMP`]. Best effort: what cannot be removed
/// stays.
fn clean_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let path = entry.path();
        if let Some(rest) = name.strip_prefix(PREFIX) {
            if owner(rest).is_none_or(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
                let _ = std::fs::remove_dir_all(&path);
            }
        } else if atomic_write::is_temporary(name) {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age > STALE_TEMP);
            if old {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The pid in a scratch directory's name after the prefix: `1234-abcd`.
fn owner(rest: &str) -> Option<u32> {
    rest.split_once('-')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_dead_runs_left_is_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir
            .path()
            .join(format!("{PREFIX}{}-live", std::process::id()));
        let dead = dir.path().join(format!("{PREFIX}{}-dead", u32::MAX - 1));
        let unnamed = dir.path().join(format!("{PREFIX}abcdef"));
        let fresh_temp = dir.path().join(".perf-abc.tmp");
        assert!(atomic_write::is_temporary(".perf-abc.tmp"));
        let baseline = dir.path().join("main.json");
        for d in [&own, &dead, &unnamed] {
            std::fs::create_dir(d).unwrap();
        }
        std::fs::write(&fresh_temp, "{").unwrap();
        std::fs::write(&baseline, "{}").unwrap();
        clean_stale(dir.path());
        assert!(own.exists() && fresh_temp.exists() && baseline.exists());
        assert!(!dead.exists() && !unnamed.exists());
        assert_eq!(owner("12-x"), Some(12));
        assert_eq!(owner("x"), None);
    }
}
