//! Unit tests of the findings.

use std::collections::BTreeMap;

use perf_record::finding::{Finding as KindFinding, GENERATOR_SATURATED_PCT, Warning};
use perf_record::load::{LoadStats, SweepStats};
use perf_record::metric::Metric;

use crate::verdict::noise::NoiseWarning;
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

fn swept(
    name: &str,
    kind: Kind,
    metrics: &[(&str, f64)],
    findings: Vec<KindFinding>,
) -> TestRecord {
    let sweep = SweepStats::of(
        kind,
        Vec::new(),
        metrics
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect::<BTreeMap<_, _>>(),
        findings,
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
        split: None,
        shard: None,
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
        vec![KindFinding::Leak { bytes_per_s: 6e6 }],
    );
    let mut stress = swept(
        "stress_fragile",
        Kind::Stress,
        &[("breaking_point", 8.0)],
        Vec::new(),
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
    assert_eq!(
        found[1].text,
        "demo/catalog::soak_leaky: the server's memory keeps growing, 20599.4 MiB an hour at this rate"
    );
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
        vec![KindFinding::MemorySteady],
    );
    assert_eq!(run(vec![steady]), Vec::new());
}

#[test]
fn a_step_in_memory_is_a_note_and_a_leak_under_a_missed_threshold_is_said_once() {
    let step = swept(
        "soak_step",
        Kind::Soak,
        &[],
        vec![KindFinding::MemoryStep {
            rise_bytes: 65_536.0,
        }],
    );
    let found = run(vec![step]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Note);
    assert_eq!(
        found[0].text,
        "demo/catalog::soak_step: no leak: the server's memory rose by 64 KiB in one half of the hold \
         only, a step rather than a climb (hold longer to be sure)"
    );
    let mut gated = swept(
        "soak_gated",
        Kind::Soak,
        &[("rss_growth_bytes_per_s", 6e6)],
        vec![KindFinding::Leak { bytes_per_s: 6e6 }],
    );
    let load = gated.load.clone().unwrap();
    gated.thresholds = vec![
        Threshold::parse("rss_growth", "<= 16KB/s")
            .unwrap()
            .check(&load),
    ];
    let found = run(vec![gated]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Failure);
}

#[test]
fn a_saturated_generator_is_found_by_its_figure_or_its_warning_and_said_once() {
    let load_test = |name: &str, cpu_pct: f64, warnings: Vec<Warning>| TestRecord {
        load: Some(LoadStats {
            generator_cpu_pct: cpu_pct,
            warnings,
            ..LoadStats::default()
        }),
        ..test(name, TestKind::Load)
    };
    let saturated = Warning::GeneratorSaturated {
        cpu_pct: 97.0,
        threads: 2,
    };
    let found = run(vec![
        load_test("at_the_line", GENERATOR_SATURATED_PCT, Vec::new()),
        load_test("above_it", GENERATOR_SATURATED_PCT + 1.0, Vec::new()),
        // Merged processes: one saturated, the mean below the line.
        load_test(
            "one_process",
            60.0,
            vec![
                saturated,
                Warning::MostlyFailed {
                    failed: 9,
                    requests: 10,
                },
            ],
        ),
    ]);
    let about = |name: &str| -> Vec<&Finding> {
        found
            .iter()
            .filter(|f| f.test.as_ref().is_some_and(|t| t.name == name))
            .collect()
    };
    assert!(about("at_the_line").is_empty(), "{found:#?}");
    let above = about("above_it");
    assert_eq!(above.len(), 1, "{found:#?}");
    assert!(
        above[0]
            .recommendation
            .contains("CARGO_PERF_GENERATOR_THREADS")
    );
    let one = about("one_process");
    assert_eq!(one.len(), 2, "{found:#?}");
    assert!(
        one[0]
            .recommendation
            .contains("CARGO_PERF_GENERATOR_THREADS")
    );
    assert_eq!(
        one[1].text,
        "demo/catalog::one_process: 9 of 10 requests failed: the latency and throughput figures \
         describe only the answered ones"
    );
    assert!(one[1].recommendation.contains("with care"));
}

#[test]
fn noise_on_a_load_test_points_to_paired_rounds_not_instructions() {
    let record = crate::sample::record();
    let mut comparison = crate::sample::comparison();
    let noisy = |target: &str, name: &str, metric, noise_pct| NoiseWarning::NoisierThanThreshold {
        id: TestId {
            package: "demo".into(),
            target: target.into(),
            name: name.into(),
        },
        metric,
        noise_pct,
        threshold_pct: 10.0,
        instructions_help: metric == Metric::MEDIAN,
    };
    let drift = NoiseWarning::LoadRunDrift {
        metrics: vec!["demo/load::search p99_us".into()],
    };
    comparison.noise_warnings = vec![
        noisy("load", "browse", Metric::P95, 40.0),
        noisy("perf", "checksum", Metric::MEDIAN, 12.0),
        drift.clone(),
    ];
    let found = findings(&Source {
        record: &record,
        comparison: Some(&comparison),
        history: None,
    });
    let advice = |warning: &NoiseWarning| {
        let text = warning.to_string();
        found
            .iter()
            .find(|f| f.text == text)
            .map(|f| f.recommendation.as_str())
            .unwrap_or_else(|| panic!("no finding {text:?} in {found:#?}"))
    };
    let [browse, checksum, drift] = &comparison.noise_warnings[..] else {
        panic!("three warnings")
    };
    assert!(advice(browse).contains("--compare-ref REV"));
    assert!(advice(checksum).contains("--instructions"));
    assert!(advice(drift).contains("--compare-ref REV"));
}
