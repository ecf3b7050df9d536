//! The flags of a sharded run (`--shard`) and of `cargo perf merge`, kept
//! apart from the run's other flags.

use std::path::PathBuf;

use clap::Args;

use super::OutputArgs;
use crate::shard::ShardSpec;

/// `--shard`: run a deterministic share of the selected tests.
#[derive(Debug, Clone, Default, Args)]
pub struct ShardArgs {
    /// Run shard I of N of the selected tests (after the filters), dealt
    /// by a fixed hash of each test's full name (`hash:I/N`: stable when
    /// tests are added) or round-robin over the sorted list (`count:I/N`:
    /// even sizes); the run record says which shard it is, for `cargo
    /// perf merge`.
    #[arg(long, value_name = "hash:I/N|count:I/N", value_parser = ShardSpec::parse, help_heading = "Test selection")]
    pub shard: Option<ShardSpec>,
}

impl ShardArgs {
    /// The flags of `args` that change what a run measures or how it is
    /// judged, as one line for the run hash that shards of one run share
    /// (`--shard` itself is left out: each shard gives another).
    pub fn measurement_flags(args: &super::PerfArgs) -> String {
        format!(
            "filters {:?} exact {} ignored {} include-ignored {} quick {} warm-up {:?} \
             measurement {:?} processes {:?} timeout {:?} scale {:?} instructions {} \
             compare {:?} compare-ref {:?} rounds {:?} threshold {:?}",
            args.filters,
            args.exact,
            args.ignored,
            args.include_ignored,
            args.quick,
            args.warm_up_time,
            args.measurement_time,
            args.processes,
            args.test_timeout,
            args.duration_scale,
            args.instructions,
            args.compare,
            args.compare_ref,
            args.rounds,
            args.threshold
        ) + &workload_flags(args)
    }
}

/// The workload flags, where any were given (left out otherwise, so that
/// the hash of a run without them is what it was before they existed).
fn workload_flags(args: &super::PerfArgs) -> String {
    let flags = args.workload.overrides();
    if flags.is_empty() {
        String::new()
    } else {
        format!(" workload {}", flags.command_line())
    }
}

/// The arguments of `cargo perf merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' run records, or directories holding them (every
    /// `*.json` file in it).
    #[arg(value_name = "RECORD|DIR", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Where to write the merged run record [default:
    /// target/perf/latest.json]; the reports are written beside it.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Save the merged run as baseline NAME (in --baseline-dir, else
    /// target/perf/baselines), or to a file when NAME is a path, as a
    /// run's --save-baseline does.
    #[arg(long, value_name = "NAME|PATH")]
    pub save_baseline: Option<String>,

    /// Compare the merged run with baseline NAME (or the file PATH); exit
    /// 12 when a test regressed beyond its threshold.
    #[arg(long, value_name = "NAME|PATH")]
    pub compare: Option<String>,

    /// Saved runs kept in a baseline's history by --save-baseline; 0
    /// keeps every run [default: 100].
    #[arg(long, value_name = "N", requires = "save_baseline")]
    pub keep: Option<usize>,

    /// Files written from the merged record besides the record itself.
    #[command(flatten)]
    pub outputs: OutputArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{PerfArgs, PerfCommand, parse_from};

    fn parse(line: &str) -> Result<PerfArgs, clap::Error> {
        parse_from(line.split_whitespace().map(Into::into).collect())
    }

    #[test]
    fn a_shard_is_a_flag_of_a_run_and_a_bad_one_a_usage_error() {
        let args = parse("cargo-perf perf checksum --shard count:2/3").unwrap();
        assert_eq!(
            args.sharding.shard.map(|s| s.to_string()).as_deref(),
            Some("count:2/3")
        );
        let error = parse("cargo-perf perf --shard hash:4/3").unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(error.to_string().contains("count from 1 to 3"), "{error}");
        // Shards of one run share their measurement flags; another flag
        // is another run.
        let flags = |line: &str| ShardArgs::measurement_flags(&parse(line).unwrap());
        assert_eq!(
            flags("cargo-perf --shard hash:1/3 --quick"),
            flags("cargo-perf --shard hash:2/3 --quick")
        );
        assert_ne!(
            flags("cargo-perf --shard hash:1/3 --quick"),
            flags("cargo-perf --shard hash:1/3")
        );
    }

    #[test]
    fn merge_takes_records_and_the_gate_s_flags() {
        let args = parse(
            "cargo-perf perf merge shards/ extra.json -o run.json --compare main --junit j.xml --message-format json",
        )
        .unwrap();
        let Some(PerfCommand::Merge(merge)) = &args.command else {
            panic!("{args:?}");
        };
        assert_eq!(
            merge.inputs,
            [PathBuf::from("shards/"), PathBuf::from("extra.json")]
        );
        assert_eq!(merge.output, Some(PathBuf::from("run.json")));
        assert_eq!(merge.compare.as_deref(), Some("main"));
        assert_eq!(merge.outputs.junit, Some(PathBuf::from("j.xml")));
        assert!(parse("cargo-perf perf merge").is_err(), "no record");
        assert!(
            parse("cargo-perf perf --quick merge a.json").is_err(),
            "a run's flag"
        );
    }
}
