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
    if is_path(name_or_path) {
        PathBuf::from(name_or_path)
    } else {
        baseline_dir.join(format!("{name_or_path}.json"))
    }
}

/// Whether a `--save-baseline`/`--compare` argument is a path rather than
/// a name: it has a path separator or ends in `.json`.
pub fn is_path(name_or_path: &str) -> bool {
    name_or_path.contains('/')
        || name_or_path.contains(std::path::MAIN_SEPARATOR)
        || Path::new(name_or_path)
            .extension()
            .is_some_and(|e| e == "json")
}

/// Checks a baseline name before anything runs, so a typo does not cost a
/// whole run.
pub fn check_name(flag: &str, name_or_path: &str) -> Result<(), CliError> {
    let trimmed = name_or_path.trim();
    let last = Path::new(trimmed).file_name().and_then(|n| n.to_str());
    if trimmed.is_empty()
        || matches!(trimmed, "." | "..")
        || trimmed.ends_with('/')
        || trimmed.ends_with(std::path::MAIN_SEPARATOR)
        || last.is_none_or(|n| n == "." || n == "..")
    {
        return Err(CliError::Usage(format!(
            "{flag} `{name_or_path}` names no file; give a name such as `main`, or a path ending in .json"
        )));
    }
    Ok(())
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
            .prefix(".perf-")
            .suffix(".tmp")
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

/// Reads a baseline; every problem is an error naming the file.
pub fn load(path: &Path) -> Result<RunRecord, CliError> {
    // A FIFO or a device would be read forever, a directory not at all.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(CliError::Baseline {
            path: path.to_path_buf(),
            message: "it is not a regular file; give the path of a baseline saved with \
                      `cargo perf --save-baseline NAME`"
                .to_owned(),
        });
    }
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
    let record = RunRecord::from_json(&text).map_err(|error| {
        let fix = match error {
            perf_record::record::RecordError::NewerSchema { .. } => "",
            _ => "; save it again with `cargo perf --save-baseline NAME`",
        };
        CliError::Baseline {
            path: path.to_path_buf(),
            message: format!("{error}{fix}"),
        }
    })?;
    check_figures(&record).map_err(|message| CliError::Baseline {
        path: path.to_path_buf(),
        message: format!("{message}; save it again with `cargo perf --save-baseline NAME`"),
    })?;
    Ok(record)
}

/// The shortest median a benchmark can measure, in ns: a picosecond, far
/// below any timer, yet far above the denormal numbers whose ratios
/// overflow.
const MIN_MEDIAN_NS: f64 = 1e-3;

/// A saved benchmark's median is a positive time, and each test is saved
/// once: anything else is a file edited by hand or damaged, not a figure
/// to compare with.
fn check_figures(record: &RunRecord) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for test in &record.tests {
        if !seen.insert(&test.id) {
            return Err(format!(
                "it is corrupt: the test {} is in `tests` twice, where a run saves each test once",
                test.id
            ));
        }
        if let Some(stats) = &test.stats
            && !(stats.median_ns.is_finite() && stats.median_ns >= MIN_MEDIAN_NS)
        {
            return Err(format!(
                "it is corrupt: the test {} has a `median_ns` of {:?} ns, where a measured median is at least {MIN_MEDIAN_NS} ns",
                test.id, stats.median_ns
            ));
        }
    }
    Ok(())
}

/// Checks, before anything is measured, that `baseline` shares a test with
/// the tests about to run: another project's baseline, or an empty one,
/// would otherwise pass with every test "new".
pub fn check_shares_tests(
    path: &Path,
    baseline: &RunRecord,
    selected: &[&perf_record::TestId],
) -> Result<(), CliError> {
    if selected
        .iter()
        .any(|id| baseline.tests.iter().any(|t| &t.id == *id))
    {
        return Ok(());
    }
    let held = if baseline.tests.is_empty() {
        "no tests at all".to_owned()
    } else {
        let mut names: Vec<String> = baseline.tests.iter().map(|t| t.id.to_string()).collect();
        names.truncate(5);
        format!("only {}", names.join(", "))
    };
    Err(CliError::Baseline {
        path: path.to_path_buf(),
        message: format!(
            "it shares no test with this run ({} selected; the baseline holds {held}); compare with a \
             baseline saved from these tests, or save one with `cargo perf --save-baseline NAME`",
            selected.len()
        ),
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

/// Writes JSON atomically (see [`write_bytes_atomic`]).
pub fn write_atomic(path: &Path, value: &impl serde::Serialize) -> Result<(), CliError> {
    write_bytes_atomic(path, &to_json(path, value)?)
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
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let error = |source: std::io::Error| CliError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = complete_temp_file(parent_dir(path), bytes, Some(path)).map_err(error)?;
    file.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// Writes JSON as a new file of `dir`: `stem.json`, or the first of
/// `stem-2.json`, `stem-3.json`... that no other file holds. The name is
/// taken and the whole content appears in one step (a complete temporary
/// file moved to a name without replacing what is there), so writers that
/// race for one name each keep their own file. Returns the file.
pub fn write_new_atomic(
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
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".perf-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
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
    fn names_that_are_no_file_are_refused() {
        for bad in [".", "..", "", "  ", "dir/", "a/.."] {
            assert!(check_name("--save-baseline", bad).is_err(), "{bad:?}");
        }
        for good in ["main", "ci/main.json", "base.json"] {
            assert!(check_name("--save-baseline", good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn special_files_and_bad_medians_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let message = load(dir.path()).unwrap_err().to_string();
        assert!(message.contains("not a regular file"), "{message}");
        assert!(check_writable("--save-baseline", dir.path()).is_err());
        assert!(check_writable("--save-baseline", &dir.path().join("new/main.json")).is_ok());
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let under_a_file = file.join("main.json");
        assert!(check_writable("--save-baseline", &under_a_file).is_err());
        let record = RunRecord {
            schema_version: perf_record::record::SCHEMA_VERSION,
            cargo_perf_version: "0".into(),
            created_unix_s: 0,
            created_utc: String::new(),
            environment: perf_record::Environment::default(),
            tests: Vec::new(),
        };
        let none = check_shares_tests(Path::new("b.json"), &record, &[]).unwrap_err();
        assert!(none.to_string().contains("no tests at all"), "{none}");
        let saved = |tests: &[String]| {
            let bad = serde_json::to_string(&record)
                .unwrap()
                .replace("\"tests\":[]", &format!("\"tests\":[{}]", tests.join(",")));
            let path = dir.path().join("bad.json");
            std::fs::write(&path, bad).unwrap();
            load(&path).unwrap_err().to_string()
        };
        for (median, shown) in [(0.0, "of 0.0 ns"), (5e-324, "of 5e-324 ns")] {
            let message = saved(&[median_test("n", median)]);
            assert!(
                message.contains(shown) && message.contains("is corrupt"),
                "{message}"
            );
        }
        let message = saved(&[median_test("n", 5.0), median_test("n", 6.0)]);
        assert!(message.contains("p/t::n is in `tests` twice"), "{message}");
    }

    /// A saved benchmark named `name` whose median is `median` ns, as JSON.
    fn median_test(name: &str, median: f64) -> String {
        let stats = perf_record::BenchStats::from_samples(&[1.0, 2.0, 3.0], 1).unwrap();
        let mut stats = serde_json::to_value(stats).unwrap();
        stats["median_ns"] = serde_json::json!(median);
        serde_json::json!({
            "id": {"package": "p", "target": "t", "name": name},
            "kind": "bench",
            "config": {"warm_up_ns": 0, "measurement_ns": 0, "quick": false, "processes": 1},
            "outcome": {"status": "passed"},
            "stats": stats,
        })
        .to_string()
    }

    #[test]
    #[cfg(unix)]
    fn overwriting_keeps_the_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        write_atomic(&path, &serde_json::json!({"a": 1})).unwrap();
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
        write_atomic(&path, &serde_json::json!({"a": 2})).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664);
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
