//! The saved runs of a baseline on disk: every `--save-baseline` writes
//! the latest run to `NAME.json` (what `--compare NAME` reads) and keeps a
//! copy in the folder `NAME/` beside it, named by its UTC time and commit
//! so that the names sort in time order; the oldest are pruned to
//! `--keep`.

use std::path::{Path, PathBuf};

use perf_record::RunRecord;

use crate::atomic_write;
use crate::error::CliError;

/// Runs a history keeps when `--keep` is not given.
pub const DEFAULT_KEEP: usize = 100;

/// The folder of saved runs that belongs to the baseline file `baseline`
/// (as [`crate::baseline::resolve`] gives it): beside the file, named after it
/// without its `.json` (`baselines/main.json` → `baselines/main/`, a path
/// `ci/perf.json` → `ci/perf/`). A file with another ending gets
/// `<file name>.history/`, which cannot be the file itself.
pub fn dir_of(baseline: &Path) -> PathBuf {
    let name = baseline
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = match name.strip_suffix(".json") {
        Some(stem) if !stem.is_empty() => stem.to_owned(),
        _ => format!("{name}.history"),
    };
    baseline.with_file_name(folder)
}

/// The file name of a saved run: its UTC start time, compact and sortable,
/// then its commit (the first ten characters, `-dirty` when the working
/// tree had uncommitted changes, `nogit` outside git):
/// `20261204T173000Z-0123456789.json`.
pub fn entry_name(record: &RunRecord) -> String {
    let stamp = stamp(record.created_unix_s);
    let commit = match &record.environment.git_commit {
        Some(commit) => {
            let short: String = crate::environment::short_commit(commit)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            let dirty = if record.environment.git_dirty {
                "-dirty"
            } else {
                ""
            };
            format!("{short}{dirty}")
        }
        None => "nogit".to_owned(),
    };
    format!("{stamp}-{commit}.json")
}

/// A time as the names of saved runs start: `20261204T173000Z`.
fn stamp(unix_s: u64) -> String {
    perf_record::record::format_utc(unix_s)
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect()
}

/// How far ahead of this machine's clock a saved run may be dated: clocks
/// of CI runners disagree by seconds, not by days.
const MAX_AHEAD_S: u64 = 86_400;

/// Whether a file name is a saved run's (see [`entry_name`]): other files
/// in the folder are neither read nor pruned.
pub fn is_entry(name: &str) -> bool {
    let bytes = name.as_bytes();
    name.ends_with(".json")
        && bytes.len() > 17
        && bytes[..8].iter().all(u8::is_ascii_digit)
        && bytes[8] == b'T'
        && bytes[9..15].iter().all(u8::is_ascii_digit)
        && bytes[15] == b'Z'
        && bytes[16] == b'-'
}

/// The saved runs in `dir`, oldest first; an empty list when the folder
/// does not exist.
pub fn entries(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(CliError::Io {
                message: format!("failed to read the baseline history {}", dir.display()),
                source,
            });
        }
    };
    let mut names: Vec<String> = read
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter(|name| is_entry(name))
        .collect();
    // The time comes first and has a fixed width: names sort as times,
    // and saves within one second by their number. A run dated days ahead
    // would sort as the newest for ever (and pruning would go by it).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let limit = stamp(now.saturating_add(MAX_AHEAD_S));
    if let Some(ahead) = names.iter().find(|name| name[..16] > *limit) {
        return Err(CliError::Baseline {
            path: dir.join(ahead),
            message: format!(
                "this saved run is dated {}, more than a day ahead of this machine's clock (a run \
                 from a machine whose clock was wrong, or a file renamed by hand); move it out of \
                 the history",
                &ahead[..16]
            ),
        });
    }
    names.sort_by_cached_key(|name| sort_key(name));
    Ok(names.into_iter().map(|name| dir.join(name)).collect())
}

/// How saved runs sort: by their time, then (saves within one second of
/// one commit) by their number, `-2` after none.
fn sort_key(name: &str) -> (String, u32, String) {
    let stem = name.trim_end_matches(".json");
    let (stamp, rest) = stem.split_at(16.min(stem.len()));
    let parts: Vec<&str> = rest.trim_start_matches('-').split('-').collect();
    let number = match parts.as_slice() {
        [_, .., last] if last.bytes().all(|b| b.is_ascii_digit()) => last.parse().unwrap_or(1),
        _ => 1,
    };
    (stamp.to_owned(), number, rest.to_owned())
}

/// Saves `record` as a run of the history of the baseline at `path`, then
/// as the baseline itself (the latest run, atomically, as before
/// histories existed), then prunes the history to its newest `keep` runs
/// (0 keeps all), never the run just saved. Returns the run's file.
///
/// The run's file is created under a name no other file holds, in one
/// step: two runs saving one baseline in the same second of one commit
/// each keep their run (`…-2.json`), where choosing a free name first and
/// writing it later let one replace the other.
pub fn save(path: &Path, record: &RunRecord, keep: usize) -> Result<PathBuf, CliError> {
    let dir = dir_of(path);
    let name = entry_name(record);
    let file = atomic_write::write_new_json(&dir, name.trim_end_matches(".json"), record)?;
    // A run gets the baseline file's mode: a history shared through a
    // group stays readable by it.
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(&file, meta.permissions()).map_err(|source| CliError::Write {
            path: file.clone(),
            source,
        })?;
    }
    atomic_write::write_json(path, record)?;
    prune_except(&dir, keep, &file)?;
    Ok(file)
}

/// Removes the oldest runs of the history in `dir` beyond the newest
/// `keep` (0 keeps all); returns the files removed.
pub fn prune(dir: &Path, keep: usize) -> Result<Vec<PathBuf>, CliError> {
    prune_except(dir, keep, Path::new(""))
}

/// [`prune`], never removing `saved` (the run a save just wrote, which
/// another run's history entry may sort after).
fn prune_except(dir: &Path, keep: usize, saved: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut runs = entries(dir)?;
    if keep == 0 || runs.len() <= keep {
        return Ok(Vec::new());
    }
    // The run just saved is one of those kept, wherever it sorts; the
    // others kept are the newest.
    let kept_others = match runs.iter().position(|file| file.as_path() == saved) {
        Some(at) => {
            runs.remove(at);
            keep - 1
        }
        None => keep,
    };
    let old: Vec<PathBuf> = runs[..runs.len() - kept_others].to_vec();
    for file in &old {
        // Another run saving the same baseline may have pruned it first.
        match std::fs::remove_file(file) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            other => other,
        }
        .map_err(|source| CliError::Io {
            message: format!(
                "failed to prune {} from the baseline history (--keep {keep})",
                file.display()
            ),
            source,
        })?;
    }
    Ok(old)
}

/// Checks, before anything is measured, that the history of the baseline
/// at `path` can be written: its folder is not a file.
pub fn check_writable(path: &Path) -> Result<(), CliError> {
    let dir = dir_of(path);
    let is_link = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::metadata(&dir) {
        Ok(meta) if !meta.is_dir() => Err(CliError::Usage(format!(
            "--save-baseline: {} keeps the baseline's history of runs, but it is a file; move it away",
            dir.display()
        ))),
        Err(_) if is_link => Err(CliError::Usage(format!(
            "--save-baseline: {} keeps the baseline's history of runs, but it is a symbolic link to \
             {}, which does not exist; create that folder, or remove the link",
            dir.display(),
            std::fs::read_link(&dir).unwrap_or_default().display()
        ))),
        // The runs already saved must be readable, before the run and not
        // after it has replaced the baseline.
        _ => entries(&dir).map(drop),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn record(unix_s: u64, commit: Option<&str>, dirty: bool) -> RunRecord {
        RunRecord {
            split: None,
            shard: None,
            schema_version: perf_record::record::SCHEMA_VERSION,
            cargo_perf_version: "0".into(),
            created_unix_s: unix_s,
            created_utc: perf_record::record::format_utc(unix_s),
            environment: perf_record::Environment {
                git_commit: commit.map(str::to_owned),
                git_dirty: dirty,
                ..perf_record::Environment::default()
            },
            tests: Vec::new(),
        }
    }

    #[test]
    fn runs_are_named_by_time_and_commit() {
        // 2026-12-04T17:30:00Z
        let t = 1_796_405_400;
        let commit = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            entry_name(&record(t, Some(commit), false)),
            "20261204T173000Z-0123456789.json"
        );
        assert_eq!(
            entry_name(&record(t, Some(commit), true)),
            "20261204T173000Z-0123456789-dirty.json"
        );
        assert_eq!(
            entry_name(&record(t, None, false)),
            "20261204T173000Z-nogit.json"
        );
        // A hand-edited commit cannot make a path.
        assert_eq!(
            entry_name(&record(t, Some("../../x"), false)),
            "20261204T173000Z-x.json"
        );
        assert!(is_entry("20261204T173000Z-nogit.json"));
        for other in [
            "main.json",
            "20261204T173000Z.json",
            ".perf-1.tmp",
            "notes.txt",
        ] {
            assert!(!is_entry(other), "{other}");
        }
    }

    #[test]
    fn the_history_sits_beside_its_baseline() {
        assert_eq!(
            dir_of(Path::new("/t/baselines/main.json")),
            Path::new("/t/baselines/main")
        );
        assert_eq!(dir_of(Path::new("ci/perf.json")), Path::new("ci/perf"));
        assert_eq!(dir_of(Path::new("ci/perf")), Path::new("ci/perf.history"));
    }

    #[test]
    fn saving_keeps_the_latest_and_prunes_the_oldest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        let history = dir.path().join("main");
        std::fs::create_dir_all(&history).unwrap();
        std::fs::write(history.join("notes.txt"), "mine").unwrap();
        // Saved out of time order: pruning goes by the time in the name.
        for (t, commit) in [(300, "c3"), (100, "c1"), (200, "c2"), (400, "c4")] {
            save(&path, &record(t, Some(commit), false), 3).unwrap();
        }
        let names: Vec<String> = entries(&history)
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "19700101T000320Z-c2.json",
                "19700101T000500Z-c3.json",
                "19700101T000640Z-c4.json"
            ]
        );
        // The latest saved is the baseline; files not of the history stay,
        // and no temporary file is left behind.
        let latest = crate::baseline::load(&path).unwrap();
        assert_eq!(latest.created_unix_s, 400);
        assert!(history.join("notes.txt").exists());
        assert_eq!(std::fs::read_dir(&history).unwrap().count(), 4);
        // The same second and commit again: a second file, not a lost run.
        let again = save(&path, &record(400, Some("c4"), false), 0).unwrap();
        assert!(again.ends_with("19700101T000640Z-c4-2.json"), "{again:?}");
        // It is the newest: after the first save of that second, and the
        // one pruning keeps.
        assert_eq!(entries(&history).unwrap().last(), Some(&again));
        assert_eq!(entries(&history).unwrap().len(), 4);
        assert_eq!(prune(&history, 1).unwrap().len(), 3);
        assert_eq!(entries(&history).unwrap(), [again]);
        assert!(entries(&dir.path().join("none")).unwrap().is_empty());
    }

    #[test]
    #[cfg(unix)]
    fn runs_take_the_baseline_s_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        save(&path, &record(1, None, false), 0).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
        let run = save(&path, &record(2, None, false), 0).unwrap();
        let mode = std::fs::metadata(run).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664);
    }

    #[test]
    fn a_file_in_the_history_s_place_is_refused_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        assert!(check_writable(&path).is_ok());
        std::fs::write(dir.path().join("main"), "x").unwrap();
        let message = check_writable(&path).unwrap_err().to_string();
        assert!(
            message.contains("main") && message.contains("is a file"),
            "{message}"
        );
        assert!(save(&path, &record(1, None, false), 3).is_err());
    }

    #[test]
    fn concurrent_saves_of_one_second_and_commit_each_keep_their_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        for round in 0..5 {
            let saved: Vec<PathBuf> = std::thread::scope(|scope| {
                let savers: Vec<_> = (0..4)
                    .map(|_| {
                        scope.spawn(|| save(&path, &record(1000 + round, Some("c"), false), 0))
                    })
                    .collect();
                savers
                    .into_iter()
                    .map(|s| s.join().unwrap().unwrap())
                    .collect()
            });
            let mut distinct = saved.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), 4, "round {round}: {saved:?}");
        }
        assert_eq!(entries(&dir_of(&path)).unwrap().len(), 20);
    }

    #[test]
    fn a_run_dated_days_ahead_is_refused_and_never_outlives_the_run_just_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        let history = dir_of(&path);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        // An hour ahead (another runner's clock): kept, and the run saved
        // after it is not pruned by `--keep 1` although it sorts first.
        let soon = save(&path, &record(now + 3600, Some("a"), false), 0).unwrap();
        let saved = save(&path, &record(now, Some("b"), false), 1).unwrap();
        assert!(saved.exists(), "the run just saved was pruned");
        assert!(!soon.exists());
        // Ten days ahead: an error naming the file, before any run.
        std::fs::write(
            history.join(entry_name(&record(now + 864_000, None, false))),
            "{}",
        )
        .unwrap();
        let error = check_writable(&path).unwrap_err().to_string();
        assert!(error.contains("more than a day ahead"), "{error}");
        assert!(entries(&history).is_err());
    }

    #[test]
    #[cfg(unix)]
    fn a_dangling_link_in_the_history_s_place_is_refused_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("main")).unwrap();
        let message = check_writable(&path).unwrap_err().to_string();
        assert!(message.contains("symbolic link"), "{message}");
    }
}
