//! `--compare-ref REV`'s base side: the revision checked out in a git
//! worktree and built in a target dir of its own, its tests paired with
//! the candidate's, and what the paired rounds say per metric (one
//! ratio per round; the verdict is made on those ratios, see
//! [`crate::verdict::compare`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use perf_record::metric::Metric;
use perf_record::{TestId, TestKind, TestRecord};

use super::scheduler::{Measured, rounds};
use super::worktree::{BaseCommit, Worktree};
use crate::cargo::{self, PerfBinary, PerfConfig, Workspace, perf_targets};
use crate::cli::CargoOptions;
use crate::discover::{DiscoveredTest, Selection, discover};
use crate::error::CliError;
use crate::verdict::compare::{
    LoadRatios, TestComparison, bench_median, compare_records, load_metrics,
};

/// The file in the base's target dir that names the commit it last built.
const LAST_BUILT: &str = "cargo-perf-last-base";

/// The base revision, built and listed.
pub(crate) struct BaseSide {
    /// Its checkout; removed when this is dropped.
    #[expect(dead_code, reason = "held for its Drop, which removes the checkout")]
    worktree: Worktree,
    /// Cargo's flags for it (its manifest, its target dir).
    pub(crate) cargo: CargoOptions,
    /// Its workspace.
    pub(crate) workspace: Workspace,
    /// Its packages' `[package.metadata.perf]`.
    pub(crate) package_configs: BTreeMap<String, PerfConfig>,
    /// Its perf binaries.
    pub(crate) binaries: Vec<PerfBinary>,
    /// Its tests that the selection picks.
    pub(crate) tests: Vec<DiscoveredTest>,
}

impl BaseSide {
    /// Checks `base` out next to the candidate (whose manifest cargo's
    /// flags name), builds its perf targets and lists their tests.
    pub(crate) fn prepare(
        candidate: &CargoOptions,
        candidate_root: &Path,
        perf_dir: &Path,
        scratch: &Path,
        base: &BaseCommit,
        selection: &Selection,
    ) -> Result<Self, CliError> {
        // The base keeps a target dir of its own (its dependencies are built
        // once and reused by later runs); the candidate's stays untouched.
        // It notes the commit it last built, whose build the next run on
        // the same commit may reuse (see `Worktree::add`).
        let base_target = perf_dir.join("base-target");
        let built = base_target.join(LAST_BUILT);
        let reuse = std::fs::read_to_string(&built).is_ok_and(|c| c.trim() == base.commit);
        let worktree = Worktree::add(base, &perf_dir.join("worktrees"), reuse)?;
        let manifest = user_manifest(&candidate.manifest_path)?;
        let mut cargo_options = candidate.clone();
        cargo_options.manifest_path = Some(worktree.map(&manifest).ok_or_else(|| {
            CliError::Git(format!(
                "--compare-ref {}: {} is outside the repository {}",
                base.rev,
                manifest.display(),
                base.toplevel.display()
            ))
        })?);
        // A library's Cargo.lock is often untracked: the base then builds
        // with the candidate's dependency versions rather than fresh ones.
        let lock = candidate_root.join("Cargo.lock");
        if let Some(base_lock) = worktree.map(&lock).filter(|l| !l.exists())
            && lock.is_file()
            && std::fs::copy(&lock, &base_lock).is_ok()
        {
            eprintln!(
                "note: {} has no Cargo.lock at {}; the base builds with the working tree's",
                base.rev,
                base.short()
            );
        }
        cargo_options.target_dir = Some(base_target);
        cargo_options.archive = cargo_options.archive.for_base();
        // From an archive nothing is built here: the note of the last
        // build stays true.
        let builds = cargo_options.archive.archive().is_none();
        eprintln!(
            "{:>12} base {} ({}) in {}",
            if builds { "Building" } else { "Checked out" },
            base.rev,
            base.short(),
            worktree.path().display()
        );
        let workspace = Workspace::load(&cargo_options)?;
        let packages = workspace.select(&cargo_options).map_err(|e| {
            CliError::Git(format!(
                "--compare-ref {}: the base revision cannot select the same packages: {e}",
                base.rev
            ))
        })?;
        let targets = perf_targets(&packages, &cargo_options)?;
        // Forgotten before the build and noted after it: a build that fails
        // half-way leaves artifacts of this commit that no other may reuse.
        if builds {
            let _ = std::fs::remove_file(&built);
        }
        let binaries = if targets.is_empty() {
            Vec::new()
        } else {
            cargo::build(&cargo_options, &targets)?
        };
        if builds {
            let _ = std::fs::write(&built, &base.commit);
        }
        let base_scratch = scratch.join("base");
        std::fs::create_dir_all(&base_scratch).map_err(|source| CliError::Write {
            path: base_scratch.clone(),
            source,
        })?;
        let (tests, _) = discover(&binaries, &base_scratch)?;
        let tests = tests.into_iter().filter(|t| selection.selects(t)).collect();
        let package_configs = packages
            .iter()
            .map(|p| Ok((p.name.to_string(), workspace.package_config(p)?)))
            .collect::<Result<_, CliError>>()?;
        Ok(Self {
            worktree,
            cargo: cargo_options,
            workspace,
            package_configs,
            binaries,
            tests,
        })
    }
}

/// The tests on both sides, index-aligned, and those on one side only.
pub(crate) struct Pairing {
    /// The candidate's tests that the base has too.
    pub(crate) candidate: Vec<DiscoveredTest>,
    /// The base's, in the same order.
    pub(crate) base: Vec<DiscoveredTest>,
    /// Tests the base does not have (or has as another kind).
    pub(crate) only_in_current: Vec<TestId>,
    /// Tests only the base has.
    pub(crate) only_in_baseline: Vec<TestId>,
}

impl Pairing {
    /// Pairs tests by id and kind.
    pub(crate) fn new(candidate: &[DiscoveredTest], base: &[DiscoveredTest]) -> Self {
        let find = |c: &DiscoveredTest| {
            base.iter()
                .find(|b| b.id == c.id && b.listed.kind == c.listed.kind)
        };
        let (paired, unpaired): (Vec<_>, Vec<_>) =
            candidate.iter().partition(|c| find(c).is_some());
        let base_paired: Vec<DiscoveredTest> =
            paired.iter().filter_map(|c| find(c)).cloned().collect();
        Self {
            only_in_baseline: base
                .iter()
                .filter(|b| !base_paired.iter().any(|p| p.id == b.id))
                .map(|b| b.id.clone())
                .collect(),
            candidate: paired.into_iter().cloned().collect(),
            base: base_paired,
            only_in_current: unpaired.into_iter().map(|c| c.id.clone()).collect(),
        }
    }
}

/// What one test's rounds say: candidate over base, per round.
#[derive(Debug, Default)]
pub(crate) struct RoundRatios {
    /// A benchmark's median.
    pub(crate) median: Vec<f64>,
    /// A load test's latency and throughput.
    pub(crate) load: LoadRatios,
}

impl RoundRatios {
    /// The ratios of the rounds both sides completed.
    pub(crate) fn of(base: &Measured, candidate: &Measured) -> Self {
        let mut ratios = Self::default();
        for (b, c) in rounds(base, candidate) {
            if let (Some(b), Some(c)) = (&b.stats, &c.stats) {
                ratios.median.push(c.median_ns / b.median_ns);
            }
            if let (Some(b), Some(c)) = (&b.load, &c.load) {
                let ratio = |c: u64, b: u64| c as f64 / b as f64;
                ratios
                    .load
                    .p95
                    .push(ratio(c.latency.p95_us, b.latency.p95_us));
                ratios
                    .load
                    .p99
                    .push(ratio(c.latency.p99_us, b.latency.p99_us));
                ratios.load.rps.push(c.rps / b.rps);
            }
        }
        ratios
    }
}

/// Every metric of a paired test: from its rounds' ratios; a test that ran
/// once a side (a catalogue kind) as two separate runs are compared.
pub(crate) fn compare_pair(
    test: &DiscoveredTest,
    ratios: &RoundRatios,
    base: &TestRecord,
    candidate: &TestRecord,
) -> Vec<TestComparison> {
    if test.listed.whole_run {
        return compare_records(base, candidate);
    }
    if candidate.kind == TestKind::Load {
        return load_metrics(base, candidate, Some(&ratios.load));
    }
    let mut metrics = vec![bench_median(base, candidate, Some(&ratios.median))];
    metrics.extend(
        compare_records(base, candidate)
            .into_iter()
            .filter(|c| c.metric == Metric::INSTRUCTIONS),
    );
    metrics
}

/// The manifest cargo would use: the flag's, else the nearest Cargo.toml
/// from the current directory up.
fn user_manifest(flag: &Option<PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(path) = flag {
        return Ok(path.clone());
    }
    let cwd = std::env::current_dir().map_err(|source| CliError::Io {
        message: "failed to read the current directory".to_owned(),
        source,
    })?;
    Ok(cwd
        .ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| cwd.join("Cargo.toml")))
}
