//! What a split changes in a run (only load tests, one share each, a
//! record that says which), and the subcommands that print the manifests
//! of a split: `cargo perf k8s` and `cargo perf ci`.

use perf_record::TestKind;
use perf_record::split::Split;

use crate::cli::{CiArgs, K8sArgs, PerfArgs};
use crate::discover::DiscoveredTest;
use crate::error::CliError;
use crate::split::SplitRun;
use crate::verdict::gate::Summary;

/// A split divides load, not benchmarks: every share would measure each
/// benchmark whole (shard the list of tests with `--shard` instead).
pub(super) fn keep_load_tests(selected: &mut Vec<&DiscoveredTest>) {
    let before = selected.len();
    selected.retain(|t| t.listed.kind == TestKind::Load);
    let left = before - selected.len();
    if left > 0 {
        eprintln!(
            "note: --split runs load tests only; {left} micro-benchmark(s) left out \
             (run them in one share with --shard, or in a run of their own)"
        );
    }
}

/// The share, with the hash of what every share must agree on.
pub(super) fn plan(
    args: &PerfArgs,
    split: Split,
    start_at_unix_ms: u64,
    selected: &[DiscoveredTest],
) -> SplitRun {
    let tests: Vec<String> = selected.iter().map(|t| t.id.to_string()).collect();
    let target = args
        .target_url
        .clone()
        .or_else(|| std::env::var(perf_record::protocol::env::TARGET_URL).ok());
    let agreed = [
        ("cargo-perf", env!("CARGO_PKG_VERSION").to_owned()),
        ("tests", tests.join(",")),
        ("target", target.unwrap_or_default()),
        ("quick", args.quick.to_string()),
        ("duration-scale", format!("{:?}", args.duration_scale)),
        (
            "generator-threads",
            std::env::var(perf_record::protocol::env::GENERATOR_THREADS).unwrap_or_default(),
        ),
    ];
    SplitRun::new(split, start_at_unix_ms, &agreed)
}

/// `cargo perf k8s`: prints the manifests.
pub fn k8s(args: &K8sArgs) -> Result<Summary, CliError> {
    let text = crate::k8s::manifests(args)?;
    print!("{text}");
    Ok(Summary::default())
}

/// `cargo perf ci`: prints the workflow.
pub fn ci(args: &CiArgs) -> Result<Summary, CliError> {
    print!("{}", crate::ci::workflow(args));
    Ok(Summary::default())
}
