//! Baselines: run records saved under a name (or at a path) and read back
//! for `--compare`.

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
    if name_or_path.chars().any(char::is_control) {
        return Err(CliError::Usage(format!(
            "{flag} {name_or_path:?} holds a control character (a newline?); give a name such as `main`"
        )));
    }
    // The file `NAME.json` and the history folder `NAME/` are both one
    // path component: a longer name is refused by the file system, after
    // the run.
    // A path not ending in `.json` keeps its history in `<name>.history`.
    let most = if trimmed.ends_with(".json") {
        MAX_NAME_BYTES
    } else {
        MAX_NAME_BYTES - ".history".len() + ".json".len()
    };
    if let Some(long) = last.filter(|n| n.len() > most) {
        return Err(CliError::Usage(format!(
            "{flag}: the file name `{}…` is {} bytes long, more than the {most} a baseline's \
             file and history folder may have; give a shorter name",
            long.chars().take(24).collect::<String>(),
            long.len()
        )));
    }
    Ok(())
}

/// The longest file name of a baseline, in bytes: file systems allow 255
/// per path component, and `NAME.json` adds five to a name.
const MAX_NAME_BYTES: usize = 250;

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
    fn names_that_no_file_system_takes_are_refused_before_the_run() {
        let refused = |name: &str| match check_name("--save-baseline", name) {
            Err(CliError::Usage(message)) => message,
            other => panic!("{name:?}: {other:?}"),
        };
        assert!(refused("main\nx").contains("control character"));
        assert!(refused("a\rb").contains("control character"));
        assert!(refused(&"x".repeat(251)).contains("251 bytes long"));
        assert!(refused(&format!("ci/{}.json", "y".repeat(300))).contains("bytes long"));
        // A name's history folder is `<name>/`; a path not ending in
        // `.json` keeps it in `<name>.history/`, three bytes longer.
        assert!(refused(&format!("ci/{}", "z".repeat(248))).contains("more than the 247"));
        for fine in [
            "main",
            &"x".repeat(247),
            &format!("ci/{}.json", "y".repeat(245)),
            "ci/main.json",
        ] {
            assert!(check_name("--save-baseline", fine).is_ok(), "{fine}");
        }
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
        let record = RunRecord {
            split: None,
            shard: None,
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
        let mut stats = perf_record::BenchStats::from_samples(&[1.0, 2.0, 3.0], 1).unwrap();
        stats.median_ns = median;
        serde_json::json!({
            "id": {"package": "p", "target": "t", "name": name},
            "kind": "bench",
            "config": {"warm_up_ns": 0, "measurement_ns": 0, "quick": false, "processes": 1},
            "outcome": {"status": "passed"},
            "stats": stats,
        })
        .to_string()
    }
}
