//! A plain run, compared with a saved baseline when `--compare` asks: the
//! candidate's tests in a plain schedule, and the flagged ones once more.

use std::path::PathBuf;

use perf_record::RunRecord;

use super::prepared::{Prepared, now_unix_s};
use crate::error::CliError;
use crate::run::draw::Draw;
use crate::run::finish::finish_all;
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
    )?;
    let mut sides = [SideRun {
        binaries: run.binaries,
        tests: run.selected,
        servers,
    }];
    let started = now_unix_s();
    let mut draw = Draw::fresh();
    let jobs = job::plain(run.selected, &run.options, &mut draw, None);
    let records = measure(run, &jobs, &mut sides, "")?;
    let record = run.record(started, records);
    // The baseline's saved runs, when it has some, measure how far each
    // metric drifts between runs.
    let drift = baseline
        .as_ref()
        .and_then(|(_, path)| history::drift(path, &record));
    let mut comparison = baseline.as_ref().map(|(old, path)| {
        let mut comparison = compare(old, path, &record);
        if let Some(drift) = &drift {
            verdict::drift::apply(&mut comparison, drift);
        }
        comparison
    });
    if let (Some(comparison), Some((old, _))) = (&mut comparison, &baseline) {
        confirm(comparison, "a re-run", |flagged| {
            // In fresh processes, at least three: one process a side
            // (`--quick`) cannot tell a change from how one process's
            // memory layout happened to fall, and three measure that.
            let options = RunOptions {
                processes: run.options.processes.max(CONFIRM_PROCESSES),
                ..run.options.clone()
            };
            let again = job::plain(run.selected, &options, &mut draw, Some(flagged));
            let records = measure(run, &again, &mut sides, "confirm-")?;
            let mut again: Vec<_> = records
                .iter()
                .filter_map(|new| {
                    let old = old.tests.iter().find(|t| t.id == new.id)?;
                    Some(compare_records(old, new))
                })
                .flatten()
                .collect();
            if let Some(drift) = &drift {
                verdict::drift::widen(&mut again, drift);
            }
            Ok(again)
        })?;
    }
    run.save_and_report(&record, comparison.as_ref())
}

/// The fewest processes a confirming re-run measures a test in.
const CONFIRM_PROCESSES: u32 = 3;

/// Runs `jobs` on the candidate and finishes the record of each test that
/// ran.
fn measure(
    run: &Prepared<'_>,
    jobs: &[Job],
    sides: &mut [SideRun<'_>; 1],
    tag: &str,
) -> Result<Vec<perf_record::TestRecord>, CliError> {
    let measured = run_jobs(jobs, sides, run.scratch, tag)?;
    let thresholds = run.thresholds();
    let [candidate] = <[_; 1]>::try_from(finish_all(measured, &[(run.selected, &thresholds)]))
        .unwrap_or_else(|_| [Vec::new()]);
    Ok(candidate.into_iter().flatten().collect())
}
