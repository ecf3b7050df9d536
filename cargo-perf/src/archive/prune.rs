//! Removing what older archives left unpacked. Every archive unpacks into
//! a folder of its own under `target/perf/archive/` (named after its
//! digest, reused while the same archive is run again), so a machine that
//! runs a new archive per commit would keep every old one's executables,
//! gigabytes each, for ever. A folder's `.complete` marker is touched each
//! time a run opens it; a folder not opened for [`UNUSED_FOR`] is removed
//! when another archive is opened, and so is a half-unpacked `.unpack-*`
//! folder that a killed run left, once it is [`ABANDONED_AFTER`] old.
//! The ages are long enough that no run can still be reading either.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// How long an unpacked archive is kept after its last use.
pub(super) const UNUSED_FOR: Duration = Duration::from_secs(24 * 60 * 60);
/// How old a half-unpacked folder must be to be an abandoned one.
pub(super) const ABANDONED_AFTER: Duration = Duration::from_secs(60 * 60);

/// Marks the unpacked folder `dir` as used now (its `marker` file's
/// modification time). A failure only makes it look older: never an
/// error.
pub(super) fn mark_used(marker: &Path) {
    if let Ok(file) = std::fs::OpenOptions::new().write(true).open(marker) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Removes from `root` the unpacked archives other than `keep` that no
/// run opened for [`UNUSED_FOR`], and the abandoned half-unpacked
/// folders; `marker` is the name of the file that marks a folder whole.
/// Returns how many folders it removed. Errors are ignored: pruning is
/// housekeeping, and the next run tries again.
pub(super) fn prune(root: &Path, keep: &Path, marker: &str, now: SystemTime) -> usize {
    let Ok(entries) = std::fs::read_dir(root) else {
        return 0;
    };
    let age = |path: &Path| {
        std::fs::symlink_metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if !kind.is_dir() || path == keep {
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stale = if name.starts_with(".unpack-") {
            age(&path).is_some_and(|a| a >= ABANDONED_AFTER)
        } else if is_digest_name(&name) {
            // A whole folder ages by its marker; one without a marker is
            // a folder a rename left half-way, aged by itself.
            let marker = path.join(marker);
            age(&marker)
                .or_else(|| age(&path))
                .is_some_and(|a| a >= UNUSED_FOR)
        } else {
            // Not ours: left alone.
            false
        };
        if stale && std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether `name` is a folder name an unpacked archive gets: sixteen
/// lowercase hexadecimal digits.
fn is_digest_name(name: &str) -> bool {
    name.len() == 16 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aged(path: &Path, by: Duration, now: SystemTime) {
        let file = std::fs::File::options()
            .write(true)
            .open(path)
            .or_else(|_| std::fs::File::open(path))
            .unwrap();
        file.set_modified(now - by).unwrap();
    }

    #[test]
    fn old_unused_archives_and_abandoned_unpacks_go_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let now = SystemTime::now();
        let unpacked = |name: &str, age: Duration| {
            let folder = root.join(name);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("perf-abc"), "x").unwrap();
            std::fs::write(folder.join(".complete"), "digest").unwrap();
            aged(&folder.join(".complete"), age, now);
            folder
        };
        let day = UNUSED_FOR;
        let current = unpacked("0123456789abcdef", day * 3);
        let old = unpacked("1111111111111111", day + Duration::from_secs(60));
        let recent = unpacked("2222222222222222", day - Duration::from_secs(60));
        let abandoned = root.join(".unpack-Ab12Cd");
        std::fs::create_dir(&abandoned).unwrap();
        aged(&abandoned, ABANDONED_AFTER * 2, now);
        let unpacking = root.join(".unpack-Ef34Gh");
        std::fs::create_dir(&unpacking).unwrap();
        let foreign = root.join("notes");
        std::fs::create_dir(&foreign).unwrap();
        aged(&foreign, day * 10, now);

        assert_eq!(prune(root, &current, ".complete", now), 2);
        assert!(
            current.is_dir(),
            "the archive being opened stays, however old"
        );
        assert!(!old.exists(), "unused for over a day: removed");
        assert!(recent.is_dir(), "used within the day: kept");
        assert!(!abandoned.exists(), "a killed run's half unpack: removed");
        assert!(unpacking.is_dir(), "a run unpacking now: kept");
        assert!(foreign.is_dir(), "a folder cargo perf did not make: kept");
    }

    #[test]
    fn marking_a_folder_used_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("3333333333333333");
        std::fs::create_dir(&folder).unwrap();
        let marker = folder.join(".complete");
        std::fs::write(&marker, "digest").unwrap();
        let now = SystemTime::now();
        aged(&marker, UNUSED_FOR * 2, now);
        mark_used(&marker);
        let other = dir.path().join("4444444444444444");
        assert_eq!(prune(dir.path(), &other, ".complete", SystemTime::now()), 0);
        assert!(folder.is_dir());
    }

    #[test]
    fn a_missing_root_prunes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none");
        assert_eq!(prune(&missing, &missing, ".complete", SystemTime::now()), 0);
    }
}
