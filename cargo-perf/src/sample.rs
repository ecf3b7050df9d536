//! A hand-built run for the reports' tests (and the builders of test
//! records they share): a benchmark that regressed,
//! one unchanged whose name needs escaping everywhere, one that panicked,
//! a load test (with its real HDR histogram) that missed a threshold, and
//! a test only in the baseline.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use perf_record::load::{
    EndpointStats, ErrorKindStats, LatencySummary, LoadStats, RequestErrorKind, Second, Transfer,
};
use perf_record::metric::Metric;
use perf_record::threshold::Threshold;
use perf_record::{
    BenchStats, Environment, InstructionCount, Outliers, RunRecord, TestConfig, TestId, TestKind,
    TestOutcome, TestRecord,
};

use crate::verdict::compare::{CompareMode, Comparison, Confirmation, TestComparison, Verdict};
use crate::verdict::estimate::ChangeEstimate;

/// The name that needs escaping in every format: Markdown's table pipe
/// and emphasis, XML's markup, CSV's quote and comma.
pub(crate) const ODD_NAME: &str = "parse <a|b> *fast*, \"quoted\"";

/// The panic message of the failed test: markup, a pipe, a terminal
/// colour escape (not allowed in XML) and a second line.
pub(crate) const PANIC: &str =
    "panicked at benches/perf.rs:42:9: \u{1b}[31mindex <7> & len 3|oops\u{1b}[0m\nsecond line";

pub(crate) fn id(target: &str, name: &str) -> TestId {
    TestId {
        package: "demo".into(),
        target: target.into(),
        name: name.into(),
    }
}

/// A test record of `kind` with nothing measured yet.
pub(crate) fn test(target: &str, name: &str, kind: TestKind) -> TestRecord {
    TestRecord {
        id: id(target, name),
        kind,
        config: TestConfig {
            warm_up_ns: 1_000_000_000,
            measurement_ns: 3_000_000_000,
            quick: false,
            processes: 3,
            regression_threshold_pct: Some(10.0),
            load_overrides: None,
        },
        outcome: TestOutcome::Passed,
        stats: None,
        samples_ns: Vec::new(),
        process_medians_ns: Vec::new(),
        timer_resolution_ns: 20.0,
        load: None,
        server: None,
        thresholds: Vec::new(),
        instructions: None,
    }
}

/// A benchmark whose median is `median_ns`.
pub(crate) fn bench(name: &str, median_ns: f64) -> TestRecord {
    TestRecord {
        stats: Some(BenchStats {
            rounds: 100,
            iterations_per_round: 1000,
            iterations: 100_000,
            min_ns: median_ns * 0.95,
            max_ns: median_ns * 1.4,
            mean_ns: median_ns * 1.02,
            stddev_ns: median_ns * 0.04,
            median_ns,
            q1_ns: median_ns * 0.99,
            q3_ns: median_ns * 1.03,
            iqr_ns: median_ns * 0.04,
            median_ci_low_ns: median_ns * 0.99,
            median_ci_high_ns: median_ns * 1.01,
            outliers: Outliers::default(),
            stopped: None,
        }),
        process_medians_ns: vec![median_ns * 0.99, median_ns, median_ns * 1.03],
        ..test("perf", name, TestKind::Bench)
    }
}

/// A latency summary of `latencies_us`, with its serialized histogram.
pub(crate) fn latency(latencies_us: &[u64]) -> LatencySummary {
    let mut hist = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3).unwrap();
    for &us in latencies_us {
        hist.record(us).unwrap();
    }
    LatencySummary {
        count: hist.len(),
        min_us: hist.min(),
        mean_us: hist.mean(),
        p50_us: hist.value_at_quantile(0.5),
        p90_us: hist.value_at_quantile(0.9),
        p95_us: hist.value_at_quantile(0.95),
        p99_us: hist.value_at_quantile(0.99),
        p999_us: hist.value_at_quantile(0.999),
        max_us: hist.max(),
        histogram: crate::histogram::encode(&hist).unwrap(),
    }
}

/// 1..=100 ms, one request each: the p-th percentile is p ms.
pub(crate) fn one_to_hundred_ms() -> Vec<u64> {
    (1..=100).map(|ms| ms * 1000).collect()
}

/// A 2-second load test on two endpoints, with errors, missing its p95
/// threshold and meeting its rps one.
pub(crate) fn load_test() -> TestRecord {
    let endpoint = |name: &str, latencies: &[u64], errors: u64| EndpointStats {
        name: name.into(),
        rps: latencies.len() as f64 / 2.0,
        errors,
        latency: latency(latencies),
        transfer: Transfer::over(latencies.len() as u64 * 1000, 0, 2.0),
        protocol: None,
    };
    let all = one_to_hundred_ms();
    let (fast, slow): (Vec<u64>, Vec<u64>) = all.iter().partition(|&&us| us <= 50_000);
    let load = LoadStats {
        duration_s: 2.0,
        iterations: 100,
        requests: 100,
        rps: 50.0,
        transfer: Transfer::over(100_000, 12_000, 2.0),
        error_rate_pct: 3.0,
        latency: latency(&all),
        endpoints: vec![
            endpoint("GET /items?page=1", &fast, 0),
            endpoint("POST /orders, \"bulk\"", &slow, 3),
        ],
        errors: BTreeMap::from([(
            RequestErrorKind::Status,
            ErrorKindStats {
                count: 3,
                first_messages: vec!["POST /orders: expected status 200, got 503".into()],
            },
        )]),
        status_codes: BTreeMap::from([(200, 97), (503, 3)]),
        timeline: vec![
            Second {
                histogram: String::new(),
                part: 0,
                t: 0,
                requests: 40,
                errors: 1,
                p50_us: 30_000,
                p95_us: 80_000,
                p99_us: 90_000,
                active: 4,
            },
            Second {
                histogram: String::new(),
                part: 0,
                t: 1,
                requests: 60,
                errors: 2,
                p50_us: 60_000,
                p95_us: 96_000,
                p99_us: 99_000,
                active: 8,
            },
        ],
        ..LoadStats::default()
    };
    let thresholds = [
        (
            Metric::P95.threshold_name(),
            "50ms",
            Some("Requirement 9.3"),
        ),
        (Metric::THROUGHPUT.threshold_name(), ">= 10", None),
    ]
    .into_iter()
    .map(|(metric, limit, name)| {
        Threshold::declared(metric, limit, name)
            .unwrap()
            .check(&load)
    })
    .collect();
    TestRecord {
        load: Some(load),
        thresholds,
        ..test("load", "browse_catalog", TestKind::Load)
    }
}

/// The run: see the module docs.
pub(crate) fn record() -> RunRecord {
    let failed = TestRecord {
        outcome: TestOutcome::Failed {
            message: PANIC.into(),
        },
        ..test("perf", "explodes", TestKind::Bench)
    };
    let mut regressed = bench("checksum_64k", 3_900.0);
    regressed.instructions = Some(InstructionCount {
        per_iteration: 52_000.0,
        iterations: 1000,
        counter: "perf".into(),
    });
    RunRecord {
        split: None,
        shard: None,
        schema_version: perf_record::record::SCHEMA_VERSION,
        cargo_perf_version: "0.1.0".into(),
        created_unix_s: 1_700_000_000,
        created_utc: "2023-11-14T22:13:20Z".into(),
        environment: Environment {
            git_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            host: "ci-runner".into(),
            ..Environment::default()
        },
        tests: vec![regressed, bench(ODD_NAME, 1_200.0), failed, load_test()],
    }
}

/// One compared metric of one test.
pub(crate) fn metric(
    test: &TestId,
    metric: Metric,
    (base, current): (f64, f64),
    ci_pct: Option<[f64; 2]>,
    verdict: Verdict,
) -> TestComparison {
    let change_pct = (current / base - 1.0) * 100.0;
    TestComparison {
        id: test.clone(),
        metric,
        verdict,
        higher_is_better: metric.higher_is_better,
        baseline_value: Some(base),
        current_value: Some(current),
        change_pct: Some(change_pct),
        estimate: ci_pct.map(|ci_pct| ChangeEstimate {
            change_pct,
            ci_pct,
            p_higher: 0.001,
            p_lower: 0.999,
            n: 3,
            history_runs: None,
            df: 4.0,
            se_log: 0.0,
            shift_pct: None,
        }),
        baseline_interval: None,
        current_interval: None,
        threshold_pct: 10.0,
        confirmation: None,
        config_diff: None,
        stopped: None,
    }
}

/// The run compared with a saved baseline: `checksum_64k` regressed
/// (confirmed), the odd name unchanged, the load test's p95 within noise.
pub(crate) fn comparison() -> Comparison {
    let mut regressed = metric(
        &id("perf", "checksum_64k"),
        Metric::MEDIAN,
        (2_000.0, 3_900.0),
        Some([90.1, 101.2]),
        Verdict::Regressed,
    );
    regressed.confirmation = Some(Confirmation {
        change_pct: Some(93.0),
        ci_pct: Some([88.0, 99.0]),
        confirmed: true,
    });
    Comparison {
        mode: CompareMode::Baseline,
        baseline_path: "target/perf/baselines/main.json".into(),
        baseline_created_utc: "2023-11-13T10:00:00Z".into(),
        baseline_git_commit: None,
        environment_differences: Vec::new(),
        tests: vec![
            regressed,
            metric(
                &id("perf", ODD_NAME),
                Metric::MEDIAN,
                (1_190.0, 1_200.0),
                Some([-1.0, 2.5]),
                Verdict::Unchanged,
            ),
            metric(
                &id("load", "browse_catalog"),
                Metric::P95,
                (80_000.0, 95_000.0),
                None,
                Verdict::WithinNoise,
            ),
        ],
        only_in_baseline: vec![id("perf", "retired")],
        only_in_current: Vec::new(),
        noise_floor_pct: Some(2.0),
        noise_warnings: Vec::new(),
        shift: None,
    }
}
