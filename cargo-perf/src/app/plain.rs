//! A plain run, compared with a saved baseline when `--compare` asks: the
//! candidate's tests in a plain schedule, and the flagged ones once more.

use std::path::PathBuf;

use perf_record::RunRecord;
use perf_record::calibration::Calibration;

use super::prepared::{Prepared, now_unix_s};
use crate::error::CliError;
use crate::run::draw::Draw;
use crate::run::finish::{calibration, finish_all};
use crate::run::job::{self, Job};
use crate::run::options::RunOptions;
use crate::run::scheduler::{SideRun, run_jobs};
use crate::server::prepare_servers;
use crate::verdict::compare::{compare, compare_records};
use crate::verdict::confirm::confirm;
use crate::verdict::gate::Summary;
use crate::{history, verdict};

/// Runs the selected tests, compares them with `baseline` if given, and
/// reports.
pub(crate) fn run(
    run: &Prepared<'_>,
    baseline: Option<(RunRecord, PathBuf)>,
) -> Result<Summary, CliError> {
    let args = run.args;
    let servers = prepare_servers(
        &args.cargo,
        args.target_url.clone(),
        args.allow_remote,
        run.workspace,
        run.package_configs,
        run.selected,
        &run.perf_dir.join("server.log"),
    )?
    .trusting(run.options.trust());
    let mut sides = [SideRun {
        binaries: run.binaries,
        tests: run.selected,
        servers,
    }];
    let started = now_unix_s();
    let mut draw = Draw::fresh();
    let jobs = job::plain(run.selected, &run.options, &mut draw, None);
    let (records, calibration) = measure(run, &jobs, &mut sides, "")?;
    let mut record = run.record(started, records);
    record.environment.calibration = calibration;
    // The baseline's saved runs, when it has some, measure how far each
    // metric drifts between runs, and how far the benchmarks stray from
    // each run's common level.
    let drift = baseline
        .as_ref()
        .and_then(|(_, path)| history::drift(path, &record));
    let pooled = baseline
        .as_ref()
        .and_then(|(_, path)| history::pooled(path, &record));
    let mut comparison = baseline.as_ref().map(|(old, path)| {
        let mut comparison = compare(old, path, &record);
        // The run's other benchmarks and the calibration as controls for
        // the machine's state, then each metric's own drift.
        let calibrations = [&old.environment, &record.environment].map(|e| e.calibration.as_ref());
        verdict::shift::apply(&mut comparison, calibrations, pooled.as_ref());
        if let Some(drift) = &drift {
            verdict::drift::apply(&mut comparison, drift);
        }
        comparison
    });
    if let (Some(comparison), Some((old, _))) = (&mut comparison, &baseline) {
        let shift = comparison.shift.clone();
        confirm(comparison, "a re-run", |flagged| {
            // In fresh processes, at least five: one process a side
            // (`--quick`) cannot tell a change from how one process's
            // memory layout happened to fall, three measure that, and
            // from five on one process whose layout fell badly is trimmed
            // (see `Side::from_medians`) instead of widening the interval
            // until the change it confirms is lost. The processes share
            // the test's budget: more of them cost no more time.
            let options = RunOptions {
                processes: run.options.processes.max(CONFIRM_PROCESSES),
                ..run.options.clone()
            };
            let again = job::plain(run.selected, &options, &mut draw, Some(flagged));
            let (records, calibration) = measure(run, &again, &mut sides, "confirm-")?;
            let mut again: Vec<_> = records
                .iter()
                .filter_map(|new| {
                    let old = old.tests.iter().find(|t| t.id == new.id)?;
                    Some(compare_records(old, new))
                })
                .flatten()
                .collect();
            if let Some(shift) = &shift {
                verdict::shift::rerun(&mut again, shift, calibration.as_ref());
            }
            if let Some(drift) = &drift {
                verdict::drift::widen(&mut again, drift);
            }
            Ok(again)
        })?;
    }
    run.save_and_report(&record, comparison.as_ref())
}

/// The fewest processes a confirming re-run measures a test in.
const CONFIRM_PROCESSES: u32 = 5;

/// Runs `jobs` on the candidate and finishes the record of each test that
/// ran; with the calibration its benchmark processes timed.
fn measure(
    run: &Prepared<'_>,
    jobs: &[Job],
    sides: &mut [SideRun<'_>; 1],
    tag: &str,
) -> Result<(Vec<perf_record::TestRecord>, Option<Calibration>), CliError> {
    let measured = run_jobs(jobs, sides, run.scratch, tag)?;
    let calibration = calibration(&measured, 0);
    let thresholds = run.thresholds();
    let [candidate] = <[_; 1]>::try_from(finish_all(measured, &[(run.selected, &thresholds)]))
        .unwrap_or_else(|_| [Vec::new()]);
    Ok((candidate.into_iter().flatten().collect(), calibration))
}
