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
    // A plain run's record keeps the calibration its processes time.
    assert!(jobs.iter().all(|j| !j.options.skip_calibration));
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
            // Each process spends a 20th of the budget, whatever the stage,
            // and none of it on the calibration no comparison reads.
            assert_eq!(share, if job.test == 0 { 20 } else { 1 });
            assert!(job.options.skip_calibration);
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
