//! `cargo perf`'s subcommands (`cargo perf history`, `cargo perf
//! archive`, `cargo perf init`), beside the run's positional filters, and the rule that a
//! run's flags are not theirs.

use std::path::PathBuf;

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
    /// Build the perf binaries and the servers of the load tests once (and
    /// for --compare-ref the base revision's) and pack them in one file,
    /// for `cargo perf --archive-file FILE` to run on machines that have
    /// the checkout but no build. Takes cargo's flags (-p, --workspace,
    /// -F, --profile); runs nothing.
    Archive(ArchiveArgs),
    /// Add perf tests to a package (-p, --manifest-path): a bench target
    /// (harness = false), the perf-runtime dev-dependency and a commented
    /// example that runs under `cargo perf`; with --openapi, load tests of
    /// the API an OpenAPI 3 document describes. Never overwrites a file or
    /// an entry without --force.
    Init(super::InitArgs),
}

/// The arguments of `cargo perf archive`.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// The archive to write (a gzip-compressed tar file, e.g.
    /// perf.tar.gz).
    #[arg(long, value_name = "PATH", required = true)]
    pub archive_file: PathBuf,

    /// Also build the git revision REV (a branch, tag or commit), for runs
    /// from the archive with `--compare-ref REV`.
    #[arg(long, value_name = "REV")]
    pub compare_ref: Option<String>,
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

/// Cargo's flags that only a build takes: of the subcommands, `archive`
/// takes them (they are global for it); the others refuse them.
const BUILD_FLAGS: [&str; 10] = [
    "workspace",
    "exclude",
    "features",
    "all_features",
    "no_default_features",
    "profile",
    "target_dir",
    "locked",
    "offline",
    "frozen",
];

/// The command line as clap builds it, each subcommand's help listing
/// only the flags it takes.
pub fn command() -> clap::Command {
    hide_build_flags(<super::CargoCli as clap::CommandFactory>::command())
}

/// Hides cargo's build flags in the help of the subcommands that refuse
/// them (all but `archive`), where clap would list them as global flags:
/// each gets a hidden copy, which clap then does not replace by the
/// global one. Before `command` is built.
fn hide_build_flags(command: clap::Command) -> clap::Command {
    command.mut_subcommand("perf", |perf| {
        let hidden: Vec<clap::Arg> = perf
            .get_arguments()
            .filter(|arg| BUILD_FLAGS.contains(&arg.get_id().as_str()))
            .map(|arg| arg.clone().hide(true))
            .collect();
        let names: Vec<String> = perf
            .get_subcommands()
            .map(|sub| sub.get_name().to_owned())
            .filter(|name| name != "archive")
            .collect();
        names.into_iter().fold(perf, |perf, name| {
            perf.mut_subcommand(name, |sub| sub.args(hidden.iter().cloned()))
        })
    })
}

/// A subcommand such as `history` takes only the flags marked global
/// (`--manifest-path`, `-p`, `--baseline-dir`, `--message-format`; for
/// `archive` cargo's build flags too): a run's flags given with it would
/// be silently ignored, so they are refused.
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
            let build_flag = BUILD_FLAGS.contains(&arg.get_id().as_str());
            (!arg.is_global_set() || (build_flag && name != "archive"))
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
                "`{shown}` is a flag of a run, not of `cargo perf {name}`; remove it{}",
                if name == "history" {
                    " (test filters go after `history NAME`)"
                } else {
                    ""
                }
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

    #[test]
    fn archive_takes_cargo_s_flags_and_compare_ref_and_no_run_flag() {
        let args = parse(
            "cargo-perf perf archive --archive-file perf.tar.gz --workspace --exclude b -F x,y \
             --profile release --target-dir t --locked --compare-ref main -p demo",
        )
        .unwrap();
        let Some(PerfCommand::Archive(archive)) = &args.command else {
            panic!("{args:?}");
        };
        assert_eq!(archive.archive_file, PathBuf::from("perf.tar.gz"));
        assert_eq!(archive.compare_ref.as_deref(), Some("main"));
        assert!(args.cargo.workspace && args.cargo.locked);
        assert_eq!(args.cargo.exclude, ["b"]);
        assert_eq!(args.cargo.features, ["x,y"]);
        assert_eq!(args.cargo.profile.as_deref(), Some("release"));
        assert_eq!(args.cargo.packages, ["demo"]);
        assert_eq!(args.cargo.target_dir, Some(PathBuf::from("t")));
        // Cargo's flags before the subcommand count too.
        let before = parse("cargo-perf perf -F x archive --archive-file a.tar.gz").unwrap();
        assert_eq!(before.cargo.features, ["x"]);
        // The file is required; a run's flags are refused, not ignored.
        assert!(parse("cargo-perf perf archive").is_err());
        for line in [
            "cargo-perf perf archive --archive-file a --quick",
            "cargo-perf perf --quick archive --archive-file a",
            "cargo-perf perf archive --archive-file a checksum",
        ] {
            assert!(parse(line).is_err(), "{line}");
        }
        let message = parse("cargo-perf perf --quick archive --archive-file a")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("--quick") && message.contains("cargo perf archive"),
            "{message}"
        );
        // `history` still refuses cargo's build flags.
        let message = parse("cargo-perf perf history main --features x")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("--features") && message.contains("history"),
            "{message}"
        );
        // A run reads an archive with --archive-file.
        let run = parse("cargo-perf perf --archive-file a.tar.gz checksum").unwrap();
        assert_eq!(run.cargo.archive_file, Some(PathBuf::from("a.tar.gz")));
        assert!(run.command.is_none() && run.filters == ["checksum"]);
    }

    #[test]
    fn only_archive_s_help_lists_cargo_s_build_flags() {
        let mut command = command();
        command.build();
        let perf = command.find_subcommand("perf").unwrap();
        let listed = |name: &str, id: &str| {
            perf.find_subcommand(name)
                .unwrap()
                .get_arguments()
                .any(|arg| arg.get_id() == id && !arg.is_hide_set())
        };
        for id in BUILD_FLAGS {
            assert!(listed("archive", id), "{id}");
            assert!(!listed("history", id), "{id}");
        }
        assert!(listed("history", "manifest_path") && listed("history", "packages"));
        assert!(
            perf.get_arguments()
                .any(|arg| arg.get_id() == "features" && !arg.is_hide_set())
        );
    }
}
