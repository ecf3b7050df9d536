//! The jobs of a run and the schedules that order them. A job is one test
//! on one side, measured in one process (or round), or its instructions
//! counted; a plain run, `--compare`, `--compare-ref` and a confirming
//! re-run are each a schedule of jobs, run by the one scheduler.

use perf_record::protocol::{DEFAULT_WARM_UP_NS, QUICK_WARM_UP_NS};
use perf_record::{TestId, TestKind};

use super::options::RunOptions;
use crate::discover::DiscoveredTest;

/// Which build a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The working tree: the run being judged.
    Candidate,
    /// `--compare-ref`'s base revision.
    Base,
}

impl Side {
    /// Its index in the scheduler's sides.
    pub(crate) fn index(self) -> usize {
        match self {
            Self::Candidate => 0,
            Self::Base => 1,
        }
    }

    /// Its name in progress lines and file names.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Candidate => "candidate",
            Self::Base => "base",
        }
    }
}

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
}

/// A plain run: each test in `options.processes` processes, the passes
/// going round the tests in turn (test 1, test 2, ..., test 1, test 2,
/// ...), the load tests' passes before the benchmarks', and one package's
/// load tests before the next package's, so that each package's server
/// starts once. A benchmark's process spends its share of the time
/// budget, a load test's runs its workload shortened to the same share; a
/// test whose figures need its whole length (a catalogue kind) runs once. A fresh
/// process draws a new address-space layout, new hash seeds and a fresh
/// allocator, which move a benchmark's median, and a server's latency, by
/// several percent between runs of the same binary; measuring several
/// shows that spread instead of hiding it, and a comparison with a saved
/// baseline is judged against it. Interleaving the passes spreads slow
/// drifts of the machine over every test alike.
pub(crate) fn plain(tests: &[DiscoveredTest], options: &RunOptions) -> Vec<Job> {
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
            for (index, test) in tests.iter().enumerate() {
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
                jobs.push(Job {
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
                });
            }
        }
    }
    jobs.extend(instruction_jobs(tests, options, &[Side::Candidate]));
    jobs
}

/// `--compare-ref`: test by test, base and candidate in `rounds`
/// alternating rounds (AB, BA, AB, ...), each process spending `1/rounds`
/// of the test's budget, so that drift, warm-up and a busy neighbour hit
/// both sides alike. A test whose figures need its whole length (a
/// catalogue kind) runs once a side instead, at full length.
pub(crate) fn paired(tests: &[DiscoveredTest], options: &RunOptions, rounds: u32) -> Vec<Job> {
    let rounds = rounds.max(1);
    let mut jobs = Vec::new();
    for (index, test) in tests.iter().enumerate() {
        let load = test.listed.kind == TestKind::Load;
        if test.listed.whole_run {
            for side in alternate(index) {
                jobs.push(Job {
                    test: index,
                    side,
                    work: Work::Measure { pass: 0, share: 1 },
                    options: options.clone(),
                    label: format!(" ({})", side.name()),
                });
            }
            continue;
        }
        let mut options = options.clone();
        if load {
            // Each side spends the test's usual length over all rounds, as
            // a benchmark does.
            options.duration_scale =
                Some(options.duration_scale.unwrap_or(1.0) / f64::from(rounds));
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
        let share = if load { 1 } else { rounds };
        for round in 0..rounds {
            for side in alternate(round as usize) {
                jobs.push(Job {
                    test: index,
                    side,
                    work: Work::Measure { pass: round, share },
                    options: options.clone(),
                    label: format!(" ({}, round {} of {rounds})", side.name(), round + 1),
                });
            }
        }
    }
    jobs.extend(instruction_jobs(
        tests,
        options,
        &[Side::Base, Side::Candidate],
    ));
    jobs
}

/// Which side goes first in the `n`th pairing: base then candidate, then
/// the other way round, so that neither always runs on a machine the other
/// just warmed.
fn alternate(n: usize) -> [Side; 2] {
    if n.is_multiple_of(2) {
        [Side::Base, Side::Candidate]
    } else {
        [Side::Candidate, Side::Base]
    }
}

/// The jobs of `schedule` that measure one of `flagged`: a confirming
/// re-run of those tests in the same schedule.
pub(crate) fn only(schedule: &[Job], tests: &[DiscoveredTest], flagged: &[TestId]) -> Vec<Job> {
    schedule
        .iter()
        .filter(|j| flagged.contains(&tests[j.test].id))
        .cloned()
        .collect()
}

/// Instruction counts for the benchmarks that ask for them (or all, with
/// `--instructions`), on each side, after every measurement.
fn instruction_jobs<'a>(
    tests: &'a [DiscoveredTest],
    options: &'a RunOptions,
    sides: &'a [Side],
) -> impl Iterator<Item = Job> + 'a {
    tests
        .iter()
        .enumerate()
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
            test("load", TestKind::Load, false),
            test("soak", TestKind::Load, true),
        ];
        let jobs = plain(&tests, &options(3));
        let order: Vec<(usize, Work)> = jobs.iter().map(|j| (j.test, j.work)).collect();
        let m = |pass, share| Work::Measure { pass, share };
        // The load tests' passes first, then the benchmark's.
        assert_eq!(
            order,
            [
                (1, m(0, 1)),
                (2, m(0, 1)),
                (1, m(1, 1)),
                (1, m(2, 1)),
                (0, m(0, 3)),
                (0, m(1, 3)),
                (0, m(2, 3)),
            ]
        );
        assert!(jobs.iter().all(|j| j.side == Side::Candidate));
        // A load test's process runs a third of its workload; a whole run
        // all of it.
        assert_eq!(jobs[0].options.duration_scale, Some(1.0 / 3.0));
        assert_eq!(jobs[1].options.duration_scale, None);
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
        let jobs = plain(&tests, &options(2));
        let order: Vec<(usize, u32)> = jobs
            .iter()
            .map(|j| match j.work {
                Work::Measure { pass, .. } => (j.test, pass),
                Work::CountInstructions => (j.test, u32::MAX),
            })
            .collect();
        // shop's passes go round its two tests, then blog's, then the
        // benchmark's.
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
    fn paired_rounds_alternate_and_whole_runs_run_once_a_side() {
        let tests = [
            test("a", TestKind::Bench, false),
            test("soak", TestKind::Load, true),
            test("load", TestKind::Load, false),
        ];
        let jobs = paired(&tests, &options(3), 2);
        let order: Vec<(usize, Side)> = jobs.iter().map(|j| (j.test, j.side)).collect();
        use Side::{Base as B, Candidate as C};
        assert_eq!(
            order,
            [
                (0, B),
                (0, C),
                (0, C),
                (0, B),
                (1, C),
                (1, B),
                (2, B),
                (2, C),
                (2, C),
                (2, B)
            ]
        );
        // A whole run keeps its length; a round of a load test is half.
        assert_eq!(jobs[4].options.duration_scale, None);
        assert_eq!(jobs[6].options.duration_scale, Some(0.5));
        assert_eq!(jobs[0].work, Work::Measure { pass: 0, share: 2 });
        assert_eq!(jobs[6].work, Work::Measure { pass: 0, share: 1 });
    }

    #[test]
    fn instructions_are_counted_after_every_measurement() {
        let mut counted = test("a", TestKind::Bench, false);
        counted.listed.instructions = true;
        let tests = [counted, test("b", TestKind::Bench, false)];
        let jobs = paired(&tests, &options(1), 2);
        let counts: Vec<(usize, Side)> = jobs
            .iter()
            .filter(|j| j.work == Work::CountInstructions)
            .map(|j| (j.test, j.side))
            .collect();
        assert_eq!(counts, [(0, Side::Base), (0, Side::Candidate)]);
        assert_eq!(jobs.last().map(|j| j.work), Some(Work::CountInstructions));
    }
}
