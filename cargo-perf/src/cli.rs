//! The command line, as clap derive types.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, FromArgMatches as _, Parser, ValueEnum};

mod cargo_options;
mod init;
mod shard;
mod split;
mod subcommand;
mod workload;

pub use cargo_options::CargoOptions;
pub use init::InitArgs;
pub use shard::{MergeArgs, ShardArgs};
pub use split::{CiArgs, K8sArgs, SplitArgs, SplitFlag, StartAt};
use subcommand::check_subcommand_flags;
pub use subcommand::command;
pub use subcommand::{ArchiveArgs, HistoryArgs, PerfCommand};
pub use workload::WorkloadArgs;

/// `cargo perf` as cargo invokes it: `cargo-perf perf [ARGS]`.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", version, styles = clap::builder::styling::Styles::styled())]
pub enum CargoCli {
    /// Run #[perf_test] micro-benchmarks and load tests, save baselines, gate regressions.
    Perf(PerfArgs),
}

/// The flags of `cargo perf`.
#[derive(Debug, Args)]
#[command(
    version,
    disable_help_subcommand = true,
    after_help = "Exit codes: 0 ok, 1 internal error, 2 usage, 3 build failed, 4 no test matched, \
                  5 server failed, 6 baseline missing or corrupt, 10 a test failed, \
                  11 an SLA threshold missed, 12 a regression beyond the threshold, 130 interrupted."
)]
pub struct PerfArgs {
    /// What to do instead of a run.
    #[command(subcommand)]
    pub command: Option<PerfCommand>,

    /// Run only the tests whose name contains one of these strings.
    #[arg(value_name = "FILTER")]
    pub filters: Vec<String>,

    /// Match the filters exactly instead of as substrings.
    #[arg(long, help_heading = "Test selection")]
    pub exact: bool,

    /// List the tests that would run, then stop.
    #[arg(long, help_heading = "Test selection")]
    pub list: bool,

    /// Run only the ignored tests.
    #[arg(
        long,
        conflicts_with = "include_ignored",
        help_heading = "Test selection"
    )]
    pub ignored: bool,

    /// Run the ignored tests too.
    #[arg(long, help_heading = "Test selection")]
    pub include_ignored: bool,

    /// Short warm-up and measurement (at most 100ms and 500ms per test, in
    /// one process) and load tests at a tenth of their length: a smoke run
    /// for CI, too short for a trustworthy comparison.
    #[arg(long, help_heading = "Measurement")]
    pub quick: bool,

    /// Warm-up time of every test, e.g. 500ms (overrides the tests' own).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help_heading = "Measurement")]
    pub warm_up_time: Option<Duration>,

    /// Measurement time of every test, e.g. 5s (overrides the tests' own).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help_heading = "Measurement")]
    pub measurement_time: Option<Duration>,

    /// Kill a test's process and fail the test after DURATION, e.g. 5m
    /// [default: a benchmark 10 x its warm-up and measurement time + 30s; a
    /// load test twice its workload's length + 60s].
    #[arg(long, value_name = "DURATION", value_parser = parse_limit, help_heading = "Measurement")]
    pub test_timeout: Option<Duration>,

    /// Split each test's measurement over N processes, run in turn with the
    /// other tests, so that the spread between processes (memory layout,
    /// hash seeds) is measured rather than hidden [default: 3; 1 with --quick].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100), help_heading = "Measurement")]
    pub processes: Option<u32>,

    /// Multiply every load-test duration (stages, hold, think time) by F,
    /// e.g. 0.1 for a short CI run.
    #[arg(long, value_name = "F", value_parser = parse_scale, allow_hyphen_values = true, help_heading = "Load tests")]
    pub duration_scale: Option<f64>,

    /// Send load tests to this server instead of starting the configured
    /// one [env: PERF_TARGET_URL].
    #[arg(long, value_name = "URL", help_heading = "Load tests")]
    pub target_url: Option<String>,

    /// Threads of the load generator in each test process, 1 to 1024
    /// [env: CARGO_PERF_GENERATOR_THREADS] [default: half the cores].
    #[arg(long, value_name = "N", value_parser = parse_generator_threads, help_heading = "Load tests")]
    pub generator_threads: Option<usize>,

    /// Allow a target that is not a loopback address (127.0.0.0/8, ::1).
    #[arg(long, help_heading = "Load tests")]
    pub allow_remote: bool,

    /// Do not check an https:// target's certificate (a staging server's
    /// self-signed one) [env: CARGO_PERF_INSECURE=1].
    #[arg(
        long,
        visible_alias = "insecure-skip-tls-verify",
        help_heading = "Load tests"
    )]
    pub insecure: bool,

    /// Trust the certificate authorities of this PEM file for an https://
    /// target, beside the platform's [env: CARGO_PERF_CA_CERT].
    #[arg(long, value_name = "PATH", help_heading = "Load tests")]
    pub ca_cert: Option<std::path::PathBuf>,

    /// One share of a load split over several generators.
    #[command(flatten)]
    pub split: SplitArgs,

    /// The workload of the selected load tests.
    #[command(flatten)]
    pub workload: WorkloadArgs,

    /// Save the results as baseline NAME (target/perf/baselines/NAME.json),
    /// or to a file when NAME is a path; the run is also kept in the
    /// baseline's history, NAME/ beside it (see `cargo perf history`).
    #[arg(long, value_name = "NAME|PATH", help_heading = "Baselines")]
    pub save_baseline: Option<String>,

    /// Compare with baseline NAME (or the file PATH); exit 12 when a test
    /// regressed beyond its threshold.
    #[arg(long, value_name = "NAME|PATH", help_heading = "Baselines")]
    pub compare: Option<String>,

    /// Build the git revision REV (a branch, tag or commit) in a worktree
    /// and run it and the working tree in paired rounds: the robust
    /// comparison for CI. Exit 12 when a test regressed beyond its threshold.
    #[arg(
        long,
        value_name = "REV",
        conflicts_with = "compare",
        help_heading = "Baselines"
    )]
    pub compare_ref: Option<String>,

    /// Alternating rounds of base and candidate per test with --compare-ref;
    /// each side spends 1/N of a test's time budget per round [default: 20;
    /// 6 with --quick].
    #[arg(long, value_name = "N", requires = "compare_ref", value_parser = clap::value_parser!(u32).range(2..=1000), help_heading = "Baselines")]
    pub rounds: Option<u32>,

    /// Also count the instructions each benchmark iteration retires (Linux
    /// perf events where the kernel allows them, else valgrind): repeatable
    /// on a noisy machine, and compared with the plain threshold.
    #[arg(long, help_heading = "Measurement")]
    pub instructions: bool,

    /// Saved runs kept in a baseline's history (NAME/ beside NAME.json)
    /// by --save-baseline, the oldest pruned first; 0 keeps every run
    /// [default: 100].
    #[arg(
        long,
        value_name = "N",
        requires = "save_baseline",
        help_heading = "Baselines"
    )]
    pub keep: Option<usize>,

    /// Where named baselines live [default: `baseline-dir` from
    /// [workspace.metadata.perf], else target/perf/baselines].
    #[arg(long, value_name = "DIR", global = true, help_heading = "Baselines")]
    pub baseline_dir: Option<PathBuf>,

    /// Regression threshold for tests that do not set their own, e.g. 5%
    /// [default: `regression-threshold` from [package.metadata.perf], else 10%].
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent, allow_hyphen_values = true, help_heading = "Baselines")]
    pub threshold: Option<f64>,

    /// How to print results: a table, or JSON lines on stdout.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FMT", global = true)]
    pub message_format: MessageFormat,

    /// Show cargo's full build output and the perf binaries' output.
    #[arg(short, long)]
    pub verbose: bool,

    /// Files written from the run's record besides latest.json.
    #[command(flatten)]
    pub outputs: OutputArgs,

    /// `--shard`: a share of the selected tests.
    #[command(flatten)]
    pub sharding: ShardArgs,

    /// Cargo's own flags.
    #[command(flatten)]
    pub cargo: CargoOptions,
}

/// The reports a run writes for people and CI systems, each from the same
/// run record (and comparison).
#[derive(Debug, Clone, Default, Args)]
pub struct OutputArgs {
    /// Also write the HTML report to PATH (it is always written to
    /// target/perf/report/index.html).
    #[arg(long, value_name = "PATH", help_heading = "Reports")]
    pub html: Option<PathBuf>,

    /// Write the run as JUnit XML to PATH: a test case per perf test,
    /// failed when it failed, missed a threshold or regressed (GitLab's
    /// artifacts:reports:junit, Jenkins' junit step).
    #[arg(long, value_name = "PATH", help_heading = "Reports")]
    pub junit: Option<PathBuf>,

    /// Write the figures in Bencher Metric Format (JSON) to PATH, for
    /// `bencher run --adapter json --file PATH`.
    #[arg(long, value_name = "PATH", help_heading = "Reports")]
    pub bmf: Option<PathBuf>,

    /// Write the figures for github-action-benchmark: PREFIX-smaller.json
    /// (tool: customSmallerIsBetter: latencies, instructions, error rates)
    /// and PREFIX-bigger.json (tool: customBiggerIsBetter: throughput).
    #[arg(long, value_name = "PREFIX", help_heading = "Reports")]
    pub github_benchmark: Option<PathBuf>,

    /// Write CSV files as Locust does: PREFIX_stats.csv, PREFIX_failures.csv
    /// and PREFIX_stats_history.csv for the load tests, and
    /// PREFIX_benchmarks.csv for the micro-benchmarks.
    #[arg(long, value_name = "PREFIX", help_heading = "Reports")]
    pub csv: Option<PathBuf>,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Tables for people.
    Human,
    /// One JSON object per line on stdout.
    Json,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    perf_record::parse_duration(text).map_err(|e| e.to_string())
}

/// A time limit: above zero, or every test would be killed at its start.
fn parse_limit(text: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        Duration::ZERO => Err(format!(
            "`{text}` would kill every test as it starts; give a limit above zero, e.g. 10m"
        )),
        limit => Ok(limit),
    }
}

/// The largest `--duration-scale`: a thousand times a workload's length
/// is already days for the presets; beyond it durations overflow.
const MAX_SCALE: f64 = 1000.0;

fn parse_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 && f <= MAX_SCALE => Ok(f),
        Ok(f) if f > MAX_SCALE => Err(format!(
            "`{text}` would run each load test over {MAX_SCALE} times its length; give a factor up to {MAX_SCALE}"
        )),
        _ => Err(format!(
            "`{text}` is not a number above zero; e.g. 0.1 runs every load test at a tenth of its length"
        )),
    }
}

fn parse_generator_threads(text: &str) -> Result<usize, String> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=perf_record::protocol::MAX_GENERATOR_THREADS).contains(n))
        .ok_or_else(|| {
            format!(
                "`{text}` is not a whole number from 1 to {}",
                perf_record::protocol::MAX_GENERATOR_THREADS
            )
        })
}

fn parse_percent(text: &str) -> Result<f64, String> {
    perf_record::parse_percent(text).map_err(|e| e.to_string())
}

/// Parses `cargo perf`'s arguments, also when the binary is run directly as
/// `cargo-perf [ARGS]` rather than through cargo.
pub fn parse_from(mut args: Vec<std::ffi::OsString>) -> Result<PerfArgs, clap::Error> {
    if args.get(1).is_none_or(|arg| arg != "perf") {
        args.insert(1.min(args.len()), "perf".into());
    }
    let mut command = command();
    let matches = command.try_get_matches_from_mut(args)?;
    if let Some(("perf", perf)) = matches.subcommand() {
        check_subcommand_flags(&mut command, perf)?;
    }
    CargoCli::from_arg_matches(&matches).map(|CargoCli::Perf(args)| args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<PerfArgs, clap::Error> {
        parse_from(line.split_whitespace().map(Into::into).collect())
    }

    #[test]
    fn valid_command_lines() {
        let args = parse("cargo-perf perf checksum --quick -p demo --compare main --threshold 5%")
            .unwrap();
        assert_eq!(args.filters, ["checksum"]);
        assert!(args.quick);
        assert_eq!(args.cargo.packages, ["demo"]);
        assert_eq!(args.compare.as_deref(), Some("main"));
        assert_eq!(args.threshold, Some(5.0));
        let direct = parse("cargo-perf --list --workspace --exclude beta").unwrap();
        assert!(direct.list && direct.cargo.workspace);
        assert_eq!(direct.cargo.to_args(), ["--workspace", "--exclude", "beta"]);
        let args = parse("cargo-perf perf --measurement-time 2s -F a,b --profile release").unwrap();
        assert_eq!(args.measurement_time, Some(Duration::from_secs(2)));
        assert_eq!(
            args.cargo.to_args(),
            ["--features", "a,b", "--profile", "release"]
        );
        let args = parse("cargo-perf --test-timeout 90s").unwrap();
        assert_eq!(args.test_timeout, Some(Duration::from_secs(90)));
        let error = parse("cargo-perf --test-timeout 0s")
            .unwrap_err()
            .to_string();
        assert!(error.contains("would kill every test"), "{error}");
    }

    #[test]
    fn invalid_command_lines() {
        use clap::error::ErrorKind;
        let cases = [
            ("cargo-perf perf --threshold 5", ErrorKind::ValueValidation),
            (
                "cargo-perf perf --measurement-time fast",
                ErrorKind::ValueValidation,
            ),
            (
                "cargo-perf perf --exclude a",
                ErrorKind::MissingRequiredArgument,
            ),
            (
                "cargo-perf perf --ignored --include-ignored",
                ErrorKind::ArgumentConflict,
            ),
            (
                "cargo-perf perf --message-format xml",
                ErrorKind::InvalidValue,
            ),
            ("cargo-perf perf --frobnicate", ErrorKind::UnknownArgument),
        ];
        for (line, kind) in cases {
            let error = parse(line).expect_err(line);
            assert_eq!(error.kind(), kind, "{line}: {error}");
        }
        let message = parse("cargo-perf perf --threshold 5")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("--threshold") && message.contains('%'),
            "{message}"
        );
    }
}
