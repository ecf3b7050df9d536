//! The one scheduler: runs a schedule of jobs one at a time (benchmarks
//! must not share the CPU), starting and stopping the server each load
//! test's side and package need around it, and collects what each (test,
//! side) measured.

use std::path::Path;

use perf_record::load::ServerStats;
use perf_record::{InstructionCount, TestRecord, TestResult};

use super::instructions::{self, Counter};
use super::job::{Job, Work};
use super::process::{Launch, run_process, summary_of};
use super::progress::Progress;
use crate::cargo::PerfBinary;
use crate::discover::DiscoveredTest;
use crate::error::CliError;
use crate::server::{Sampler, ServerManager};

/// One build's binaries, its tests (index-aligned with every other side's)
/// and the server its load tests run against.
pub(crate) struct SideRun<'a> {
    /// Its perf binaries.
    pub(crate) binaries: &'a [PerfBinary],
    /// Its tests, in the schedule's order.
    pub(crate) tests: &'a [DiscoveredTest],
    /// Its load tests' servers, one for each package.
    pub(crate) servers: ServerManager,
}

/// What the jobs of one test on one side measured.
#[derive(Debug, Default)]
pub(crate) struct Measured {
    /// Each process's (or round's) result, with its pass, in the order
    /// they ran (a paired schedule draws its rounds' order).
    pub(crate) results: Vec<(u32, TestResult)>,
    /// The record of its failure; a failed test is not run again.
    pub(crate) failure: Option<TestRecord>,
    /// The server, sampled during each load process, beside `results`
    /// (and last, the failed process's).
    pub(crate) servers: Vec<Option<ServerStats>>,
    /// Its instructions per iteration, when counted.
    pub(crate) instructions: Option<InstructionCount>,
}

/// Runs `jobs` on `sides` (indexed by [`Side::index`]) and returns what
/// each test measured, `[side][test]`. Every server is stopped when the
/// last load job is done, so the benchmarks after it do not share the
/// machine with an idle server. Stops early with
/// [`CliError::Interrupted`] after Ctrl-C or SIGTERM.
pub(crate) fn run_jobs(
    jobs: &[Job],
    sides: &mut [SideRun<'_>],
    scratch: &Path,
    tag: &str,
) -> Result<Vec<Vec<Measured>>, CliError> {
    let mut measured = nothing_measured(sides);
    run_more_jobs(jobs, sides, scratch, tag, &mut measured)?;
    Ok(measured)
}

/// An empty `[side][test]` table for [`run_more_jobs`] to fill.
pub(crate) fn nothing_measured(sides: &[SideRun<'_>]) -> Vec<Vec<Measured>> {
    sides
        .iter()
        .map(|side| side.tests.iter().map(|_| Measured::default()).collect())
        .collect()
}

/// [`run_jobs`] adding to what earlier jobs measured: a comparison that
/// measures its rounds in stages (see [`crate::verdict::stopping`]).
pub(crate) fn run_more_jobs(
    jobs: &[Job],
    sides: &mut [SideRun<'_>],
    scratch: &Path,
    tag: &str,
    measured: &mut [Vec<Measured>],
) -> Result<(), CliError> {
    let load: Vec<bool> = jobs
        .iter()
        .map(|job| {
            job.work != Work::CountInstructions
                && sides[job.side.index()].tests[job.test].listed.kind
                    == perf_record::TestKind::Load
        })
        .collect();
    let last_load = load.iter().rposition(|&l| l);
    let mut progress = Progress::new(jobs.len());
    let result = (|| {
        for (step, job) in jobs.iter().enumerate() {
            if crate::interrupt::interrupted() {
                return Err(CliError::Interrupted);
            }
            run_job(
                job,
                step + 1,
                load[step],
                sides,
                measured,
                &mut progress,
                scratch,
                tag,
            )?;
            if Some(step) == last_load {
                stop_servers(sides);
            }
        }
        Ok(())
    })();
    if result.is_err() {
        stop_servers(sides);
    }
    result?;
    if crate::interrupt::interrupted() {
        return Err(CliError::Interrupted);
    }
    Ok(())
}

fn stop_servers(sides: &mut [SideRun<'_>]) {
    for side in sides {
        side.servers.stop();
    }
}

#[expect(clippy::too_many_arguments, reason = "one call site, the loop above")]
fn run_job(
    job: &Job,
    step: usize,
    load: bool,
    sides: &mut [SideRun<'_>],
    measured: &mut [Vec<Measured>],
    progress: &mut Progress,
    scratch: &Path,
    tag: &str,
) -> Result<(), CliError> {
    let side_index = job.side.index();
    let test = &sides[side_index].tests[job.test];
    let slot = &mut measured[side_index][job.test];
    if slot.failure.is_some() {
        // A failed test is not run again: its failure is the news.
        return Ok(());
    }
    let binary = &sides[side_index].binaries[test.binary];
    progress.begin(format!(
        "[{step}/{}] {}{}",
        progress.total(),
        test.id,
        job.label
    ));
    let Work::Measure { pass, share } = job.work else {
        slot.instructions = count_instructions(test, binary, slot);
        progress.end(Some(match &slot.instructions {
            Some(count) => format!("{:.0} instructions per iteration", count.per_iteration),
            None => "not counted".to_owned(),
        }));
        return Ok(());
    };
    let test_package = test.id.package.clone();
    let (target, sampler) = if load {
        // One server at a time: another side's idle server would share
        // the machine (and a fixed `port`) with the one measured; within
        // the side, the test's package's server replaces another's.
        for (index, other) in sides.iter_mut().enumerate() {
            if index != side_index {
                other.servers.stop();
            }
        }
        let servers = &mut sides[side_index].servers;
        let url = servers.url_for_test(&test_package, &mut |line| progress.note(line))?;
        (Some(url), servers.sample())
    } else {
        (None, None)
    };
    let path = scratch.join(format!(
        "{tag}result-{}-{}-{pass}.jsonl",
        job.test,
        job.side.name()
    ));
    let side = &mut sides[side_index];
    let test = &side.tests[job.test];
    let outcome = run_process(
        test,
        &side.binaries[test.binary],
        Launch {
            options: &job.options,
            share,
            pad: job.pad,
        },
        target.as_deref(),
        &path,
        progress,
    )?;
    if load {
        slot.servers.push(sampler.and_then(Sampler::finish));
        side.servers.after_test()?;
    }
    match outcome {
        Ok(result) => {
            progress.end(Some(summary_of(&result)));
            slot.results.push((pass, result));
        }
        Err(failed) => {
            progress.end(None);
            slot.failure = Some(failed);
        }
    }
    Ok(())
}

/// Counts a measured benchmark's instructions; a count that fails is a
/// warning, not a failed test (the time was measured).
fn count_instructions(
    test: &DiscoveredTest,
    binary: &PerfBinary,
    measured: &Measured,
) -> Option<InstructionCount> {
    let mut medians: Vec<f64> = measured
        .results
        .iter()
        .filter_map(|(_, r)| r.stats.as_ref().map(|s| s.median_ns))
        .collect();
    medians.sort_by(f64::total_cmp);
    let median = *medians.get(medians.len() / 2)?;
    let Some(counter) = Counter::detect() else {
        eprintln!("warning: {}: {}", test.id, Counter::UNAVAILABLE);
        return None;
    };
    instructions::count(
        counter,
        test,
        &binary.executable,
        &binary.target.manifest_dir,
        median,
    )
    .map_err(|message| eprintln!("warning: {}: {message}", test.id))
    .ok()
}

/// The rounds both sides of a paired test completed, as (base, candidate)
/// results in the order the base's processes ran.
pub(crate) fn rounds<'m>(
    base: &'m Measured,
    candidate: &'m Measured,
) -> impl Iterator<Item = (&'m TestResult, &'m TestResult)> {
    base.results.iter().filter_map(|(pass, b)| {
        candidate
            .results
            .iter()
            .find(|(p, _)| p == pass)
            .map(|(_, c)| (b, c))
    })
}
