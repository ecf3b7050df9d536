//! `--compare-ref REV`: the base revision and the working tree run side by
//! side in one paired schedule, compared round by round, and the flagged
//! tests paired once more.

use perf_record::TestRecord;

use super::prepared::{Prepared, now_unix_s, selection};
use crate::discover::DiscoveredTest;
use crate::error::CliError;
use crate::run::draw::Draw;
use crate::run::finish::finish_all;
use crate::run::job::{self, Job};
use crate::run::paired::{BaseSide, Pairing, RoundRatios, compare_pair};
use crate::run::scheduler::{SideRun, run_jobs};
use crate::run::side::Side;
use crate::run::worktree::BaseCommit;
use crate::server::prepare_servers;
use crate::verdict::compare::{CompareMode, Comparison, TestComparison};
use crate::verdict::confirm::confirm;
use crate::verdict::gate::Summary;
use crate::verdict::thresholds::Thresholds;
use crate::{DEFAULT_ROUNDS, QUICK_ROUNDS};

/// Runs the comparison with `base` and reports.
pub(crate) fn run(run: &Prepared<'_>, base: &BaseCommit) -> Result<Summary, CliError> {
    let args = run.args;
    let base_side = BaseSide::prepare(
        &args.cargo,
        run.workspace.root(),
        run.perf_dir,
        run.scratch,
        base,
        &selection(args),
    )?;
    let pairing = Pairing::new(run.selected, &base_side.tests);
    let base_servers = prepare_servers(
        &base_side.cargo,
        None,
        args.allow_remote,
        &base_side.workspace,
        &base_side.package_configs,
        &pairing.base,
        &run.perf_dir.join("server-base.log"),
    )?
    .on_side("base ")
    .trusting(run.options.trust());
    let candidate_servers = prepare_servers(
        &args.cargo,
        None,
        args.allow_remote,
        run.workspace,
        run.package_configs,
        &pairing.candidate,
        &run.perf_dir.join("server.log"),
    )?
    .trusting(run.options.trust());
    let mut sides = [
        SideRun {
            binaries: run.binaries,
            tests: &pairing.candidate,
            servers: candidate_servers,
        },
        SideRun {
            binaries: &base_side.binaries,
            tests: &pairing.base,
            servers: base_servers,
        },
    ];
    let thresholds = [
        run.thresholds(),
        Thresholds {
            package_configs: &base_side.package_configs,
            flag: args.threshold,
        },
    ];
    let rounds = args.rounds.unwrap_or(if args.quick {
        QUICK_ROUNDS
    } else {
        DEFAULT_ROUNDS
    });
    let started = now_unix_s();
    let mut draw = Draw::fresh();
    let jobs = job::paired(&pairing.candidate, &run.options, rounds, &mut draw, None);
    let paired = Paired {
        run,
        tests: &pairing,
        thresholds: &thresholds,
    };
    let (metrics, records) = paired.measure(&jobs, &mut sides, "")?;
    let mut comparison = Comparison {
        mode: CompareMode::Paired {
            base_ref: base.rev.clone(),
            rounds,
        },
        baseline_path: format!("commit {}", base.short()),
        baseline_created_utc: perf_record::record::format_utc(started),
        baseline_git_commit: Some(base.commit.clone()),
        environment_differences: Vec::new(),
        tests: metrics,
        only_in_baseline: pairing.only_in_baseline.clone(),
        only_in_current: pairing.only_in_current.clone(),
        noise_floor_pct: None,
        noise_warnings: Vec::new(),
        shift: None,
    };
    comparison.judge();
    // A flagged test is measured again before it may fail the run: fresh
    // rounds, in fresh processes with draws of their own, judged on their
    // own, so that what biased the first measurement cannot confirm it.
    confirm(
        &mut comparison,
        &format!("{rounds} more rounds"),
        |flagged| {
            let again = job::paired(
                &pairing.candidate,
                &run.options,
                rounds,
                &mut draw,
                Some(flagged),
            );
            Ok(paired.measure(&again, &mut sides, "confirm-")?.0)
        },
    )?;
    let record = run.record(started, records);
    run.save_and_report(&record, Some(&comparison))
}

/// What a paired schedule needs to turn its measurements into metrics.
struct Paired<'a> {
    run: &'a Prepared<'a>,
    tests: &'a Pairing,
    /// Each side's thresholds, by [`Side::index`].
    thresholds: &'a [Thresholds<'a>; 2],
}

impl Paired<'_> {
    /// Runs `jobs` and returns every metric of the tests that ran on both
    /// sides, and the candidate's records.
    fn measure(
        &self,
        jobs: &[Job],
        sides: &mut [SideRun<'_>; 2],
        tag: &str,
    ) -> Result<(Vec<TestComparison>, Vec<TestRecord>), CliError> {
        let measured = run_jobs(jobs, sides, self.run.scratch, tag)?;
        let (c, b) = (Side::Candidate.index(), Side::Base.index());
        let ratios: Vec<RoundRatios> = measured[b]
            .iter()
            .zip(&measured[c])
            .map(|(base, candidate)| RoundRatios::of(base, candidate))
            .collect();
        let tests: [&[DiscoveredTest]; 2] = [&self.tests.candidate, &self.tests.base];
        let mut records = finish_all(
            measured,
            &[
                (tests[c], &self.thresholds[c]),
                (tests[b], &self.thresholds[b]),
            ],
        );
        let base_records = std::mem::take(&mut records[b]);
        let candidate_records = std::mem::take(&mut records[c]);
        let mut metrics = Vec::new();
        let mut candidates = Vec::new();
        for (((test, ratios), base), candidate) in self
            .tests
            .candidate
            .iter()
            .zip(&ratios)
            .zip(base_records)
            .zip(candidate_records)
        {
            if let (Some(base), Some(candidate)) = (&base, &candidate) {
                metrics.extend(compare_pair(test, ratios, base, candidate));
            }
            candidates.extend(candidate);
        }
        Ok((metrics, candidates))
    }
}
