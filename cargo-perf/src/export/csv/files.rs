//! The four files of `--csv PREFIX`, each with its renderer.

use std::path::Path;

use super::{benchmarks, history, stats};
use crate::export::{Mode, Output, Source, prefix::with_suffix};

/// The four files of `--csv PREFIX`.
pub(crate) fn outputs(prefix: &Path) -> [Output; 4] {
    let output = |suffix: &str, render: fn(&Source<'_>) -> String| Output {
        origin: "--csv",
        path: with_suffix(prefix, suffix),
        render,
        mode: Mode::Replace,
    };
    [
        output("_stats.csv", stats::render_stats),
        output("_failures.csv", stats::render_failures),
        output("_stats_history.csv", history::render),
        output("_benchmarks.csv", benchmarks::render),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_take_the_prefix() {
        let paths: Vec<_> = outputs(Path::new("ci/run"))
            .into_iter()
            .map(|o| o.path)
            .collect();
        assert_eq!(
            paths,
            [
                Path::new("ci/run_stats.csv"),
                Path::new("ci/run_failures.csv"),
                Path::new("ci/run_stats_history.csv"),
                Path::new("ci/run_benchmarks.csv"),
            ]
        );
    }
}
