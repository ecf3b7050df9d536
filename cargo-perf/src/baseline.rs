//! Baselines: run records saved under a name (or at a path) and read back
//! for `--compare`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use perf_record::RunRecord;

use crate::error::CliError;

/// Where a `--save-baseline`/`--compare` argument points: a name is a file
/// in the baseline directory, anything with a path separator or a `.json`
/// ending is a path.
pub fn resolve(name_or_path: &str, baseline_dir: &Path) -> PathBuf {
    let looks_like_path = name_or_path.contains('/')
        || name_or_path.contains(std::path::MAIN_SEPARATOR)
        || Path::new(name_or_path)
            .extension()
            .is_some_and(|e| e == "json");
    if looks_like_path {
        PathBuf::from(name_or_path)
    } else {
        baseline_dir.join(format!("{name_or_path}.json"))
    }
}

/// Checks a baseline name before anything runs, so a typo does not cost a
/// whole run.
pub fn check_name(flag: &str, name_or_path: &str) -> Result<(), CliError> {
    if name_or_path.trim().is_empty() {
        return Err(CliError::Usage(format!(
            "{flag} needs a name such as `main`, or a path ending in .json"
        )));
    }
    Ok(())
}

/// Reads a baseline; every problem is an error naming the file.
pub fn load(path: &Path) -> Result<RunRecord, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let known = available(path.parent().unwrap_or(Path::new(".")));
            let hint = if known.is_empty() {
                String::new()
            } else {
                format!(" (baselines there: {})", known.join(", "))
            };
            return Err(CliError::Baseline {
                path: path.to_path_buf(),
                message: format!(
                    "it does not exist; save one first with `cargo perf --save-baseline NAME`{hint}"
                ),
            });
        }
        Err(error) => {
            return Err(CliError::Baseline {
                path: path.to_path_buf(),
                message: format!("it cannot be read: {error}"),
            });
        }
    };
    RunRecord::from_json(&text).map_err(|error| {
        let fix = match error {
            perf_record::record::RecordError::NewerSchema { .. } => "",
            _ => "; save it again with `cargo perf --save-baseline NAME`",
        };
        CliError::Baseline {
            path: path.to_path_buf(),
            message: format!("{error}{fix}"),
        }
    })
}

/// The baseline names in a directory.
fn available(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            (path.extension()? == "json")
                .then(|| path.file_stem()?.to_str().map(str::to_owned))
                .flatten()
        })
        .collect();
    names.sort();
    names
}

/// Writes JSON atomically: to a temporary file in the same directory, then
/// renamed over the destination, so a reader never sees half a file and an
/// interrupted run leaves the old one intact.
pub fn write_atomic(path: &Path, value: &impl serde::Serialize) -> Result<(), CliError> {
    let error = |source: std::io::Error| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(error)?;
    let mut file = tempfile::Builder::new()
        .prefix(".perf-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(error)?;
    let json = serde_json::to_vec_pretty(value).map_err(|e| error(std::io::Error::other(e)))?;
    file.write_all(&json).map_err(error)?;
    file.write_all(b"\n").map_err(error)?;
    file.as_file().sync_all().map_err(error)?;
    file.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        let dir = Path::new("/t/perf/baselines");
        assert_eq!(resolve("main", dir), dir.join("main.json"));
        assert_eq!(resolve("ci/main.json", dir), PathBuf::from("ci/main.json"));
        assert_eq!(resolve("base.json", dir), PathBuf::from("base.json"));
    }

    #[test]
    fn missing_corrupt_and_newer_baselines_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("other.json"), "{}").unwrap();
        let missing = load(&dir.path().join("main.json")).unwrap_err().to_string();
        assert!(
            missing.contains("main.json") && missing.contains("does not exist"),
            "{missing}"
        );
        assert!(missing.contains("other"), "{missing}");
        let corrupt = dir.path().join("corrupt.json");
        std::fs::write(&corrupt, "{\"schema_version\": 1, \"tests\": 3").unwrap();
        let message = load(&corrupt).unwrap_err().to_string();
        assert!(
            message.contains("corrupt.json") && message.contains("not a valid"),
            "{message}"
        );
        let newer = dir.path().join("newer.json");
        std::fs::write(&newer, "{\"schema_version\": 7}").unwrap();
        let message = load(&newer).unwrap_err().to_string();
        assert!(message.contains("schema version 7"), "{message}");
    }

    #[test]
    fn atomic_writes_leave_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/main.json");
        write_atomic(&path, &serde_json::json!({"a": 1})).unwrap();
        write_atomic(&path, &serde_json::json!({"a": 2})).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"a\": 2"));
        let entries = std::fs::read_dir(dir.path().join("deep")).unwrap().count();
        assert_eq!(entries, 1);
    }
}
