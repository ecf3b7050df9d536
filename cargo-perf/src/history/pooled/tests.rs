//! The pooled drift, on made-up histories.

use super::*;

/// A column of `values` (log scale) in one segment.
fn column(values: &[f64]) -> Vec<Option<(f64, usize)>> {
    values.iter().map(|v| Some((*v, 0))).collect()
}

#[test]
fn the_runs_levels_are_taken_out_and_the_tests_spread_is_left() {
    // Three runs whose machine moved by 0, +30% and −20%: every test moved
    // with it, give or take 1%.
    let machine = [0.0, 0.3f64.ln_1p(), (-0.2f64).ln_1p()];
    let wobble = [[0.01, -0.01, 0.0], [-0.01, 0.0, 0.01], [0.0, 0.01, -0.01]];
    let columns: Vec<_> = (0..3)
        .map(|c| {
            column(
                &(0..3)
                    .map(|r| c as f64 + machine[r] + wobble[c][r])
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let drift = fit(&columns, 3).unwrap();
    // 9 cells − 3 runs − 3 series + 1.
    assert_eq!((drift.df, drift.runs, drift.series), (4, 3, 3));
    // The machine's ±30% is gone; the 1% is left.
    assert!(drift.sd_log > 0.005 && drift.sd_log < 0.02, "{drift:?}");
}

#[test]
fn a_step_in_one_test_is_its_own_level_not_noise() {
    // Test 1 got 50% slower from the fourth run on.
    let columns = vec![
        column(&[0.0, 0.01, -0.01, 0.0, 0.01, -0.01]),
        column(&[1.0, 1.01, 0.99, 1.5, 1.49, 1.51]),
        column(&[2.0, 1.99, 2.01, 2.0, 2.01, 1.99]),
    ];
    let mut stepped = columns.clone();
    for cell in stepped[1].iter_mut().skip(3) {
        *cell = cell.map(|(v, _)| (v, 1));
    }
    let drift = fit(&stepped, 6).unwrap();
    assert!(drift.sd_log < 0.02, "{drift:?}");
    // Unsplit, the step would read as a noise of about 20%.
    let blurred = fit(&columns, 6).unwrap();
    assert!(blurred.sd_log > 0.1, "{blurred:?}");
    assert_eq!(drift.df + 1, blurred.df);
}

#[test]
fn one_run_or_one_series_pools_nothing() {
    assert!(fit(&[column(&[0.0]), column(&[1.0])], 1).is_none());
    assert!(fit(&[column(&[0.0, 0.1, 0.2])], 3).is_none());
    assert!(fit(&[], 0).is_none());
}

/// A saved run of three benchmarks whose medians are `levels` times
/// `machine`, and the calibration's processes at 5,000 ns times `machine`.
fn run(unix_s: u64, machine: f64, wobble: [f64; 3], host: &str) -> RunRecord {
    let tests = ["a", "b", "c"]
        .iter()
        .zip(wobble)
        .enumerate()
        .map(|(i, (name, w))| {
            let median = 1000.0 * (i + 1) as f64 * machine * w;
            let mut stats = perf_record::BenchStats::from_samples(&[1.0, 2.0, 3.0], 1).unwrap();
            stats.median_ns = median;
            stats.median_ci_low_ns = median * 0.99;
            stats.median_ci_high_ns = median * 1.01;
            serde_json::from_value(serde_json::json!({
                "id": {"package": "p", "target": "t", "name": name},
                "kind": "bench",
                "config": {"warm_up_ns": 0, "measurement_ns": 0, "quick": false, "processes": 3},
                "outcome": {"status": "passed"},
                "stats": stats,
            }))
            .unwrap()
        })
        .collect();
    RunRecord {
        schema_version: perf_record::record::SCHEMA_VERSION,
        cargo_perf_version: "0".into(),
        created_unix_s: unix_s,
        created_utc: perf_record::record::format_utc(unix_s),
        environment: perf_record::Environment {
            host: host.to_owned(),
            calibration: perf_record::calibration::Calibration::of([
                5000.0 * machine,
                5010.0 * machine,
            ]),
            ..perf_record::Environment::default()
        },
        tests,
        shard: None,
        split: None,
    }
}

#[test]
fn a_saved_history_pools_its_benchmarks_and_calibration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.json");
    // Three runs on a machine that moved by −10%, +25% and 0; each test
    // within 1% of its own level; and a run of another machine, left out.
    let runs = [
        (0.9, [1.01, 0.99, 1.0], "ci"),
        (1.25, [0.99, 1.0, 1.01], "ci"),
        (3.0, [1.3, 0.7, 1.0], "laptop"),
        (1.0, [1.0, 1.01, 0.99], "ci"),
    ];
    for (i, (machine, wobble, host)) in runs.iter().enumerate() {
        let record = run(1000 + 60 * i as u64, *machine, *wobble, host);
        super::super::store::save(&path, &record, 0).unwrap();
    }
    let current = run(5000, 1.4, [1.0; 3], "ci");
    let drift = pooled(&path, &current).unwrap();
    // 3 runs × 4 series (three tests, the calibration) − 3 − 4 + 1.
    assert_eq!((drift.runs, drift.series, drift.df), (3, 4, 6), "{drift:?}");
    assert!(drift.sd_log > 0.002 && drift.sd_log < 0.015, "{drift:?}");
    // Without the calibration now, its series is left out.
    let mut old = current.clone();
    old.environment.calibration = None;
    let drift = pooled(&path, &old).unwrap();
    assert_eq!((drift.series, drift.df), (3, 4), "{drift:?}");
    assert!(pooled(&dir.path().join("none.json"), &current).is_none());
}
