//! Snapshots of the human reports, drawn from hand-built records: the
//! whole layout (columns, widths, rows, words and figures) as a user reads
//! it on a stdout that is not a terminal. A change shows as a diff of the
//! `.snap` files in `snapshots/`; `cargo insta review` accepts it.

use std::collections::BTreeMap;

use perf_record::finding::{Finding, Warning};
use perf_record::kinds::Kind;
use perf_record::load::{
    EndpointStats, ErrorKindStats, LatencySummary, LevelStats, LoadStats, RequestErrorKind,
    ServerStats, SweepStats, Transfer,
};
use perf_record::metric::Metric;
use perf_record::threshold::Threshold;
use perf_record::{
    BenchStats, Environment, Outliers, RunRecord, TestId, TestKind, TestOutcome, TestRecord,
};

use super::comparison::render_comparison;
use super::run::{render_list, render_run};
use crate::discover::DiscoveredTest;
use crate::verdict::compare::{CompareMode, Comparison, Confirmation, TestComparison, Verdict};
use crate::verdict::estimate::ChangeEstimate;
use crate::verdict::noise::NoiseWarning;

/// The report as printed where stdout is not a terminal: anstream strips
/// the colour escapes there, so the snapshot holds none either.
fn plain(report: &str) -> String {
    anstream::adapter::strip_str(report).to_string()
}

fn id(name: &str) -> TestId {
    crate::sample::id("perf", name)
}

fn test(name: &str, kind: TestKind) -> TestRecord {
    crate::sample::test("perf", name, kind)
}

/// A benchmark whose median is `median_ns`, measured in three processes.
fn bench(name: &str, median_ns: f64) -> TestRecord {
    TestRecord {
        stats: Some(BenchStats {
            rounds: 120,
            iterations_per_round: 4096,
            iterations: 120 * 4096,
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
            outliers: Outliers {
                low_severe: 0,
                low_mild: 1,
                high_mild: 3,
                high_severe: 2,
            },
            stopped: None,
        }),
        process_medians_ns: vec![median_ns * 0.99, median_ns, median_ns * 1.03],
        ..test(name, TestKind::Bench)
    }
}

fn latency(count: u64, p50_us: u64, p95_us: u64, p99_us: u64, max_us: u64) -> LatencySummary {
    LatencySummary {
        count,
        min_us: p50_us / 3,
        mean_us: p50_us as f64 * 1.1,
        p50_us,
        p90_us: p95_us * 9 / 10,
        p95_us,
        p99_us,
        p999_us: max_us * 9 / 10,
        max_us,
        histogram: String::new(),
    }
}

/// A 10-second load test on two endpoints, with a few 503s, its server
/// sampled, one threshold met and two missed.
fn load_test() -> TestRecord {
    let endpoint =
        |name: &str, count: u64, p95_us: u64, errors: u64, received: u64| EndpointStats {
            name: name.into(),
            rps: count as f64 / 10.0,
            errors,
            latency: latency(count, p95_us / 4, p95_us, p95_us * 2, p95_us * 5),
            transfer: Transfer::over(received, count * 120, 10.0),
            protocol: None,
        };
    let load = LoadStats {
        duration_s: 10.0,
        iterations: 2_400,
        requests: 4_800,
        rps: 480.0,
        transfer: Transfer::over(36 << 20, 576_000, 10.0),
        error_rate_pct: 0.25,
        latency: latency(4_800, 2_100, 18_400, 42_000, 131_000),
        endpoints: vec![
            endpoint("GET /api/items?page=1", 2_400, 9_800, 0, 30 << 20),
            endpoint("POST /api/orders", 2_400, 24_600, 12, 6 << 20),
        ],
        errors: BTreeMap::from([(
            RequestErrorKind::Status,
            ErrorKindStats {
                count: 12,
                first_messages: vec!["POST /api/orders: expected status 200, got 503".into()],
            },
        )]),
        status_codes: BTreeMap::from([(200, 4_788), (503, 12)]),
        // As a record written before warnings had codes holds it.
        warnings: vec![Warning::Note {
            code: "note".into(),
            message: "the load generator used 93% of a core: latency may include its own queueing"
                .into(),
        }],
        ..LoadStats::default()
    };
    let thresholds = [
        (
            Metric::P95.threshold_name(),
            "200ms",
            Some("Requirement 9.3"),
        ),
        (Metric::ERROR_RATE.threshold_name(), "0.1%", None),
        (Metric::THROUGHPUT.threshold_name(), ">=1000", None),
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
        server: Some(ServerStats {
            started_unix_ms: None,
            parts: Vec::new(),
            cpu_pct_mean: 41.6,
            cpu_pct_max: 97.2,
            rss_start_bytes: 18 << 20,
            rss_end_bytes: 21 << 20,
            rss_peak_bytes: 23 << 20,
            samples: Vec::new(),
        }),
        thresholds,
        ..test("browse_catalog", TestKind::Load)
    }
}

/// Two benchmarks, a load test and a benchmark that panicked.
fn run_record() -> RunRecord {
    let failed = TestRecord {
        outcome: TestOutcome::Failed {
            message: "panicked at benches/perf.rs:42:9: index out of bounds: the len is 3 but the index is 7"
                .into(),
        },
        ..test("parse_invoice", TestKind::Bench)
    };
    RunRecord {
        split: None,
        shard: None,
        schema_version: 1,
        cargo_perf_version: "0.1.0".into(),
        created_unix_s: 1_700_000_000,
        created_utc: "2023-11-14T22:13:20Z".into(),
        environment: Environment::default(),
        tests: vec![
            bench("parse_order", 18_204.0),
            bench("render_page", 1_342_500.0),
            load_test(),
            failed,
        ],
    }
}

#[test]
fn the_run_report() {
    insta::assert_snapshot!(plain(&render_run(&run_record())));
}

#[test]
fn the_list() {
    let tests = [
        DiscoveredTest::example("parse_order", TestKind::Bench),
        DiscoveredTest::example("browse_catalog", TestKind::Load),
    ];
    let mut ignored = DiscoveredTest::example("soak_overnight", TestKind::Load);
    ignored.listed.ignored = true;
    ignored.listed.ignore_reason = Some("runs for an hour".into());
    let listed: Vec<&DiscoveredTest> = tests.iter().chain([&ignored]).collect();
    insta::assert_snapshot!(plain(&render_list(&listed)));
}

#[test]
fn a_stress_sweep() {
    let level = |users: u32, p95_us: u64, error_rate_pct: f64, missed: &[&str]| LevelStats {
        level: u64::from(users),
        users,
        requests: u64::from(users) * 600,
        rps: f64::from(users) * 60.0,
        error_rate_pct,
        mean_us: p95_us as f64 / 3.0,
        p50_us: p95_us / 4,
        p95_us,
        p99_us: p95_us * 2,
        missed: missed.iter().map(|m| (*m).to_owned()).collect(),
        ..LevelStats::default()
    };
    let levels = vec![
        level(1, 3_100, 0.0, &[]),
        level(4, 8_700, 0.0, &[]),
        level(
            16,
            240_000,
            2.5,
            &[
                "p95 <= 200ms (measured 240.00 ms)",
                "error_rate <= 1% (measured 2.50%)",
            ],
        ),
    ];
    let sweep = SweepStats::of(
        Kind::Stress,
        levels,
        BTreeMap::from([("breaking_point".to_owned(), 4.0)]),
        vec![Finding::BreakingPoint {
            users: 4,
            broke_at: 16,
            missed: vec![
                "p95 <= 200ms (measured 240.00 ms)".into(),
                "error_rate <= 1% (measured 2.50%)".into(),
            ],
        }],
    );
    let stress = TestRecord {
        load: Some(LoadStats {
            duration_s: 30.0,
            requests: 12_600,
            rps: 420.0,
            latency: latency(12_600, 12_000, 230_000, 480_000, 910_000),
            sweep: Some(sweep),
            ..LoadStats::default()
        }),
        ..test("stress_orders", TestKind::Load)
    };
    let record = RunRecord {
        tests: vec![stress],
        ..run_record()
    };
    insta::assert_snapshot!(plain(&render_run(&record)));
}

/// One metric of one test, `base` → `current`, with an interval when
/// `ci_pct` is given (the change is then its centre).
fn metric(
    name: &str,
    metric: Metric,
    (base, current): (f64, f64),
    ci_pct: Option<[f64; 2]>,
    verdict: Verdict,
) -> TestComparison {
    let change_pct = match metric.absolute_limit() {
        Some(_) => current - base,
        None => (current / base - 1.0) * 100.0,
    };
    TestComparison {
        id: id(name),
        metric,
        verdict,
        higher_is_better: metric.higher_is_better,
        baseline_value: Some(base),
        current_value: Some(current),
        change_pct: Some(change_pct),
        estimate: ci_pct.map(|ci_pct| ChangeEstimate {
            change_pct,
            ci_pct,
            p_higher: 0.5,
            p_lower: 0.5,
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

fn comparison(mode: CompareMode, tests: Vec<TestComparison>) -> Comparison {
    Comparison {
        mode,
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
    }
}

#[test]
fn the_comparison_with_a_saved_baseline() {
    let mut regressed = metric(
        "parse_order",
        Metric::MEDIAN,
        (18_204.0, 22_391.0),
        Some([19.4, 26.8]),
        Verdict::Regressed,
    );
    regressed.confirmation = Some(Confirmation {
        change_pct: Some(21.9),
        ci_pct: Some([18.0, 25.7]),
        confirmed: true,
    });
    let mut unchanged = metric(
        "render_page",
        Metric::MEDIAN,
        (1_342_500.0, 1_358_600.0),
        Some([-0.8, 3.2]),
        Verdict::Unchanged,
    );
    unchanged.config_diff = Some(
        "--- baseline\n+++ current\n@@ -3,3 +3,3 @@\n   \"measurement_ns\": 3000000000,\n-  \"quick\": false,\n+  \"quick\": true,\n   \"processes\": 3\n"
            .into(),
    );
    let mut within_noise = metric(
        "browse_catalog",
        Metric::P95,
        (18_400.0, 21_900.0),
        None,
        Verdict::WithinNoise,
    );
    within_noise.confirmation = Some(Confirmation {
        change_pct: Some(3.1),
        ci_pct: None,
        confirmed: false,
    });
    let tests = vec![
        regressed,
        unchanged,
        within_noise,
        metric(
            "browse_catalog",
            Metric::THROUGHPUT,
            (480.0, 561.0),
            None,
            Verdict::Improved,
        ),
        metric(
            "browse_catalog",
            Metric::ERROR_RATE,
            (0.25, 0.21),
            None,
            Verdict::Unchanged,
        ),
    ];
    let comparison = Comparison {
        baseline_path: "target/perf/baselines/main.json".into(),
        baseline_created_utc: "2023-11-14T22:13:20Z".into(),
        baseline_git_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        environment_differences: vec!["cpus: 8 (baseline) vs 2 (now)".into()],
        only_in_baseline: vec![id("checkout")],
        only_in_current: vec![id("search")],
        noise_floor_pct: Some(2.4),
        noise_warnings: vec![NoiseWarning::LoadRunDrift {
            metrics: vec!["demo/perf::browse_catalog p95_us".into()],
        }],
        ..comparison(CompareMode::Baseline, tests)
    };
    insta::assert_snapshot!(plain(&render_comparison(&comparison)));
}

#[test]
fn the_comparison_with_a_revision_in_paired_rounds() {
    let mut regressed = metric(
        "parse_order",
        Metric::MEDIAN,
        (18_204.0, 20_391.0),
        Some([9.1, 15.0]),
        Verdict::Regressed,
    );
    regressed.confirmation = Some(Confirmation {
        change_pct: Some(11.6),
        ci_pct: Some([8.9, 14.2]),
        confirmed: true,
    });
    let tests = vec![
        regressed,
        metric(
            "render_page",
            Metric::MEDIAN,
            (1_342_500.0, 1_101_000.0),
            Some([-21.0, -15.0]),
            Verdict::Improved,
        ),
        metric(
            "browse_catalog",
            Metric::P95,
            (18_400.0, 18_900.0),
            Some([-4.0, 9.6]),
            Verdict::Unchanged,
        ),
        metric(
            "browse_catalog",
            Metric::P99,
            (42_000.0, 51_000.0),
            Some([-2.5, 45.3]),
            Verdict::WithinNoise,
        ),
    ];
    let comparison = Comparison {
        baseline_path: "commit 0123456789".into(),
        noise_floor_pct: Some(3.7),
        noise_warnings: vec![NoiseWarning::NoisierThanThreshold {
            id: id("browse_catalog"),
            metric: perf_record::metric::Metric::P99,
            noise_pct: 23.9,
            threshold_pct: 10.0,
            instructions_help: false,
        }],
        only_in_current: vec![id("search")],
        ..comparison(
            CompareMode::Paired {
                base_ref: "main".into(),
                rounds: 8,
            },
            tests,
        )
    };
    insta::assert_snapshot!(plain(&render_comparison(&comparison)));
}
