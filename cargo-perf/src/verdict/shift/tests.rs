//! The common shift and the judgment relative to it, on made-up runs.

use perf_record::calibration::{Calibration, WORKLOAD};
use perf_record::{TestConfig, TestId, TestKind, TestRecord};

use super::*;
use crate::verdict::compare::bench_median;
use crate::verdict::comparison::Verdict;

fn record(name: &str, process_medians: &[f64]) -> TestRecord {
    let mut samples = Vec::new();
    for m in process_medians {
        samples.extend([m * 0.995, *m, m * 1.005]);
    }
    TestRecord {
        id: TestId {
            package: "demo".into(),
            target: "perf".into(),
            name: name.into(),
        },
        kind: TestKind::Bench,
        config: TestConfig {
            warm_up_ns: 1,
            measurement_ns: 2,
            quick: false,
            processes: 3,
            regression_threshold_pct: Some(5.0),
            load_overrides: None,
        },
        outcome: perf_record::TestOutcome::Passed,
        stats: perf_record::BenchStats::from_samples(&samples, 1),
        samples_ns: samples,
        process_medians_ns: process_medians.to_vec(),
        timer_resolution_ns: 1.0,
        load: None,
        server: None,
        thresholds: Vec::new(),
        instructions: None,
    }
}

/// A comparison of tests named `t0`, `t1`, …: each with a base level
/// and three processes a side, the current side's processes `factor` times
/// the base's times a small per-process `wobble`.
fn comparison(factors: &[f64], wobble: &[f64; 3]) -> Comparison {
    let tests = factors
        .iter()
        .enumerate()
        .map(|(i, factor)| {
            let level = 1000.0 * (i + 1) as f64;
            let base: Vec<f64> = wobble.iter().map(|w| level * w).collect();
            let now: Vec<f64> = wobble.iter().rev().map(|w| level * factor * w).collect();
            bench_median(
                &record(&format!("t{i}"), &base),
                &record(&format!("t{i}"), &now),
                None,
            )
        })
        .collect();
    let mut comparison = Comparison {
        mode: CompareMode::Baseline,
        baseline_path: "main.json".into(),
        baseline_created_utc: String::new(),
        baseline_git_commit: None,
        environment_differences: Vec::new(),
        tests,
        only_in_baseline: Vec::new(),
        only_in_current: Vec::new(),
        noise_floor_pct: None,
        noise_warnings: Vec::new(),
        shift: None,
    };
    comparison.judge();
    comparison
}

fn calibration(median: f64) -> Calibration {
    Calibration {
        workload: WORKLOAD.to_owned(),
        process_medians_ns: [0.99, 1.0, 1.01, 1.005, 0.995, 1.0]
            .iter()
            .map(|w| median * w)
            .collect(),
    }
}

fn verdicts(comparison: &Comparison) -> Vec<Verdict> {
    comparison.tests.iter().map(|t| t.verdict).collect()
}

const WOBBLE: [f64; 3] = [0.99, 1.0, 1.012];

#[test]
fn a_machine_slower_as_a_whole_flags_nothing() {
    // Every test 40% slower, each a little differently; so is the
    // calibration: the machine, not the code.
    let factors = [1.40, 1.42, 1.38, 1.41, 1.39];
    let mut c = comparison(&factors, &WOBBLE);
    assert!(
        verdicts(&c).iter().all(|v| *v == Verdict::Regressed),
        "without controls every test reads as a regression: {:?}",
        verdicts(&c)
    );
    let (base, now) = (calibration(5000.0), calibration(7000.0));
    apply(&mut c, [Some(&base), Some(&now)], None);
    assert_eq!(verdicts(&c), [Verdict::Unchanged; 5]);
    let shift = c.shift.as_ref().unwrap();
    assert!((shift.change_pct - 40.0).abs() < 1.0, "{shift:?}");
    assert!(
        (shift.calibration_pct.unwrap() - 40.0).abs() < 0.5,
        "{shift:?}"
    );
    assert_eq!(shift.calibration_processes, Some([6, 6]));
    assert_eq!((shift.tests, shift.judged), (5, 5));
    assert!(!shift.uneven && shift.history_runs.is_none());
    // Five other controls for each test: four degrees of freedom.
    assert!((shift.df - 4.0).abs() < 1e-9, "{shift:?}");
    for test in &c.tests {
        let e = test.estimate.unwrap();
        assert!(e.change_pct.abs() < 2.0, "{e:?}");
        assert!((e.shift_pct.unwrap() - 40.0).abs() < 1.5, "{e:?}");
    }
    // The reports say so.
    let text = crate::report::comparison::shift_text(shift, &c.tests);
    assert!(
        text.starts_with("the machine ran 40.")
            && text.contains("% slower than when the baseline was saved")
            && text.contains("calibration +40.0% over 6 and 6 processes")
            && text.contains("the 5 benchmarks' median +40.")
            && text.contains("5 of 5 benchmarks' changes are judged relative to it"),
        "{text}"
    );
    let json = serde_json::to_value(&c).unwrap();
    assert!(json["shift"]["change_pct"].as_f64().unwrap() > 39.0);
    assert!(json["tests"][0]["estimate"]["shift_pct"].as_f64().is_some());
    assert!(json["tests"][0]["estimate"]["df"].as_f64().is_some());
}

#[test]
fn one_test_slower_on_top_of_the_machine_is_caught() {
    // A common +40%, and t2 another 25% on top of it.
    let factors = [1.40, 1.42, 1.40 * 1.25, 1.41, 1.39];
    let mut c = comparison(&factors, &WOBBLE);
    let (base, now) = (calibration(5000.0), calibration(7000.0));
    apply(&mut c, [Some(&base), Some(&now)], None);
    let shown: Vec<(Verdict, f64)> = c
        .tests
        .iter()
        .map(|t| (t.verdict, t.change_pct.unwrap()))
        .collect();
    assert_eq!(
        verdicts(&c),
        [
            Verdict::Unchanged,
            Verdict::Unchanged,
            Verdict::Regressed,
            Verdict::Unchanged,
            Verdict::Unchanged
        ],
        "{shown:?}"
    );
    // Its change is the 25% of its own, not the 75% it read.
    assert!((shown[2].1 - 25.0).abs() < 2.0, "{shown:?}");
    // Its reference left it out: the others' median, not one pulled up.
    let e = c.tests[2].estimate.unwrap();
    assert!((e.shift_pct.unwrap() - 40.5).abs() < 1.0, "{e:?}");
    assert!(e.ci_pct[0] > 5.0, "{e:?}");
}

#[test]
fn one_test_alone_is_judged_as_before() {
    let mut c = comparison(&[1.40], &WOBBLE);
    let before = c.clone();
    apply(&mut c, [None, None], None);
    assert_eq!(c, before);
    // With a calibration, one control is still too few to tell the
    // machine's spread around the shift.
    let (base, now) = (calibration(5000.0), calibration(7000.0));
    apply(&mut c, [Some(&base), Some(&now)], None);
    assert_eq!(c, before);
}

#[test]
fn an_old_baseline_without_a_calibration_changes_nothing_where_it_was_needed() {
    // Two tests: with the calibration they would be three controls; a
    // baseline saved before the calibration was kept has none, and two
    // controls cannot measure their own spread.
    let mut c = comparison(&[1.40, 1.10], &WOBBLE);
    let before = c.clone();
    let now = calibration(7000.0);
    apply(&mut c, [None, Some(&now)], None);
    assert_eq!(c, before);
    // A calibration of another workload is no control either.
    let mut other = calibration(5000.0);
    other.workload = "something-else/1".into();
    apply(&mut c, [Some(&other), Some(&now)], None);
    assert_eq!(c, before);
    // Paired rounds share the machine's state: never corrected.
    let mut paired = comparison(&[1.40, 1.42, 1.38, 1.41], &WOBBLE);
    paired.mode = CompareMode::Paired {
        base_ref: "HEAD".into(),
        rounds: 6,
    };
    let before = paired.clone();
    apply(&mut paired, [Some(&calibration(5000.0)), Some(&now)], None);
    assert_eq!(paired, before);
}

#[test]
fn a_history_pooled_across_tests_lends_its_degrees_of_freedom() {
    // The project: two tests, one 25% slower, on a machine 40%
    // slower; the calibration makes three controls, whose spread alone
    // rests on one degree of freedom: too few.
    let factors = [1.40 * 1.25, 1.41];
    let (base, now) = (calibration(5000.0), calibration(7000.0));
    let mut c = comparison(&factors, &WOBBLE);
    let before = c.clone();
    apply(&mut c, [Some(&base), Some(&now)], None);
    assert_eq!(c, before);
    // Ten saved runs of the three series, each ±1% around its run's
    // level: (10 − 1)·(3 − 1) = 18 degrees of freedom.
    let history = PooledDrift {
        sd_log: 0.01,
        df: 18,
        runs: 10,
        series: 3,
    };
    apply(&mut c, [Some(&base), Some(&now)], Some(&history));
    // t0's controls (t1 and the calibration) agree: judged on the pooled
    // spread. t1's (t0 and the calibration) disagree beyond what the
    // history allows, so the run's spread alone, on one degree of
    // freedom: not a regression, whatever it reads.
    assert_eq!(verdicts(&c)[0], Verdict::Regressed, "{:?}", c.tests);
    assert_ne!(verdicts(&c)[1], Verdict::Regressed, "{:?}", c.tests);
    assert!(c.shift.as_ref().unwrap().uneven);
    let shift = c.shift.as_ref().unwrap();
    assert_eq!((shift.history_runs, shift.history_df), (Some(10), Some(18)));
    assert!((shift.df - 19.0).abs() < 1e-9, "{shift:?}");
    assert_eq!(c.tests[0].estimate.unwrap().history_runs, Some(10));
}

#[test]
fn controls_that_spread_more_than_the_history_leave_it_out() {
    // The machine slowed the tests very unevenly this time (+20% .. +60%),
    // while the saved runs stayed within ±0.5% of each other.
    let factors = [1.20, 1.60, 1.35, 1.45, 1.25];
    let mut c = comparison(&factors, &WOBBLE);
    let history = PooledDrift {
        sd_log: 0.005,
        df: 40,
        runs: 10,
        series: 5,
    };
    apply(&mut c, [None, None], Some(&history));
    let shift = c.shift.as_ref().unwrap();
    assert!(shift.uneven, "{shift:?}");
    assert!(shift.history_runs.is_none(), "{shift:?}");
    // Nothing is flagged on the machine's unevenness.
    assert!(
        verdicts(&c).iter().all(|v| *v != Verdict::Regressed),
        "{:?}",
        c.tests
    );
}

#[test]
fn a_re_run_is_judged_against_the_shift_moved_by_its_calibration() {
    let factors = [1.40, 1.42, 1.40 * 1.25, 1.41, 1.39];
    let mut c = comparison(&factors, &WOBBLE);
    let (base, now) = (calibration(5000.0), calibration(7000.0));
    apply(&mut c, [Some(&base), Some(&now)], None);
    let shift = c.shift.clone().unwrap();
    // The re-run of t2 found the machine quieter (+20% instead of +40%),
    // and t2 25% slower on top of that.
    let mut again = comparison(&[1.20 * 1.25], &WOBBLE).tests;
    again[0].id.name = "t2".into();
    let quieter = calibration(6000.0);
    rerun(&mut again, &shift, Some(&quieter));
    let e = again[0].estimate.unwrap();
    assert!((e.change_pct - 25.0).abs() < 2.5, "{e:?}");
    assert!((e.shift_pct.unwrap() - 20.4).abs() < 1.5, "{e:?}");
    // Without its calibration, the first pass's shift stands: the quieter
    // machine hides the slowdown rather than invent one.
    let mut again = comparison(&[1.20 * 1.25], &WOBBLE).tests;
    again[0].id.name = "t2".into();
    rerun(&mut again, &shift, None);
    assert!(again[0].change_pct.unwrap() < 10.0, "{:?}", again[0]);
}

/// A standard normal draw (Box–Muller) from a seeded generator.
fn normal(rng: &mut fastrand::Rng) -> f64 {
    let u1 = rng.f64().max(1e-300);
    let u2 = rng.f64();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// One simulated comparison of six benchmarks and the calibration: a
/// common shift drawn anywhere from −20% to +60%, each test's own drift
/// (2%, how unevenly the machine moves it included) and per-process noise
/// (1.5%); test 0 is `slowdown` slower on top. Returns test 0's verdict and
/// whether any other test regressed.
fn simulate(rng: &mut fastrand::Rng, slowdown: f64) -> (Verdict, bool) {
    let shift = (rng.f64() * 0.8 - 0.2 + 1.0).ln();
    let process = |rng: &mut fastrand::Rng, level: f64| -> Vec<f64> {
        (0..3)
            .map(|_| level * (0.015 * normal(rng)).exp())
            .collect()
    };
    let mut tests = Vec::new();
    for i in 0..6 {
        let level = 1000.0 * (i + 1) as f64;
        let base = process(rng, level);
        let own = 0.02 * normal(rng) + if i == 0 { slowdown.ln() } else { 0.0 };
        let now = process(rng, level * (shift + own).exp());
        let name = format!("t{i}");
        tests.push(bench_median(
            &record(&name, &base),
            &record(&name, &now),
            None,
        ));
    }
    let cal = |rng: &mut fastrand::Rng, level: f64| Calibration {
        workload: WORKLOAD.to_owned(),
        process_medians_ns: (0..18)
            .map(|_| level * (0.01 * normal(rng)).exp())
            .collect(),
    };
    let base = cal(rng, 5000.0);
    let moved = shift + 0.02 * normal(rng);
    let now = cal(rng, 5000.0 * moved.exp());
    let mut c = comparison(&[], &WOBBLE);
    c.tests = tests;
    apply(&mut c, [Some(&base), Some(&now)], None);
    (
        c.tests[0].verdict,
        c.tests[1..].iter().any(|t| t.verdict == Verdict::Regressed),
    )
}

#[test]
fn on_simulated_runs_it_neither_cries_wolf_nor_misses_a_fifth() {
    let mut rng = fastrand::Rng::with_seed(20);
    let runs = 200;
    let mut false_alarms = 0;
    for _ in 0..runs {
        let (first, others) = simulate(&mut rng, 1.0);
        false_alarms += usize::from(first == Verdict::Regressed || others);
    }
    // Holm holds the family-wise rate at 5%, before the threshold and the
    // re-run cut it further.
    assert!(false_alarms <= runs / 20, "{false_alarms} of {runs}");
    let mut caught = 0;
    let mut others_flagged = 0;
    for _ in 0..runs {
        let (first, others) = simulate(&mut rng, 1.20);
        caught += usize::from(first == Verdict::Regressed);
        others_flagged += usize::from(others);
    }
    eprintln!(
        "simulated: {false_alarms} of {runs} A/A runs flagged a test; a 20% slowdown caught in \
         {caught} of {runs}, another test flagged in {others_flagged}"
    );
    assert!(caught >= runs * 95 / 100, "{caught} of {runs}");
    assert!(others_flagged <= runs / 20, "{others_flagged} of {runs}");
}

#[test]
fn a_machine_that_moved_two_tests_unevenly_flags_neither() {
    // What CPU hogs did to fixtures/logstats against three saved runs:
    // one test nearly three times slower (its long samples time-sliced),
    // the other 41% faster, the calibration unmoved; the saved runs had
    // agreed within 1%.
    let mut c = comparison(&[2.88, 0.59], &WOBBLE);
    assert_eq!(verdicts(&c)[0], Verdict::Regressed, "without controls");
    let history = PooledDrift {
        sd_log: 0.01,
        df: 4,
        runs: 3,
        series: 3,
    };
    let (base, now) = (calibration(5000.0), calibration(5190.0));
    apply(&mut c, [Some(&base), Some(&now)], Some(&history));
    let shift = c.shift.as_ref().unwrap();
    assert!(shift.uneven, "{shift:?}");
    assert!(
        verdicts(&c).iter().all(|v| *v != Verdict::Regressed),
        "{:?}",
        c.tests
    );
    // Each interval rests on its reference's one degree of freedom.
    assert!(c.tests.iter().all(|t| t.estimate.unwrap().df <= 1.0 + 1e-9));
}
