//! The flags of a split load (`--split`, `--start-at`) and of the
//! subcommands that print the manifests that run one (`cargo perf k8s`,
//! `cargo perf ci`).

use std::time::Duration;

use clap::Args;
use perf_record::split::{MAX_COUNT, Split};

/// A run's flags for one share of a split load.
#[derive(Debug, Clone, Default, Args)]
pub struct SplitArgs {
    /// Run share I of N of every selected load test (an open model's
    /// arrivals I-1, I-1+N, ...; a closed model's users likewise) against
    /// one --target-url, starting at --start-at; micro-benchmarks are left
    /// out. `--split N` takes I from JOB_COMPLETION_INDEX + 1 (a Kubernetes
    /// Indexed Job's pod). Merge the shares with `cargo perf merge`.
    #[arg(
        long,
        value_name = "I/N|N",
        value_parser = parse_split,
        requires = "start_at",
        // A share is a fraction of the load: its figures are compared and
        // saved once merged (`cargo perf merge DIR --compare NAME`).
        conflicts_with_all = ["compare_ref", "compare", "save_baseline", "processes", "shard"],
        help_heading = "Load tests"
    )]
    pub split: Option<SplitFlag>,

    /// The instant every share of --split starts its first load test at:
    /// Unix seconds (1767225600) or RFC 3339 (2026-01-01T00:00:00Z). A
    /// share that starts late says by how much.
    #[arg(
        long,
        value_name = "TIME",
        value_parser = parse_start_at,
        requires = "split",
        help_heading = "Load tests"
    )]
    pub start_at: Option<StartAt>,
}

/// `--split` as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitFlag {
    /// `I/N`.
    Share(Split),
    /// `N`: the index comes from the pod.
    Count(u32),
}

/// An instant, in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StartAt(pub u64);

impl StartAt {
    /// Now plus `lead`, on the wall clock.
    pub fn after(lead: Duration) -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self(u64::try_from((now + lead).as_millis()).unwrap_or(u64::MAX))
    }

    /// RFC 3339 in UTC, to the millisecond.
    pub fn to_rfc3339(self) -> String {
        i64::try_from(self.0)
            .ok()
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map_or_else(
                || self.0.to_string(),
                |at| at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            )
    }
}

fn parse_count(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_COUNT).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{text}` is not a number of shares: give a whole number from 1 to {MAX_COUNT}"
        )),
    }
}

fn parse_split(text: &str) -> Result<SplitFlag, String> {
    if text.contains('/') {
        Split::parse(text).map(SplitFlag::Share)
    } else {
        parse_count(text).map(SplitFlag::Count)
    }
}

/// Reads `--start-at`: Unix seconds (a fraction allowed) or RFC 3339.
pub(crate) fn parse_start_at(text: &str) -> Result<StartAt, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        if !(seconds.is_finite() && (0.0..1e11).contains(&seconds)) {
            return Err(format!(
                "`{text}` is not an instant: give Unix seconds (e.g. 1767225600) or RFC 3339"
            ));
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked: finite, non-negative and below 1e14 ms"
        )]
        return Ok(StartAt((seconds * 1000.0).round() as u64));
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .and_then(|at| u64::try_from(at.timestamp_millis()).ok())
        .map(StartAt)
        .ok_or_else(|| {
            format!(
                "`{text}` is not an instant: give Unix seconds (e.g. 1767225600) or RFC 3339 \
                 (e.g. 2026-01-01T12:00:00Z)"
            )
        })
}

/// `cargo perf k8s`: prints the Kubernetes manifests of a split load.
#[derive(Debug, Clone, Args)]
pub struct K8sArgs {
    /// Into how many pods (shares) the load is split.
    #[arg(long, value_name = "N", value_parser = parse_count)]
    pub split: u32,

    /// The container image the pods run: the project's source with its
    /// perf targets built, cargo and cargo-perf (see the book's page
    /// "Beyond one machine").
    #[arg(long, value_name = "IMAGE")]
    pub image: String,

    /// The server every pod loads, e.g. http://shop.default.svc:8080.
    #[arg(long, value_name = "URL")]
    pub target_url: String,

    /// Allow a target that is not a loopback address (in a cluster, the
    /// usual case: a Service).
    #[arg(long)]
    pub allow_remote: bool,

    /// The shared start, as --start-at of a run [default: now + --lead].
    #[arg(long, value_name = "TIME", value_parser = parse_start_at)]
    pub start_at: Option<StartAt>,

    /// How long after printing the pods start their load (without
    /// --start-at): time to apply the manifest, pull the image and
    /// schedule every pod. The Jobs' deadline counts it, so with --start-at
    /// give one that covers the wait for the start.
    #[arg(long, value_name = "DURATION", default_value = "3m", value_parser = parse_lead)]
    pub lead: Duration,

    /// How long the Jobs may run after the start (Kubernetes'
    /// activeDeadlineSeconds, with the lead added): past it every pod is
    /// stopped, whatever it is doing.
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = parse_lead)]
    pub deadline: Duration,

    /// The name of the Job (the merge Job is NAME-merge).
    #[arg(long, value_name = "NAME", default_value = "cargo-perf-split")]
    pub name: String,

    /// A PersistentVolumeClaim, ReadWriteMany, where every pod writes its
    /// record and the merge Job reads them.
    #[arg(long, value_name = "CLAIM", default_value = "cargo-perf-records")]
    pub records_claim: String,

    /// The directory of the project inside the image.
    #[arg(long, value_name = "DIR", default_value = "/src")]
    pub workdir: String,

    /// Flags for every pod's `cargo perf` run, after `--`: test filters,
    /// -p, --duration-scale, ...
    #[arg(last = true, value_name = "RUN ARGS")]
    pub run_args: Vec<String>,
}

/// `cargo perf ci`: prints a GitHub Actions workflow that runs the perf
/// tests in shards.
#[derive(Debug, Clone, Args)]
pub struct CiArgs {
    /// How many matrix jobs (`--shard hash:I/N`) run the tests.
    #[arg(long, value_name = "N", value_parser = parse_count)]
    pub shards: u32,

    /// Flags for every shard's `cargo perf` run, after `--`: test filters,
    /// -p, --compare-ref origin/main, ...
    #[arg(last = true, value_name = "RUN ARGS")]
    pub run_args: Vec<String>,
}

fn parse_lead(text: &str) -> Result<Duration, String> {
    perf_record::parse_duration(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_at_reads_unix_seconds_and_rfc3339() {
        assert_eq!(parse_start_at("1767225600"), Ok(StartAt(1_767_225_600_000)));
        assert_eq!(
            parse_start_at("1767225600.25"),
            Ok(StartAt(1_767_225_600_250))
        );
        assert_eq!(
            parse_start_at("2026-01-01T00:00:00Z"),
            Ok(StartAt(1_767_225_600_000))
        );
        assert_eq!(
            parse_start_at("2026-01-01T01:00:00.5+01:00"),
            Ok(StartAt(1_767_225_600_500))
        );
        assert_eq!(
            StartAt(1_767_225_600_500).to_rfc3339(),
            "2026-01-01T00:00:00.500Z"
        );
        for bad in ["soon", "-5", "1e20", "2026-13-01T00:00:00Z", "NaN"] {
            assert!(parse_start_at(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_split_needs_its_start_and_runs_one_process_a_share() {
        let parse =
            |line: &str| crate::cli::parse_from(line.split_whitespace().map(Into::into).collect());
        let args = parse("cargo-perf --split 2/3 --start-at 1767225600").unwrap();
        assert_eq!(
            args.split.split,
            Some(SplitFlag::Share(Split::new(2, 3).unwrap()))
        );
        assert_eq!(args.split.start_at, Some(StartAt(1_767_225_600_000)));
        for line in [
            "cargo-perf --split 2/3",
            "cargo-perf --start-at 1767225600",
            "cargo-perf --split 2/3 --start-at 1767225600 --processes 3",
            "cargo-perf --split 2/3 --start-at 1767225600 --compare-ref main",
            "cargo-perf --split 2/3 --start-at 1767225600 --compare main",
            "cargo-perf --split 2/3 --start-at 1767225600 --save-baseline main",
        ] {
            assert!(parse(line).is_err(), "{line}");
        }
    }

    #[test]
    fn split_reads_a_share_or_a_count() {
        assert_eq!(
            parse_split("2/4"),
            Ok(SplitFlag::Share(Split::new(2, 4).unwrap()))
        );
        assert_eq!(parse_split("4"), Ok(SplitFlag::Count(4)));
        for bad in ["0", "5/4", "x", "0/0"] {
            assert!(parse_split(bad).is_err(), "{bad}");
        }
    }
}
