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
                let runs = if test.listed.whole_run { 1 } else { passes };
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
mod tests {
    use super::*;

    fn test(name: &str, kind: TestKind, whole_run: bool) -> DiscoveredTest {
        let mut test = DiscoveredTest::example(name, kind);
        test.listed.whole_run = whole_run;
        test
    }

    fn options(processes: u32) -> RunOptions {
        RunOptions {
            processes,
            ..RunOptions::default()
        }
    }

    #[test]
    fn a_plain_run_goes_round_the_tests_and_runs_a_whole_run_once() {
        let tests = [
            test("a", TestKind::Bench, false),
            test("b", TestKind::Bench, false),
            test("load", TestKind::Load, false),
            test("soak", TestKind::Load, true),
        ];
        let jobs = plain(&tests, &options(3), &mut Draw::seeded(3), None);
        let m = |pass, share| Work::Measure { pass, share };
        let mut order: Vec<(usize, Work)> = jobs.iter().map(|j| (j.test, j.work)).collect();
        // The load tests' passes first (the whole run once), then the
        // benchmarks', pass by pass, each pass in an order of its own.
        order[..4].sort_by_key(|(t, w)| (format!("{w:?}"), *t));
        order[4..6].sort_by_key(|(t, _)| *t);
        order[6..8].sort_by_key(|(t, _)| *t);
        order[8..].sort_by_key(|(t, _)| *t);
        assert_eq!(
            order,
            [
                (2, m(0, 1)),
                (3, m(0, 1)),
                (2, m(1, 1)),
                (2, m(2, 1)),
                (0, m(0, 3)),
                (1, m(0, 3)),
                (0, m(1, 3)),
                (1, m(1, 3)),
                (0, m(2, 3)),
                (1, m(2, 3)),
            ]
        );
        assert!(jobs.iter().all(|j| j.side == Side::Candidate));
        // A load test's process runs a third of its workload; a whole run
        // all of it.
        for job in &jobs {
            let expected = match job.test {
                2 => Some(1.0 / 3.0),
                _ => None,
            };
            assert_eq!(job.options.duration_scale, expected, "{job:?}");
        }
        // Every process has a padding of its own.
        let pads: std::collections::BTreeSet<u16> = jobs.iter().map(|j| j.pad).collect();
        assert!(pads.len() > jobs.len() / 2, "{pads:?}");
    }

    #[test]
    fn plain_passes_are_ordered_afresh() {
        let tests: Vec<DiscoveredTest> = (0..6)
            .map(|i| test(&format!("t{i}"), TestKind::Bench, false))
            .collect();
        let jobs = plain(&tests, &options(4), &mut Draw::seeded(11), None);
        let passes: Vec<Vec<usize>> = jobs
            .chunks(6)
            .map(|c| c.iter().map(|j| j.test).collect())
            .collect();
        assert!(passes.iter().any(|p| p != &passes[0]), "{passes:?}");
    }

    #[test]
    fn a_plain_run_measures_one_package_s_load_tests_after_another_s() {
        let in_package = |name, kind, package: &str| {
            let mut test = test(name, kind, false);
            test.id.package = package.to_owned();
            test
        };
        let tests = [
            in_package("shop_load", TestKind::Load, "shop"),
            in_package("blog_bench", TestKind::Bench, "blog"),
            in_package("blog_load", TestKind::Load, "blog"),
            in_package("shop_more", TestKind::Load, "shop"),
        ];
        let jobs = plain(&tests, &options(2), &mut Draw::seeded(2), None);
        let order: Vec<(usize, u32)> = jobs
            .iter()
            .map(|j| match j.work {
                Work::Measure { pass, .. } => (j.test, pass),
                Work::CountInstructions => (j.test, u32::MAX),
            })
            .collect();
        // shop's passes go round its two tests (in an order drawn for each
        // pass), then blog's, then the benchmark's.
        let mut order = order;
        order[0..2].sort_unstable();
        order[2..4].sort_unstable();
        assert_eq!(
            order,
            [
                (0, 0),
                (3, 0),
                (0, 1),
                (3, 1),
                (2, 0),
                (2, 1),
                (1, 0),
                (1, 1)
            ]
        );
    }

    #[test]
    fn paired_rounds_are_balanced_spread_and_whole_runs_run_once_a_side() {
        let tests = [
            test("a", TestKind::Bench, false),
            test("soak", TestKind::Load, true),
            test("load", TestKind::Load, false),
            test("b", TestKind::Bench, false),
        ];
        let rounds = 6;
        let jobs = paired(&tests, &options(3), rounds, &mut Draw::seeded(5), None);
        assert_eq!(jobs.len(), 2 * (1 + 3 * rounds as usize));
        // Each round is its two sides back to back.
        for pair in jobs.chunks(2) {
            assert_eq!(pair[0].test, pair[1].test);
            assert_eq!(pair[0].work, pair[1].work);
            assert_ne!(pair[0].side, pair[1].side);
        }
        // The load tests' rounds first.
        let first_bench = jobs.iter().position(|j| j.test == 0 || j.test == 3);
        assert_eq!(first_bench, Some(2 * (1 + rounds as usize)));
        // Each test's rounds: every round once, base first in half.
        for t in [0, 2, 3] {
            let firsts: Vec<&Job> = jobs
                .chunks(2)
                .map(|p| &p[0])
                .filter(|j| j.test == t)
                .collect();
            let mut passes: Vec<u32> = firsts
                .iter()
                .map(|j| match j.work {
                    Work::Measure { pass, .. } => pass,
                    Work::CountInstructions => unreachable!(),
                })
                .collect();
            passes.sort_unstable();
            assert_eq!(passes, (0..rounds).collect::<Vec<_>>());
            let base_first = firsts.iter().filter(|j| j.side == Side::Base).count();
            assert_eq!(base_first, rounds as usize / 2);
        }
        // The benchmarks' rounds are interleaved, not one test's after the
        // other's.
        let bench_tests: Vec<usize> = jobs
            .chunks(2)
            .map(|p| p[0].test)
            .filter(|&t| t == 0 || t == 3)
            .collect();
        let switches = bench_tests.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(switches > 1, "{bench_tests:?}");
        // A whole run keeps its length; a round of a load test is 1/rounds;
        // a benchmark's process spends 1/rounds of its budget.
        for job in &jobs {
            let Work::Measure { share, .. } = job.work else {
                panic!("{job:?}");
            };
            match job.test {
                1 => assert_eq!((job.options.duration_scale, share), (None, 1)),
                2 => assert_eq!(
                    (job.options.duration_scale, share),
                    (Some(1.0 / f64::from(rounds)), 1)
                ),
                _ => assert_eq!((job.options.duration_scale, share), (None, rounds)),
            }
        }
    }

    #[test]
    fn a_confirming_rerun_keeps_the_flagged_tests_and_draws_afresh() {
        let tests = [
            test("a", TestKind::Bench, false),
            test("b", TestKind::Bench, false),
        ];
        let flagged = [tests[1].id.clone()];
        let mut draw = Draw::seeded(9);
        let first = paired(&tests, &options(1), 20, &mut draw, Some(&flagged));
        let again = paired(&tests, &options(1), 20, &mut draw, Some(&flagged));
        assert!(first.iter().chain(&again).all(|j| j.test == 1));
        assert_eq!(first.len(), again.len());
        let sides = |jobs: &[Job]| {
            jobs.iter()
                .map(|j| (j.side, j.work, j.pad))
                .collect::<Vec<_>>()
        };
        assert_ne!(sides(&first), sides(&again));
        let plain_again = plain(&tests, &options(3), &mut draw, Some(&flagged));
        assert_eq!(plain_again.len(), 3);
        assert!(plain_again.iter().all(|j| j.test == 1));
    }

    #[test]
    fn instructions_are_counted_after_every_measurement() {
        let mut counted = test("a", TestKind::Bench, false);
        counted.listed.instructions = true;
        let tests = [counted, test("b", TestKind::Bench, false)];
        let jobs = paired(&tests, &options(1), 2, &mut Draw::seeded(1), None);
        let counts: Vec<(usize, Side)> = jobs
            .iter()
            .filter(|j| j.work == Work::CountInstructions)
            .map(|j| (j.test, j.side))
            .collect();
        assert_eq!(counts, [(0, Side::Base), (0, Side::Candidate)]);
        assert_eq!(jobs.last().map(|j| j.work), Some(Work::CountInstructions));
    }

    #[test]
    fn a_staged_comparison_measures_each_round_once_and_load_tests_whole_first() {
        let tests = [
            test("bench", TestKind::Bench, false),
            test("load", TestKind::Load, false),
        ];
        let mut draw = Draw::seeded(9);
        let mut passes: Vec<(usize, Side, u32)> = Vec::new();
        for stage in [0..5, 5..10, 10..20] {
            let first = stage.start == 0;
            let jobs = paired_stage(&tests, &options(1), 20, stage, &mut draw, None);
            // The load test's 20 rounds all come with the first stage.
            assert_eq!(jobs.iter().any(|j| j.test == 1), first);
            assert!(jobs.iter().all(|j| j.work != Work::CountInstructions));
            for job in jobs {
                let Work::Measure { pass, share } = job.work else {
                    unreachable!("no instruction counts in a stage")
                };
                // Each process spends a 20th of the budget, whatever the stage.
                assert_eq!(share, if job.test == 0 { 20 } else { 1 });
                passes.push((job.test, job.side, pass));
            }
        }
        passes.sort_by_key(|&(t, side, pass)| (t, side.index(), pass));
        let mut expected: Vec<(usize, Side, u32)> = [0, 1]
            .into_iter()
            .flat_map(|t| {
                [Side::Candidate, Side::Base]
                    .into_iter()
                    .flat_map(move |side| (0..20).map(move |pass| (t, side, pass)))
            })
            .collect();
        expected.sort_by_key(|&(t, side, pass)| (t, side.index(), pass));
        assert_eq!(passes, expected);
    }
}
