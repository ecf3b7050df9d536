//! The files of a flag that takes a prefix (`--csv`, `--github-benchmark`).

use std::path::{Path, PathBuf};

/// `prefix` with `suffix` appended to its file name: `ci/run` and
/// `_stats.csv` make `ci/run_stats.csv`.
pub(crate) fn with_suffix(prefix: &Path, suffix: &str) -> PathBuf {
    let mut name = prefix.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
