//! Unit tests of the findings.

use std::collections::BTreeMap;

use perf_record::load::{LoadStats, SweepStats};
use perf_record::threshold::Threshold;
use perf_record::{BenchStats, Environment, TestConfig, TestRecord};

use super::*;

fn test(name: &str, kind: TestKind) -> TestRecord {
    TestRecord {
        id: TestId {
            package: "demo".into(),
            target: "catalog".into(),
            name: name.into(),
        },
        kind,
        config: TestConfig {
            warm_up_ns: 0,
            measurement_ns: 0,
            quick: false,
            processes: 3,
            regression_threshold_pct: Some(5.0),
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

fn swept(name: &str, kind: Kind, metrics: &[(&str, f64)], findings: &[&str]) -> TestRecord {
    let sweep = SweepStats::of(
        kind,
        Vec::new(),
        metrics
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect::<BTreeMap<_, _>>(),
        findings.iter().map(|f| (*f).to_owned()).collect(),
    );
    TestRecord {
        load: Some(LoadStats {
            sweep: Some(sweep),
            ..LoadStats::default()
        }),
        ..test(name, TestKind::Load)
    }
}

fn run(tests: Vec<TestRecord>) -> Vec<Finding> {
    let record = RunRecord {
        schema_version: perf_record::record::SCHEMA_VERSION,
        cargo_perf_version: "0.1.0".into(),
        created_unix_s: 0,
        created_utc: String::new(),
        environment: Environment::default(),
        tests,
    };
    findings(&Source {
        record: &record,
        comparison: None,
        history: None,
    })
}

#[test]
fn a_leak_a_low_breaking_point_and_noise_are_found_once_each_worst_first() {
    let leak = swept(
        "soak_leaky",
        Kind::Soak,
        &[
            ("rss_growth_bytes_per_s", 6e6),
            ("rss_growth_ci_low", 5.9e6),
        ],
        &["LEAK: the server's memory keeps growing, 20000.0 MiB an hour at this rate"],
    );
    let mut stress = swept(
        "stress_fragile",
        Kind::Stress,
        &[("breaking_point", 8.0)],
        &[],
    );
    let load = stress.load.clone().unwrap();
    stress.thresholds = vec![
        Threshold::parse("breaking_point", ">= 16")
            .unwrap()
            .check(&load),
    ];
    let samples: Vec<f64> = (0..10).map(|i| 100.0 + f64::from(i % 5) * 20.0).collect();
    let noisy = TestRecord {
        stats: BenchStats::from_samples(&samples, 1),
        ..test("noisy", TestKind::Bench)
    };
    let found = run(vec![leak, stress, noisy]);
    let texts: Vec<(Severity, &str)> = found
        .iter()
        .map(|f| (f.severity, f.text.as_str()))
        .collect();
    assert_eq!(found.len(), 3, "{texts:#?}");
    assert_eq!(found[0].severity, Severity::Failure);
    assert_eq!(
        found[0].text,
        "demo/catalog::stress_fragile: the server breaks at 8 users, below the 16 it must hold (breaking_point >= 16)"
    );
    assert!(found[0].recommendation.contains("bottleneck"));
    assert_eq!(found[1].severity, Severity::Warning);
    assert!(found[1].text.contains("memory keeps growing"), "{texts:#?}");
    assert!(found[1].recommendation.contains("heap"));
    assert_eq!(found[2].severity, Severity::Warning);
    assert!(
        found[2]
            .text
            .starts_with("demo/catalog::noisy: its median is only known to ±"),
        "{texts:#?}"
    );
    assert!(found[2].recommendation.contains("--instructions"));
}

#[test]
fn a_healthy_run_finds_nothing() {
    let steady = swept(
        "soak_steady",
        Kind::Soak,
        &[
            ("rss_growth_bytes_per_s", 10.0),
            ("rss_growth_ci_low", -300.0),
        ],
        &["no leak: the server's memory is steady after the warm-up"],
    );
    assert_eq!(run(vec![steady]), Vec::new());
}

#[test]
fn noise_on_a_load_test_points_to_paired_rounds_not_instructions() {
    let record = crate::sample::record();
    let mut comparison = crate::sample::comparison();
    comparison.noise_warnings = vec![
        "demo/load::browse p95_us: noise ±40.0%: a 10% threshold cannot be checked here".into(),
        "demo/perf::checksum median_ns: noise ±12.0%: a 10% threshold cannot be checked here"
            .into(),
    ];
    let found = findings(&Source {
        record: &record,
        comparison: Some(&comparison),
        history: None,
    });
    let advice = |start: &str| {
        found
            .iter()
            .find(|f| f.text.starts_with(start))
            .map(|f| f.recommendation.as_str())
            .unwrap_or_else(|| panic!("no finding {start:?} in {found:#?}"))
    };
    assert!(advice("demo/load::browse p95_us").contains("--compare-ref REV"));
    assert!(advice("demo/perf::checksum median_ns").contains("--instructions"));
}
