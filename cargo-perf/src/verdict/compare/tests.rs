//! The verdict rule, tried on made-up records.

use super::*;
use crate::verdict::noise::NoiseWarning;

fn record(name: &str, process_medians: &[f64]) -> TestRecord {
    let mut samples = Vec::new();
    for m in process_medians {
        samples.extend([m * 0.99, *m, m * 1.01]);
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
            regression_threshold_pct: Some(10.0),
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

fn judged(tests: Vec<TestComparison>) -> Comparison {
    let mut comparison = Comparison {
        mode: CompareMode::Baseline,
        baseline_path: String::new(),
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

#[test]
fn a_real_slowdown_beyond_the_threshold_regresses() {
    let base = record("a", &[100.0, 101.0, 99.0]);
    let slow = record("a", &[150.0, 151.0, 149.0]);
    let comparison = judged(vec![bench_median(&base, &slow, None)]);
    assert_eq!(comparison.tests[0].verdict, Verdict::Regressed);
    assert_eq!(comparison.unconfirmed_tests().len(), 1);
}

#[test]
fn a_change_inside_the_threshold_or_inside_the_noise_does_not() {
    let base = record("a", &[100.0, 101.0, 99.0]);
    let near = record("a", &[104.0, 105.0, 103.0]);
    let noisy = record("a", &[100.0, 160.0, 110.0]);
    let comparison = judged(vec![
        bench_median(&base, &near, None),
        bench_median(&base, &noisy, None),
    ]);
    assert_eq!(comparison.tests[0].verdict, Verdict::Unchanged);
    assert_eq!(comparison.tests[1].verdict, Verdict::WithinNoise);
    assert!(
        comparison
            .noise_warnings
            .iter()
            .any(|w| matches!(w, NoiseWarning::NoisierThanThreshold { .. })),
        "{:?}",
        comparison.noise_warnings
    );
}

#[test]
fn unpaired_load_latency_is_shown_not_gated_but_errors_are() {
    let base = record("browse", &[100.0]);
    let at = |name: Metric, before: f64, after: f64| {
        metric(&base, name, (Some(before), Some(after)), None)
    };
    let comparison = judged(vec![
        at(Metric::P95, 100.0, 160.0),
        at(Metric::ERROR_RATE, 0.0, 3.0),
        at(Metric::P99, 100.0, 95.0),
    ]);
    let verdicts: Vec<Verdict> = comparison.tests.iter().map(|t| t.verdict).collect();
    assert_eq!(
        verdicts,
        [Verdict::WithinNoise, Verdict::Regressed, Verdict::Unchanged]
    );
    // The JSON report names the metric by its key, as it always has (the
    // keys themselves are pinned in perf-record's metric tests).
    let json = serde_json::to_value(&comparison.tests[1]).unwrap();
    assert_eq!(json["metric"], Metric::ERROR_RATE.key);
    assert_eq!(json["higher_is_better"], false);
    assert!(
        matches!(
            &comparison.noise_warnings[0],
            NoiseWarning::LoadRunDrift { metrics } if metrics == &["demo/perf::browse p95_us"]
        ),
        "{:?}",
        comparison.noise_warnings
    );
}

#[test]
fn kind_figures_follow_their_change_rule() {
    let base = record("catalog", &[100.0]);
    let at = |key: &str, before: f64, after: f64, higher: bool| {
        let figure = Metric::by_key(key).expect("a kind's figure");
        assert_eq!(figure.higher_is_better, higher, "{key}");
        metric(&base, figure, (Some(before), Some(after)), None)
    };
    let comparison = judged(vec![
        // A ratio of latencies, one run a side: shown, not gated.
        at("warm_speedup", 180.0, 90.0, true),
        // A share compared as a difference: 20 points is the limit.
        at("admitted_pct", 104.0, 160.0, false),
        at("admitted_pct", 104.0, 115.0, false),
        // Relative against the threshold.
        at("queries_per_request", 2.0, 11.0, false),
        // Read from one run's latencies: shown, not gated.
        at("knee_users", 16.0, 8.0, true),
    ]);
    let verdicts: Vec<Verdict> = comparison.tests.iter().map(|t| t.verdict).collect();
    assert_eq!(
        verdicts,
        [
            Verdict::WithinNoise,
            Verdict::Regressed,
            Verdict::Unchanged,
            Verdict::Regressed,
            Verdict::WithinNoise
        ]
    );
}

#[test]
fn paired_rounds_decide_on_their_ratios() {
    let base = record("a", &[100.0]);
    let slow = record("a", &[112.0]);
    let ratios = [1.12, 1.11, 1.13, 1.12, 1.12, 1.10, 1.12, 1.13];
    let flat = [1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.0];
    let comparison = judged(vec![
        bench_median(&base, &slow, Some(&ratios)),
        bench_median(&base, &base, Some(&flat)),
    ]);
    assert_eq!(comparison.tests[0].verdict, Verdict::Regressed);
    assert_eq!(comparison.tests[1].verdict, Verdict::Unchanged);
    assert!(comparison.noise_floor_pct.unwrap() < 2.0);
}

#[test]
fn a_regression_the_rerun_does_not_find_is_within_noise() {
    let base = record("a", &[100.0, 101.0, 99.0]);
    let slow = record("a", &[150.0, 151.0, 149.0]);
    let mut comparison = judged(vec![bench_median(&base, &slow, None)]);
    let rerun = judged(vec![bench_median(&base, &base, None)]);
    comparison.confirm(&rerun.tests);
    assert_eq!(comparison.tests[0].verdict, Verdict::WithinNoise);
    assert!(!comparison.tests[0].confirmation.unwrap().confirmed);
    let mut comparison = judged(vec![bench_median(&base, &slow, None)]);
    let rerun = judged(vec![bench_median(&base, &slow, None)]);
    comparison.confirm(&rerun.tests);
    assert_eq!(comparison.tests[0].verdict, Verdict::Regressed);
    assert!(comparison.unconfirmed_tests().is_empty());
}

#[test]
fn many_tests_raise_the_bar() {
    // One borderline change among twenty: Holm asks for more.
    let base = record("a", &[100.0, 101.0, 99.0]);
    let borderline = record("a", &[110.5, 113.0, 108.0]);
    let alone = judged(vec![bench_median(&base, &borderline, None)]);
    let mut many = vec![bench_median(&base, &borderline, None)];
    for _ in 0..19 {
        many.push(bench_median(&base, &base, None));
    }
    let many = judged(many);
    assert_eq!(alone.tests[0].verdict, Verdict::Regressed);
    assert_eq!(many.tests[0].verdict, Verdict::WithinNoise);
}

#[test]
fn configuration_changes_are_diffed() {
    let config = TestConfig {
        warm_up_ns: 1,
        measurement_ns: 2,
        quick: false,
        processes: 3,
        regression_threshold_pct: Some(10.0),
        load_overrides: None,
    };
    let mut quick = config.clone();
    quick.quick = true;
    quick.regression_threshold_pct = Some(5.0);
    assert_eq!(config_diff(&config, &config), None);
    let diff = config_diff(&config, &quick).unwrap();
    assert!(
        diff.contains("-  \"quick\": false") && diff.contains("+  \"quick\": true"),
        "{diff}"
    );
    assert!(!diff.contains("threshold"), "{diff}");
}

#[test]
fn a_quick_baseline_is_compared_with_a_re_run_in_several_processes() {
    // One process a side: no interval; the re-run's three give one.
    let quick = bench_median(&record("x", &[100.0]), &record("x", &[160.0]), None);
    assert!(quick.estimate.is_none());
    let slower = bench_median(
        &record("x", &[100.0]),
        &record("x", &[150.0, 151.0, 149.0]),
        None,
    );
    let estimate = slower
        .estimate
        .expect("three processes measure their spread");
    assert!(estimate.p_higher < 0.01, "{estimate:?}");
    let layout = bench_median(
        &record("x", &[172.0]),
        &record("x", &[174.0, 258.0, 173.0]),
        None,
    );
    let verdict = judged(vec![layout]).tests[0].verdict;
    assert_ne!(verdict, Verdict::Regressed);
}
