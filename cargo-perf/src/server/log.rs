//! Where a run's servers write their output: `target/perf/server.log`,
//! emptied when the run starts. Two runs of one target dir at once (two
//! terminals, a CI matrix on one runner) must not empty or mix each
//! other's logs: the first holds a lock on the file for its whole life
//! (both sides of a paired run share it), and a run that finds it held
//! writes `server-<pid>.log` beside it instead.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The logs this process holds, with the open file that holds each lock.
static HELD: Mutex<Vec<(PathBuf, File)>> = Mutex::new(Vec::new());

/// The log this run writes to, given where it would like to (`wanted`):
/// `wanted` itself, emptied on first use, or `server-<pid>.log` beside it
/// when another live process holds it.
pub(crate) fn claim(wanted: &Path) -> PathBuf {
    let mut held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
    if held.iter().any(|(path, _)| path == wanted) {
        return wanted.to_path_buf();
    }
    if let Some(dir) = wanted.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(wanted);
    match file {
        Ok(file) if file.try_lock().is_ok() => {
            // A fresh log for each run.
            let _ = file.set_len(0);
            held.push((wanted.to_path_buf(), file));
            wanted.to_path_buf()
        }
        // Held by another run (or not even openable: the server's start
        // then names the problem with the file it was given).
        _ => {
            let own = wanted.with_file_name(format!("server-{}.log", std::process::id()));
            let _ = std::fs::remove_file(&own);
            own
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_held_by_another_run_is_left_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let wanted = dir.path().join("server.log");
        std::fs::write(&wanted, "the other run's line\n").unwrap();
        // Another run holds it: an open file description of its own.
        let other = File::open(&wanted).unwrap();
        other.lock().unwrap();
        let own = claim(&wanted);
        assert_ne!(own, wanted);
        assert!(own.ends_with(format!("server-{}.log", std::process::id())));
        assert_eq!(
            std::fs::read_to_string(&wanted).unwrap(),
            "the other run's line\n",
            "not emptied"
        );
        drop(other);
        // Free again: this run takes it, empties it, and keeps it for
        // its other side.
        let taken = claim(&wanted);
        assert_eq!(taken, wanted);
        assert_eq!(std::fs::read_to_string(&wanted).unwrap(), "");
        assert_eq!(claim(&wanted), wanted);
    }
}
