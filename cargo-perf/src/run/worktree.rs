//! The base side of `--compare-ref`: the revision checked out in a git
//! worktree of its own, removed afterwards, also when the run fails or is
//! interrupted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, PoisonError};

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

/// Worktrees to remove if cargo perf is interrupted.
static ACTIVE: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());

/// A checked-out base revision; removed on drop.
#[derive(Debug)]
pub struct Worktree {
    path: PathBuf,
    toplevel: PathBuf,
}

impl Worktree {
    /// Checks `base` out (detached) in a new directory under `parent`.
    pub fn add(base: &BaseCommit, parent: &Path) -> Result<Self, CliError> {
        let path = parent.join(format!("worktree-{}-{}", base.short(), std::process::id()));
        if path.exists() {
            remove(&base.toplevel, &path);
        }
        std::fs::create_dir_all(parent).map_err(|source| CliError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
        ACTIVE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((base.toplevel.clone(), path.clone()));
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
            CliError::Git(format!(
                "--compare-ref {}: failed to check {} out in {path_text}: {e}",
                base.rev,
                base.short()
            ))
        })?;
        Ok(Self {
            path,
            toplevel: base.toplevel.clone(),
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
    }
}

fn forget(path: &Path) {
    ACTIVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|(_, p)| p != path);
}

fn remove(toplevel: &Path, path: &Path) {
    let path_text = path.display().to_string();
    if git(toplevel, &["worktree", "remove", "--force", &path_text]).is_err() {
        let _ = std::fs::remove_dir_all(path);
        let _ = git(toplevel, &["worktree", "prune"]);
    }
}

/// Removes every worktree still checked out (the interrupt path).
pub fn remove_all() {
    let active = std::mem::take(&mut *ACTIVE.lock().unwrap_or_else(PoisonError::into_inner));
    for (toplevel, path) in active {
        remove(&toplevel, &path);
    }
}
