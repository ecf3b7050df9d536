//! The base side of `--compare-ref`: the revision checked out in a git
//! worktree of its own, removed afterwards, also when the run fails or is
//! interrupted.
//!
//! The checkout's path depends on the commit only, and when the base's
//! target dir last built that same commit, its files get the commit's
//! time: cargo, which rebuilds a package whose path or sources look newer
//! than its last build, then reuses that build instead of rebuilding the
//! base every run. (Only then: cargo tells a workspace's packages apart by
//! their path within it, so another commit's build, newer than this
//! commit's time, would pass for this one's.)

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, Once, PoisonError};
use std::time::{Duration, SystemTime};

use crate::error::CliError;

/// A revision resolved to a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseCommit {
    /// The revision as the user gave it.
    pub rev: String,
    /// Its full commit hash.
    pub commit: String,
    /// The repository's top-level directory.
    pub toplevel: PathBuf,
}

impl BaseCommit {
    /// The commit's short form, for reports.
    pub fn short(&self) -> &str {
        crate::environment::short_commit(&self.commit)
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("failed to run git: {e}; --compare-ref needs git on the PATH"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// Resolves `rev` in the repository that holds `workspace_root`.
pub fn resolve(workspace_root: &Path, rev: &str) -> Result<BaseCommit, CliError> {
    let toplevel = git(workspace_root, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        CliError::Git(format!(
            "--compare-ref {rev}: {} is not in a git repository ({e}); commit the base, or save a \
             baseline with --save-baseline and use --compare",
            workspace_root.display()
        ))
    })?;
    let toplevel = PathBuf::from(toplevel);
    let spec = format!("{rev}^{{commit}}");
    let commit = git(&toplevel, &["rev-parse", "--verify", "--quiet", &spec]).map_err(|_| {
        CliError::Git(format!(
            "--compare-ref {rev}: no such commit in {}; give a branch, tag or commit \
             (`git log --oneline` lists them; a remote branch may need `git fetch`)",
            toplevel.display()
        ))
    })?;
    Ok(BaseCommit {
        rev: rev.to_owned(),
        commit,
        toplevel,
    })
}

/// Worktrees to remove if cargo perf is interrupted: (repository,
/// checkout, its lock).
type Active = (PathBuf, PathBuf, Option<PathBuf>);
static ACTIVE: Mutex<Vec<Active>> = Mutex::new(Vec::new());

/// A checked-out base revision; removed on drop.
#[derive(Debug)]
pub struct Worktree {
    path: PathBuf,
    toplevel: PathBuf,
    /// The lock that makes `path` this run's (`None`: a path of its own,
    /// because another run holds the commit's).
    lock: Option<PathBuf>,
}

impl Worktree {
    /// Checks `base` out (detached) under `parent`, in the commit's own
    /// directory, or in one named after this process while another run
    /// uses that; `reuse`: the base's target dir last built this commit,
    /// and the files get the commit's time.
    pub fn add(base: &BaseCommit, parent: &Path, reuse: bool) -> Result<Self, CliError> {
        std::fs::create_dir_all(parent).map_err(|source| CliError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
        let lock = parent.join(format!("worktree-{}.lock", base.short()));
        let (path, lock) = if take(&lock) {
            (
                parent.join(format!("worktree-{}", base.short())),
                Some(lock),
            )
        } else {
            let pid = std::process::id();
            (
                parent.join(format!("worktree-{}-{pid}", base.short())),
                None,
            )
        };
        if path.exists() {
            remove(&base.toplevel, &path);
        }
        static ON_INTERRUPT: Once = Once::new();
        ON_INTERRUPT.call_once(|| crate::interrupt::on_interrupt(remove_all));
        ACTIVE.lock().unwrap_or_else(PoisonError::into_inner).push((
            base.toplevel.clone(),
            path.clone(),
            lock.clone(),
        ));
        let path_text = path.display().to_string();
        git(
            &base.toplevel,
            &[
                "worktree",
                "add",
                "--detach",
                "--force",
                &path_text,
                &base.commit,
            ],
        )
        .map_err(|e| {
            forget(&path);
            release(lock.as_deref());
            CliError::Git(format!(
                "--compare-ref {}: failed to check {} out in {path_text}: {e}",
                base.rev,
                base.short()
            ))
        })?;
        if reuse && let Some(time) = commit_time(&base.toplevel, &base.commit) {
            date_files(&path, time);
        }
        Ok(Self {
            path,
            toplevel: base.toplevel.clone(),
            lock,
        })
    }

    /// Where the revision is checked out.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The base's copy of `path`, a file or directory of the working tree.
    pub fn map(&self, path: &Path) -> Option<PathBuf> {
        let toplevel = self.toplevel.canonicalize().ok()?;
        let path = path.canonicalize().ok()?;
        Some(self.path.join(path.strip_prefix(&toplevel).ok()?))
    }
}

impl Drop for Worktree {
    fn drop(&mut self) {
        remove(&self.toplevel, &self.path);
        forget(&self.path);
        release(self.lock.as_deref());
    }
}

/// Takes the lock file `lock` for this process: made anew, or left by a
/// process that is gone. Another live run's lock is not taken.
fn take(lock: &Path) -> bool {
    let pid = std::process::id().to_string();
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(lock)
    };
    let file = match create() {
        Ok(file) => Some(file),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let owner = std::fs::read_to_string(lock).unwrap_or_default();
            let alive = owner
                .trim()
                .parse::<u32>()
                .is_ok_and(|owner| Path::new(&format!("/proc/{owner}")).exists());
            if alive || std::fs::remove_file(lock).is_err() {
                None
            } else {
                create().ok()
            }
        }
        Err(_) => None,
    };
    file.is_some_and(|mut file| std::io::Write::write_all(&mut file, pid.as_bytes()).is_ok())
}

fn release(lock: Option<&Path>) {
    if let Some(lock) = lock {
        let _ = std::fs::remove_file(lock);
    }
}

/// When `commit` was made.
fn commit_time(toplevel: &Path, commit: &str) -> Option<SystemTime> {
    let seconds = git(toplevel, &["show", "-s", "--format=%ct", commit]).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds.parse().ok()?))
}

/// Gives every file and directory under `dir` the modification time
/// `time`. Best effort: a file left newer only costs a rebuild.
fn date_files(dir: &Path, time: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => {
                date_files(&path, time);
                set_modified(&path, time);
            }
            Ok(kind) if kind.is_file() => set_modified(&path, time),
            _ => {}
        }
    }
}

fn set_modified(path: &Path, time: SystemTime) {
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.set_modified(time);
    }
}

fn forget(path: &Path) {
    ACTIVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|(_, p, _)| p != path);
}

fn remove(toplevel: &Path, path: &Path) {
    let path_text = path.display().to_string();
    if git(toplevel, &["worktree", "remove", "--force", &path_text]).is_err() {
        let _ = std::fs::remove_dir_all(path);
        let _ = git(toplevel, &["worktree", "prune"]);
    }
}

/// Removes every worktree still checked out (the interrupt path, which
/// [`Worktree::add`] registers).
fn remove_all() {
    let active = std::mem::take(&mut *ACTIVE.lock().unwrap_or_else(PoisonError::into_inner));
    for (toplevel, path, lock) in active {
        remove(&toplevel, &path);
        release(lock.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_taken_once_and_again_when_its_owner_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("worktree-abc.lock");
        assert!(take(&lock));
        // Held by this (live) process: another run gets a path of its own.
        assert!(!take(&lock));
        release(Some(&lock));
        assert!(!lock.exists());
        // Left by a process that is gone: taken over.
        std::fs::write(&lock, "4294967").unwrap();
        assert!(take(&lock));
        assert_eq!(
            std::fs::read_to_string(&lock).unwrap(),
            std::process::id().to_string()
        );
    }

    #[test]
    fn a_checkout_s_files_get_the_commit_s_time() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/nested")).unwrap();
        std::fs::write(dir.path().join("src/nested/lib.rs"), "").unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "").unwrap();
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        date_files(dir.path(), time);
        for path in ["src/nested/lib.rs", "Cargo.toml", "src/nested", "src"] {
            let modified = std::fs::metadata(dir.path().join(path))
                .unwrap()
                .modified()
                .unwrap();
            assert_eq!(modified, time, "{path}");
        }
    }
}
