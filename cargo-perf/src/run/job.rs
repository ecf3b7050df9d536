//! The jobs of a run and the schedules that order them. A job is one test
//! on one side, measured in one process (or round), or its instructions
//! counted; a plain run, `--compare`, `--compare-ref` and a confirming
//! re-run are each a schedule of jobs, run by the one scheduler.

use perf_record::protocol::{DEFAULT_WARM_UP_NS, QUICK_WARM_UP_NS};
use perf_record::{TestId, TestKind};

use super::draw::Draw;
use super::options::RunOptions;
use super::side::Side;
use crate::discover::DiscoveredTest;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Work {
    /// Measure the test in a process that spends `1/share` of its budget;
    /// `pass` numbers the process (or the paired round) from 0.
    Measure {
        /// The process or round.
        pass: u32,
        /// Into how many processes the test's budget is split.
        share: u32,
    },
    /// Count the benchmark's instructions per iteration (after its
    /// measurement, whose median sets the iteration count).
    CountInstructions,
}

/// One unit of work for the scheduler.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// Index of the test, the same on every side.
    pub(crate) test: usize,
    /// Which build.
    pub(crate) side: Side,
    /// What to do.
    pub(crate) work: Work,
    /// The settings this job runs with.
    pub(crate) options: RunOptions,
    /// How the progress line names it after the test's id: ` (run 2 of 3)`.
    pub(crate) label: String,
    /// The length of its environment's padding, drawn for it (see
    /// [`Draw::pad`]).
    pub(crate) pad: u16,
}

/// A plain run: each test in `options.processes` processes, the passes
/// going round the tests (every test's first process, then every test's
/// second, ...) in an order drawn afresh for each pass, the load tests'
/// passes before the benchmarks', and one package's load tests before the
/// next package's, so that each package's server starts once. A
/// benchmark's process spends its share of the time budget, a load test's
/// runs its workload shortened to the same share; a test whose figures
/// need its whole length (a catalogue kind) runs once. A fresh process
/// draws a new address-space layout, new hash seeds, a fresh allocator and
/// (see [`Draw`]) a new padding of its environment, which move a
/// benchmark's median, and a server's latency, by several percent between
/// runs of the same binary; measuring several
/// shows that spread instead of hiding it, and a comparison with a saved
/// baseline is judged against it. Going round the tests spreads slow
/// drifts of the machine over every test alike. `only` keeps the tests it
/// names (a confirming re-run, with draws of its own).
pub(crate) fn plain(
    tests: &[DiscoveredTest],
    options: &RunOptions,
    draw: &mut Draw,
    only: Option<&[TestId]>,
) -> Vec<Job> {
    let passes = options.processes.max(1);
    let mut jobs = Vec::new();
    let mut load_packages: Vec<&str> = Vec::new();
    for test in tests.iter().filter(|t| t.listed.kind == TestKind::Load) {
        if !load_packages.contains(&test.id.package.as_str()) {
            load_packages.push(&test.id.package);
        }
    }
    // Load tests first, by package (`None`: the benchmarks): the servers
    // are stopped after the last of them, so that no benchmark shares the
    // machine with an idle server.
    for group in load_packages.into_iter().map(Some).chain([None]) {
        for pass in 0..passes {
            let mut round = Vec::new();
            for (index, test) in selected(tests, only) {
                let load = test.listed.kind == TestKind::Load;
                let runs = if options.runs_whole(test) { 1 } else { passes };
                let in_group = match group {
                    Some(package) => load && test.id.package == package,
                    None => !load,
                };
                if !in_group || pass >= runs {
                    continue;
                }
                let mut options = options.clone();
                if load && runs > 1 {
                    options.duration_scale =
                        Some(options.duration_scale.unwrap_or(1.0) / f64::from(runs));
                }
                round.push(Job {
                    test: index,
                    side: Side::Candidate,
                    work: Work::Measure {
                        pass,
                        share: if load { 1 } else { runs },
                    },
                    options,
                    label: if runs > 1 {
                        format!(" (run {} of {runs})", pass + 1)
                    } else {
                        String::new()
                    },
                    pad: draw.pad(),
                });
            }
            // The shares of a split run their load tests in one order, the
            // selection's: the j-th test of every share starts at the same
            // shared instant, so it must be the same test.
            if options.split.is_none() {
                draw.shuffle(&mut round);
            }
            jobs.extend(round);
        }
    }
    jobs.extend(instructions(tests, options, &[Side::Candidate], only));
    jobs
}

/// `--compare-ref`: base and candidate in `rounds` paired rounds a test,
/// each process spending `1/rounds` of the test's budget, so that drift,
/// warm-up and a busy neighbour hit both sides alike. Every round is two
/// fresh processes with paddings of their own; which side goes first is
/// drawn (balanced, see [`Draw::side_orders`]); and the rounds of all
/// tests run in one order drawn at random (the load tests' first), so
/// that a test's rounds are spread over the run instead of sharing one
/// stretch of the machine's state. A test whose figures need its whole
/// length (a catalogue kind) runs once a side instead, at full length.
/// `only` keeps the tests it names (a confirming re-run, with draws of its
/// own).
pub(crate) fn paired(
    tests: &[DiscoveredTest],
    options: &RunOptions,
    rounds: u32,
    draw: &mut Draw,
    only: Option<&[TestId]>,
) -> Vec<Job> {
    let mut jobs = paired_stage(tests, options, rounds, 0..rounds, draw, only);
    jobs.extend(instructions(
        tests,
        options,
        &[Side::Base, Side::Candidate],
        only,
    ));
    jobs
}

/// The rounds `stage` (numbered from 0, of `rounds` in all) of a
/// [`paired`] schedule, without its instruction counts: a comparison that
/// stops measuring a test once its question is answered (see
/// [`crate::verdict::stopping`]) schedules its rounds a stage at a time,
/// each process still spending `1/rounds` of the budget. The load tests'
/// and whole runs' rounds all come with the first stage.
pub(crate) fn paired_stage(
    tests: &[DiscoveredTest],
    options: &RunOptions,
    rounds: u32,
    stage: std::ops::Range<u32>,
    draw: &mut Draw,
    only: Option<&[TestId]>,
) -> Vec<Job> {
    let rounds = rounds.max(1);
    let first = stage.start == 0;
    // Each unit is one round: the two sides' jobs, in their drawn order.
    let mut load_units: Vec<Vec<Job>> = Vec::new();
    let mut bench_units: Vec<Vec<Job>> = Vec::new();
    for (index, test) in selected(tests, only) {
        let load = test.listed.kind == TestKind::Load;
        let units = if load {
            &mut load_units
        } else {
            &mut bench_units
        };
        let stage = if load || test.listed.whole_run {
            if !first {
                continue;
            }
            0..rounds
        } else {
            stage.start..stage.end.min(rounds)
        };
        if test.listed.whole_run {
            let order = draw.side_orders(1)[0];
            units.push(
                order
                    .into_iter()
                    .map(|side| Job {
                        test: index,
                        side,
                        work: Work::Measure { pass: 0, share: 1 },
                        options: options.clone(),
                        label: format!(" ({})", side.name()),
                        pad: draw.pad(),
                    })
                    .collect(),
            );
            continue;
        }
        let options = round_options(test, options, rounds);
        let share = if load { 1 } else { rounds };
        let orders = draw.side_orders(stage.len());
        for (round, order) in stage.zip(orders) {
            units.push(
                order
                    .into_iter()
                    .map(|side| Job {
                        test: index,
                        side,
                        work: Work::Measure { pass: round, share },
                        options: options.clone(),
                        label: format!(" ({}, round {} of {rounds})", side.name(), round + 1),
                        pad: draw.pad(),
                    })
                    .collect(),
            );
        }
    }
    draw.shuffle(&mut load_units);
    draw.shuffle(&mut bench_units);
    load_units
        .into_iter()
        .chain(bench_units)
        .flatten()
        .collect()
}

/// The settings of one paired round of `test`.
fn round_options(test: &DiscoveredTest, options: &RunOptions, rounds: u32) -> RunOptions {
    let mut options = options.clone();
    options.skip_calibration = true;
    if test.listed.kind == TestKind::Load {
        // Each side spends the test's usual length over all rounds, as
        // a benchmark does.
        options.duration_scale = Some(options.duration_scale.unwrap_or(1.0) / f64::from(rounds));
    } else {
        // Each process warms up for half its share of the warm-up time:
        // it starts on a machine the other side just warmed, and it keeps
        // a comparison within twice a plain run's time.
        let warm_up = options.warm_up.unwrap_or_else(|| {
            let ns = test.listed.warm_up_ns.unwrap_or(DEFAULT_WARM_UP_NS);
            let ns = if options.quick {
                ns.min(QUICK_WARM_UP_NS)
            } else {
                ns
            };
            std::time::Duration::from_nanos(ns)
        });
        options.warm_up = Some(warm_up / 2);
    }
    options
}

/// The tests `only` keeps (all of them without it), with their indices.
fn selected<'a>(
    tests: &'a [DiscoveredTest],
    only: Option<&'a [TestId]>,
) -> impl Iterator<Item = (usize, &'a DiscoveredTest)> + 'a {
    tests
        .iter()
        .enumerate()
        .filter(move |(_, t)| only.is_none_or(|ids| ids.contains(&t.id)))
}

/// Instruction counts for the benchmarks that ask for them (or all, with
/// `--instructions`), on each side, after every measurement.
pub(crate) fn instructions<'a>(
    tests: &'a [DiscoveredTest],
    options: &'a RunOptions,
    sides: &'a [Side],
    only: Option<&'a [TestId]>,
) -> impl Iterator<Item = Job> + 'a {
    selected(tests, only)
        .filter(|(_, t)| {
            t.listed.kind != TestKind::Load && (options.instructions || t.listed.instructions)
        })
        .flat_map(move |(index, _)| {
            sides.iter().map(move |&side| Job {
                test: index,
                side,
                work: Work::CountInstructions,
                options: options.clone(),
                label: format!(
                    " ({}instructions)",
                    if sides.len() > 1 {
                        format!("{}, ", side.name())
                    } else {
                        String::new()
                    }
                ),
                pad: 0,
            })
        })
}

#[cfg(test)]
mod tests;
