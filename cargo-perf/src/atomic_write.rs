//! Writing a file so that a reader never sees half of it: baselines, their
//! histories, the run record and every export go through here.
//!
//! The bytes go to a temporary file in the destination's directory (so the
//! rename stays on one file system), are synced to disk, and the temporary
//! file is renamed over the destination. A new file gets the mode any new
//! file gets (0666 less the umask); an overwritten one keeps its mode.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// The temporary files are `.perf-XXXX.tmp`, so that one a killed process
/// left behind is recognisable (see [`is_temporary`]).
const TEMP_PREFIX: &str = ".perf-";
const TEMP_SUFFIX: &str = ".tmp";

/// Whether a file name is one of this module's temporary files: what a
/// killed run may leave behind, and nothing a user named.
pub(crate) fn is_temporary(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// Checks, before anything is measured, that a baseline can be written at
/// `path`: its directory can be made and written to, and `path` is not a
/// directory or a special file. The run would otherwise be lost at its end.
pub fn check_writable(flag: &str, path: &Path) -> Result<(), CliError> {
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(CliError::Usage(format!(
            "{flag}: {} is not a regular file; give the path of a file to write",
            path.display()
        )));
    }
    let dir = parent_dir(path);
    let probe = std::fs::create_dir_all(dir).and_then(|()| {
        tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(dir)
    });
    probe.map(drop).map_err(|source| {
        CliError::Usage(format!(
            "{flag}: cannot write {} ({source}); give a path in a directory you can write to",
            path.display()
        ))
    })
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Writes `value` as pretty JSON with a final newline, atomically (see
/// [`write_bytes`]).
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), CliError> {
    write_bytes(path, &to_json(path, value)?)
}

/// `value` as the pretty JSON every file of cargo perf holds.
fn to_json(path: &Path, value: &impl serde::Serialize) -> Result<Vec<u8>, CliError> {
    let mut json = serde_json::to_vec_pretty(value).map_err(|e| CliError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    json.push(b'\n');
    Ok(json)
}

/// Writes a file atomically: to a temporary file in the same directory,
/// then renamed over the destination, so a reader never sees half a file
/// and an interrupted run leaves the old one intact.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let error = |source: std::io::Error| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = complete_temp_file(parent_dir(path), bytes, Some(path)).map_err(error)?;
    file.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// Writes a file atomically as [`write_bytes`] does, its content streamed
/// by `write` into the temporary file: for files too large to hold in
/// memory (an archive's executables). A failed `write` leaves `path` as it
/// was.
pub fn write_streamed(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let error = |source: std::io::Error| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = temp_file_with(parent_dir(path), Some(path), write).map_err(error)?;
    file.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// Writes `value` as JSON in a new file of `dir`: `stem.json`, or the
/// first of `stem-2.json`, `stem-3.json`... that no other file holds. The
/// name is taken and the whole content appears in one step (a complete
/// temporary file moved to a name without replacing what is there), so
/// writers that race for one name each keep their own file. Returns the
/// file.
pub fn write_new_json(
    dir: &Path,
    stem: &str,
    value: &impl serde::Serialize,
) -> Result<PathBuf, CliError> {
    let error = |path: &Path, source: std::io::Error| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    let json = to_json(dir, value)?;
    let mut file = complete_temp_file(dir, &json, None).map_err(|e| error(dir, e))?;
    for n in 1u32.. {
        let path = match n {
            1 => dir.join(format!("{stem}.json")),
            n => dir.join(format!("{stem}-{n}.json")),
        };
        match file.persist_noclobber(&path) {
            Ok(_) => return Ok(path),
            Err(taken) if taken.error.kind() == std::io::ErrorKind::AlreadyExists => {
                file = taken.file;
            }
            Err(failed) => return Err(error(&path, failed.error)),
        }
    }
    unreachable!("a u32 of names is never all taken")
}

/// A temporary file in `dir` holding `bytes`, synced to disk. It gets the
/// mode of `replacing` where that file exists (a baseline shared through a
/// group stays group-writable), else the mode any new file gets (0666 less
/// the umask), not a temporary file's 0600: a report is for others to
/// read.
fn complete_temp_file(
    dir: &Path,
    bytes: &[u8],
    replacing: Option<&Path>,
) -> std::io::Result<tempfile::NamedTempFile> {
    temp_file_with(dir, replacing, |file| file.write_all(bytes))
}

/// [`complete_temp_file`] with the content written by `write`.
fn temp_file_with(
    dir: &Path,
    replacing: Option<&Path>,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<tempfile::NamedTempFile> {
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir)?;
    write(file.as_file_mut())?;
    if let Some(meta) = replacing.and_then(|path| std::fs::metadata(path).ok()) {
        file.as_file().set_permissions(meta.permissions())?;
    }
    file.as_file().sync_all()?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_or_a_path_under_a_file_is_not_writable() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_writable("--save-baseline", dir.path()).is_err());
        assert!(check_writable("--save-baseline", &dir.path().join("new/main.json")).is_ok());
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let under_a_file = file.join("main.json");
        let message = check_writable("--save-baseline", &under_a_file)
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("--save-baseline: cannot write"),
            "{message}"
        );
    }

    #[test]
    #[cfg(unix)]
    fn overwriting_keeps_the_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        write_json(&path, &serde_json::json!({"a": 1})).unwrap();
        // A new file is readable by others unless the umask says not: a
        // temporary file's 0600 is not kept.
        let fresh = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let umask = std::process::Command::new("sh")
            .args(["-c", "umask"])
            .output()
            .unwrap();
        let umask =
            u32::from_str_radix(String::from_utf8(umask.stdout).unwrap().trim(), 8).unwrap();
        assert_eq!(fresh, 0o666 & !umask, "{fresh:o} under umask {umask:o}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_json(&path, &serde_json::json!({"a": 2})).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664);
    }

    #[test]
    fn atomic_writes_leave_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/main.json");
        write_json(&path, &serde_json::json!({"a": 1})).unwrap();
        write_json(&path, &serde_json::json!({"a": 2})).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"a\": 2"));
        let entries = std::fs::read_dir(dir.path().join("deep")).unwrap().count();
        assert_eq!(entries, 1);
    }
}
