//! `--compare-ref REV`: the base revision and the working tree run side by
//! side in one paired schedule, compared round by round (each benchmark's
//! rounds stopping once its change is clearly on one side of its
//! threshold), and the flagged tests paired once more.

use perf_record::{StopReason, TestId, TestKind, TestRecord};

use super::prepared::{Prepared, now_unix_s, selection};
use crate::discover::DiscoveredTest;
use crate::error::CliError;
use crate::run::draw::Draw;
use crate::run::finish::finish_all;
use crate::run::job;
use crate::run::paired::{BaseSide, Pairing, RoundRatios, compare_pair};
use crate::run::scheduler::{Measured, SideRun, nothing_measured, run_jobs, run_more_jobs};
use crate::run::side::Side;
use crate::run::worktree::BaseCommit;
use crate::server::prepare_servers;
use crate::verdict::compare::{CompareMode, Comparison, TestComparison};
use crate::verdict::confirm::confirm;
use crate::verdict::gate::Summary;
use crate::verdict::stopping::Looks;
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
    let paired = Paired {
        run,
        tests: &pairing,
        thresholds: &thresholds,
    };
    let (measured, stopped) = paired.measure_until_decided(rounds, &mut draw, &mut sides)?;
    let (mut metrics, records) = paired.judge(measured);
    for metric in &mut metrics {
        if metric.metric == perf_record::metric::Metric::MEDIAN {
            metric.stopped = stopped
                .iter()
                .find(|(id, _)| *id == metric.id)
                .map(|(_, why)| *why);
        }
    }
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
            let measured = run_jobs(&again, &mut sides, run.scratch, "confirm-")?;
            Ok(paired.judge(measured).0)
        },
    )?;
    let record = run.record(started, records);
    run.save_and_report(&record, Some(&comparison))
}

/// Why each benchmark's paired rounds stopped.
type StopReasons = Vec<(TestId, StopReason)>;

/// What a paired schedule needs to turn its measurements into metrics.
struct Paired<'a> {
    run: &'a Prepared<'a>,
    tests: &'a Pairing,
    /// Each side's thresholds, by [`Side::index`].
    thresholds: &'a [Thresholds<'a>; 2],
}

impl Paired<'_> {
    /// Measures at most `rounds` paired rounds a test, in stages that
    /// double the rounds measured (see [`Looks`]): after each stage, a
    /// benchmark whose change is clearly on one side of its threshold
    /// stops. Returns what was measured and why each benchmark stopped.
    fn measure_until_decided(
        &self,
        rounds: u32,
        draw: &mut Draw,
        sides: &mut [SideRun<'_>; 2],
    ) -> Result<(Vec<Vec<Measured>>, StopReasons), CliError> {
        let tests = &self.tests.candidate;
        let looks = Looks::new(rounds);
        let last = looks.count() - 1;
        let (c, b) = (Side::Candidate.index(), Side::Base.index());
        let mut measured = nothing_measured(sides);
        let mut open: Vec<TestId> = tests.iter().map(|t| t.id.clone()).collect();
        let mut stopped = Vec::new();
        for (look, stage) in looks.stages().enumerate() {
            let only = (look > 0).then_some(open.as_slice());
            let jobs = job::paired_stage(tests, &self.run.options, rounds, stage, draw, only);
            run_more_jobs(&jobs, sides, self.run.scratch, "", &mut measured)?;
            if look == last {
                break;
            }
            open.retain(|id| {
                let Some(index) = tests.iter().position(|t| &t.id == id) else {
                    return false;
                };
                let test = &tests[index];
                if test.listed.kind == TestKind::Load || test.listed.whole_run {
                    // Measured whole in the first stage.
                    return false;
                }
                let ratios = RoundRatios::of(&measured[b][index], &measured[c][index]).median;
                let threshold = self.thresholds[c]
                    .regression_pct(test.listed.regression_threshold_pct, &test.id.package);
                let decided = looks.decided(&ratios, threshold);
                if decided {
                    stopped.push((id.clone(), StopReason::Decided));
                }
                !decided
            });
            if open.is_empty() {
                break;
            }
        }
        for test in tests {
            if test.listed.kind != TestKind::Load
                && !test.listed.whole_run
                && !stopped.iter().any(|(id, _)| *id == test.id)
            {
                stopped.push((test.id.clone(), StopReason::TimeLimit));
            }
        }
        let counts: Vec<_> = job::instructions(
            tests,
            &self.run.options,
            &[Side::Base, Side::Candidate],
            None,
        )
        .collect();
        run_more_jobs(&counts, sides, self.run.scratch, "", &mut measured)?;
        Ok((measured, stopped))
    }

    /// Every metric of the tests that ran on both sides in `measured`,
    /// and the candidate's records.
    fn judge(&self, measured: Vec<Vec<Measured>>) -> (Vec<TestComparison>, Vec<TestRecord>) {
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
        (metrics, candidates)
    }
}
