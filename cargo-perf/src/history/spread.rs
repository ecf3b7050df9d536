//! A history's run-to-run spread of each metric, as the drift between
//! runs that `--compare` allows for (see [`crate::verdict::drift`]).

use std::path::Path;

use perf_record::RunRecord;

use super::series::{self, Point, Setup, load};
use super::trend;
use crate::verdict::drift::{self, Drift, RunDrift};

/// The drift between runs of each metric that the history of the baseline
/// at `baseline` measured, where it has at least [`drift::MIN_RUNS`] runs
/// measured as `current` measured the test (`--quick` runs, or runs of
/// other lengths or processes, drift differently and are left out; see
/// [`crate::verdict::drift`]). `None` without a history.
pub fn drift(baseline: &Path, current: &RunRecord) -> Option<Drift> {
    let history = load(baseline).ok()?;
    // Only runs of the baseline's machine (the run saved last): another
    // machine's runs differ by more than noise, and would widen every
    // interval until a real slowdown reads as "within noise".
    let host = history.runs.last().map(|run| run.host.clone())?;
    let mut found = Drift::new();
    for test in &history.tests {
        let Some(now) = current.test(&test.id).map(Setup::of) else {
            continue;
        };
        for series in &test.series {
            let metric = series.metric;
            let alike: Vec<Point> = series
                .points
                .iter()
                .filter(|p| p.setup == now && history.runs[p.run].host == host)
                .copied()
                .collect();
            if !drift::METRICS.contains(&metric) || alike.len() < drift::MIN_RUNS {
                continue;
            }
            let values: Vec<f64> = alike.iter().map(|p| metric.scale.of(p.value)).collect();
            let splits = series::detect(metric, &alike);
            if let Some((sd_log, df)) = trend::robust_spread(&values, &splits) {
                found.insert(
                    (test.id.clone(), metric),
                    RunDrift {
                        sd_log,
                        df,
                        runs: alike.len(),
                    },
                );
            }
        }
    }
    (!found.is_empty()).then_some(found)
}

#[cfg(test)]
mod tests {
    use perf_record::metric::Metric;
    use perf_record::{RunRecord, TestRecord};

    use super::*;
    use crate::history::store;

    /// A run of one benchmark whose median is `median_ns`, with a ±1%
    /// interval, made at `unix_s` from `commit`.
    fn run(unix_s: u64, commit: &str, median_ns: f64) -> RunRecord {
        let mut stats = perf_record::BenchStats::from_samples(&[1.0, 2.0, 3.0], 1).unwrap();
        stats.median_ns = median_ns;
        stats.median_ci_low_ns = median_ns * 0.99;
        stats.median_ci_high_ns = median_ns * 1.01;
        let test: TestRecord = serde_json::from_value(serde_json::json!({
            "id": {"package": "p", "target": "t", "name": "n"},
            "kind": "bench",
            "config": {"warm_up_ns": 0, "measurement_ns": 0, "quick": false, "processes": 1},
            "outcome": {"status": "passed"},
            "stats": stats,
        }))
        .unwrap();
        RunRecord {
            split: None,
            shard: None,
            schema_version: perf_record::record::SCHEMA_VERSION,
            cargo_perf_version: "0".into(),
            created_unix_s: unix_s,
            created_utc: perf_record::record::format_utc(unix_s),
            environment: perf_record::Environment {
                git_commit: Some(commit.to_owned()),
                ..perf_record::Environment::default()
            },
            tests: vec![test],
        }
    }

    #[test]
    fn a_saved_history_gives_series_steps_and_drift() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        let medians = [100.0, 102.0, 99.0, 101.0, 200.0, 202.0];
        for (i, median) in medians.iter().enumerate() {
            let t = 1000 + 60 * i as u64;
            store::save(&path, &run(t, &format!("c{i}"), *median), 0).unwrap();
        }
        // A damaged run is left out and said, not fatal.
        std::fs::write(store::dir_of(&path).join("19700101T000000Z-bad.json"), "{").unwrap();
        let history = load(&path).unwrap();
        assert_eq!(history.runs.len(), 6);
        assert_eq!(history.unreadable.len(), 1, "{:?}", history.unreadable);
        let id = &history.tests[0].id;
        let series = history.series(id, Metric::MEDIAN).unwrap();
        assert_eq!(series.points.len(), 6);
        assert_eq!(series.points[4].interval, Some([198.0, 202.0]));
        let [step] = series.steps.as_slice() else {
            panic!("{:?}", series.steps);
        };
        assert_eq!(history.runs[step.run].git_commit.as_deref(), Some("c4"));
        assert_eq!(
            history.runs[step.previous_run].git_commit.as_deref(),
            Some("c3")
        );
        assert!((step.change - 100.0).abs() < 2.0, "{step:?}");
        assert!(step.worse);
        // The drift leaves the step out: the runs' spread around their
        // own level, about 1%, with 6 runs - 2 levels degrees of freedom.
        let current = run(2000, "c6", 200.0);
        let drift = drift(&path, &current).unwrap();
        let median = drift[&(id.clone(), Metric::MEDIAN)];
        assert_eq!((median.runs, median.df), (6, 4));
        assert!(median.sd_log > 0.005 && median.sd_log < 0.02, "{median:?}");
        assert!(super::drift(&dir.path().join("none.json"), &current).is_none());
        // A run measured otherwise (--quick here) lends no drift: its
        // history's runs were measured alike, and it was not.
        let mut quick = current.clone();
        quick.tests[0].config.quick = true;
        assert!(super::drift(&path, &quick).is_none());
    }

    #[test]
    fn only_the_baseline_s_machine_gives_the_drift() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        // Another machine's runs, far apart, then this machine's, close.
        let runs = [
            ("other", 60.0),
            ("other", 180.0),
            ("other", 90.0),
            ("ci-1", 100.0),
            ("ci-1", 101.0),
            ("ci-1", 99.5),
            ("ci-1", 100.5),
        ];
        for (i, (host, median)) in runs.iter().enumerate() {
            let mut record = run(1000 + 60 * i as u64, &format!("c{i}"), *median);
            record.environment.host = (*host).to_owned();
            store::save(&path, &record, 0).unwrap();
        }
        let current = run(5000, "now", 100.0);
        let id = current.tests[0].id.clone();
        let drift = drift(&path, &current).unwrap();
        let median = drift[&(id, Metric::MEDIAN)];
        assert_eq!(median.runs, 4, "{median:?}");
        assert!(median.sd_log < 0.02, "{median:?}");
    }
}
