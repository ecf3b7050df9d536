//! `cargo perf`'s subcommands (`cargo perf history`), beside the run's
//! positional filters, and the rule that a run's flags are not theirs.

use clap::{Args, Subcommand};

/// What `cargo perf` does instead of a run.
#[derive(Debug, Subcommand)]
pub enum PerfCommand {
    /// Show the saved runs of a baseline, per test and metric, and the
    /// step changes between them with the commit where each happened.
    /// Exit 6 when the baseline has no saved runs.
    History(HistoryArgs),
    /// Print the Kubernetes manifests of a load split over N pods: an
    /// Indexed Job whose pods each run `cargo perf --split N` at one
    /// shared start, and a Job that merges and gates their records.
    K8s(super::K8sArgs),
    /// Print a GitHub Actions workflow that builds the perf binaries once,
    /// runs the tests in N matrix shards and merges, gates and summarises
    /// their records in a last job.
    Ci(super::CiArgs),
    /// Merge the run records of a run's shards (`--shard`, `--split`)
    /// into one run, then compare, save and report it as one run; exit
    /// codes as a run's. Refuses a missing, duplicate or foreign shard, and
    /// one whose load generator was saturated.
    Merge(super::MergeArgs),
}

/// The arguments of `cargo perf history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The baseline: a name in the baseline directory, or the path of its
    /// file (its runs are in the folder beside it named after the file).
    #[arg(value_name = "NAME|PATH")]
    pub name: String,

    /// Show only the tests whose name contains one of these strings.
    #[arg(value_name = "FILTER")]
    pub filters: Vec<String>,

    /// Match the filters exactly instead of as substrings.
    #[arg(long)]
    pub exact: bool,
}

/// A subcommand such as `history` takes only the flags marked global
/// (`--manifest-path`, `-p`, `--baseline-dir`, `--message-format`): a run's
/// flags given with it would be silently ignored, so they are refused.
pub(super) fn check_subcommand_flags(
    command: &mut clap::Command,
    perf: &clap::ArgMatches,
) -> Result<(), clap::Error> {
    let Some((name, _)) = perf.subcommand() else {
        return Ok(());
    };
    let Some(perf_command) = command.find_subcommand_mut("perf") else {
        return Ok(());
    };
    let stray = perf_command
        .get_arguments()
        .find(|arg| {
            !arg.is_global_set()
                && perf.value_source(arg.get_id().as_str())
                    == Some(clap::parser::ValueSource::CommandLine)
        })
        .map(|arg| match (arg.get_long(), arg.get_value_names()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some([value, ..])) => value.to_string(),
            (None, _) => arg.get_id().to_string(),
        });
    match stray {
        Some(shown) => Err(perf_command.error(
            clap::error::ErrorKind::ArgumentConflict,
            format!(
                "`{shown}` is a flag of a run, not of `cargo perf {name}`; \
                 remove it (test filters go after `{name} NAME`)"
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::cli::{MessageFormat, PerfArgs, parse_from};

    fn parse(line: &str) -> Result<PerfArgs, clap::Error> {
        parse_from(line.split_whitespace().map(Into::into).collect())
    }

    #[test]
    fn history_is_a_subcommand_beside_the_filters() {
        let args = parse("cargo-perf perf --manifest-path m/Cargo.toml history main checksum --baseline-dir b --message-format json")
            .unwrap();
        let Some(PerfCommand::History(history)) = &args.command else {
            panic!("{args:?}");
        };
        assert_eq!(
            (history.name.as_str(), history.filters.as_slice()),
            ("main", &["checksum".to_owned()][..])
        );
        assert_eq!(
            args.cargo.manifest_path,
            Some(PathBuf::from("m/Cargo.toml"))
        );
        assert_eq!(args.baseline_dir, Some(PathBuf::from("b")));
        assert_eq!(args.message_format, MessageFormat::Json);
        assert!(args.filters.is_empty());
        // A run's filters still work, and `--` makes `history` a filter.
        let run = parse("cargo-perf perf checksum parse").unwrap();
        assert!(run.command.is_none());
        assert_eq!(run.filters, ["checksum", "parse"]);
        let run = parse("cargo-perf perf -- history").unwrap();
        assert!(run.command.is_none() && run.filters == ["history"]);
        let run = parse("cargo-perf perf checksum history").unwrap();
        assert!(run.command.is_none() && run.filters == ["checksum", "history"]);
        // A run's flags are refused with the subcommand, not ignored.
        for line in [
            "cargo-perf perf --quick history main",
            "cargo-perf perf history",
        ] {
            assert!(parse(line).is_err(), "{line}");
        }
        let message = parse("cargo-perf perf --quick history main")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("--quick") && message.contains("history"),
            "{message}"
        );
        assert!(
            parse("cargo-perf perf --keep 3").is_err(),
            "--keep without --save-baseline"
        );
        assert_eq!(
            parse("cargo-perf perf --save-baseline m --keep 0")
                .unwrap()
                .keep,
            Some(0)
        );
    }
}
