//! The test catalogue: each kind against a demo endpoint with a planted
//! defect and against its healthy twin, in one CI-sized run.

use perf_record::load::SweepStats;
use perf_record::{RunRecord, TestRecord};

use crate::support::TempProject;

fn test<'a>(record: &'a RunRecord, name: &str) -> &'a TestRecord {
    record
        .tests
        .iter()
        .find(|t| t.id.name == name)
        .unwrap_or_else(|| panic!("no {name} in the record"))
}

fn sweep<'a>(record: &'a RunRecord, name: &str) -> &'a SweepStats {
    test(record, name)
        .load
        .as_ref()
        .and_then(|l| l.sweep.as_ref())
        .unwrap_or_else(|| panic!("{name} has no sweep"))
}

fn figure(record: &RunRecord, name: &str, key: &str) -> f64 {
    let sweep = sweep(record, name);
    *sweep
        .metrics
        .get(key)
        .unwrap_or_else(|| panic!("{name} has no {key}: {sweep:#?}"))
}

#[test]
fn each_kind_catches_its_planted_defect_and_passes_the_healthy_twin() {
    let project = TempProject::new("demo");
    let baseline = project.root().join("catalog.json");
    let baseline = baseline.to_str().unwrap();
    let output = project
        .cargo_perf()
        .args(&[
            "-F",
            "catalog",
            "demo/catalog::",
            "--duration-scale",
            "0.5",
            "--message-format",
            "json",
            "--save-baseline",
            baseline,
        ])
        .run();
    output.assert_code(11);
    let mut missed = output.summary_names("thresholds_missed");
    missed.sort();
    assert_eq!(
        missed,
        [
            "pagination_offset",
            "response_time_slow",
            "scalability_locked",
            "soak_leaky",
            "spike_sticky",
            "stress_fragile",
            "volume_quadratic"
        ],
        "the defective half, and only it, fails"
    );
    let record = output.record();

    // Stress: latency explodes past 8 in flight; the twin holds to the end.
    assert_eq!(figure(&record, "stress_fragile", "breaking_point"), 8.0);
    let fragile = sweep(&record, "stress_fragile");
    let last = fragile.levels.last().unwrap();
    assert_eq!(last.level, 16, "the sweep stops at the first broken level");
    assert!(last.missed[0].starts_with("p95 <= 50ms"), "{last:?}");
    assert_eq!(figure(&record, "stress_sturdy", "breaking_point"), 32.0);
    assert_eq!(sweep(&record, "stress_sturdy").levels.len(), 6);

    // Scalability: a global lock keeps throughput flat.
    let locked = figure(&record, "scalability_locked", "efficiency_pct");
    let free = figure(&record, "scalability_free", "efficiency_pct");
    assert!(locked < 35.0, "locked: {locked}%");
    assert!(free > 70.0, "free: {free}%");
    assert!(
        sweep(&record, "scalability_locked")
            .findings
            .iter()
            .any(|f| f.contains("stops growing past 1 user"))
    );

    // Volume: quadratic in the body size against a plain echo.
    let quadratic = figure(&record, "volume_quadratic", "growth");
    let linear = figure(&record, "volume_linear", "growth");
    assert!(quadratic > 1.2, "quadratic: {quadratic}");
    assert!(linear <= 1.2, "linear: {linear}");
    let sizes: Vec<u64> = sweep(&record, "volume_linear")
        .levels
        .iter()
        .map(|l| l.level)
        .collect();
    assert_eq!(sizes, [4096, 16_384, 65_536, 262_144]);

    // Pagination: OFFSET paging against keyset paging.
    let offset = figure(&record, "pagination_offset", "growth");
    let keyset = figure(&record, "pagination_keyset", "growth");
    assert!(offset > 0.5, "offset: {offset}");
    assert!(keyset <= 0.5, "keyset: {keyset}");

    // Spike: stays slow for 3 s after the burst, against one that recovers
    // at once (steps of 0.25 s at this scale; the recovery phase is 2 s).
    let sticky = figure(&record, "spike_sticky", "recovery_us");
    let elastic = figure(&record, "spike_elastic", "recovery_us");
    assert!(sticky >= 1.5e6, "sticky: {sticky} us");
    assert!(elastic <= 0.5e6, "elastic: {elastic} us");
    assert!(
        figure(&record, "spike_elastic", "spike_p95_us")
            > 3.0 * figure(&record, "spike_elastic", "baseline_p95_us"),
        "the spike was felt"
    );

    // Response time: 100 requests x 0.5, one user, one after the other.
    for name in ["response_time_slow", "response_time_fast"] {
        let load = test(&record, name).load.as_ref().unwrap();
        assert_eq!(load.iterations, 50, "{name}");
        assert_eq!(figure(&record, name, "requests"), 50.0);
    }

    // Soak: 4 KiB kept per request against the same work freed.
    let leaky = figure(&record, "soak_leaky", "rss_growth_bytes_per_s");
    let steady = figure(&record, "soak_steady", "rss_growth_bytes_per_s");
    assert!(leaky > 256.0 * 1024.0, "leaky: {leaky} B/s");
    assert!(steady < 16.0 * 1024.0, "steady: {steady} B/s");
    assert!(
        sweep(&record, "soak_leaky")
            .findings
            .iter()
            .any(|f| f.starts_with("LEAK"))
    );
    assert!(
        sweep(&record, "soak_steady")
            .findings
            .iter()
            .any(|f| f.starts_with("no leak"))
    );

    // Each failed test names the kind's threshold with its value.
    for (name, metric) in [
        ("stress_fragile", "breaking_point"),
        ("scalability_locked", "efficiency"),
        ("volume_quadratic", "growth"),
        ("pagination_offset", "growth"),
        ("spike_sticky", "recovery"),
        ("response_time_slow", "p95"),
        ("soak_leaky", "rss_growth"),
    ] {
        let result = test(&record, name)
            .thresholds
            .iter()
            .find(|t| t.threshold.metric == metric)
            .unwrap_or_else(|| panic!("{name} has no {metric} threshold"));
        assert!(!result.passed, "{name}: {result:?}");
    }
    for test in &record.tests {
        assert_eq!(
            test.load.as_ref().unwrap().error_rate_pct,
            0.0,
            "{}",
            test.id
        );
    }

    // The figures go into the baseline and take part in --compare, with
    // their direction.
    let saved: RunRecord =
        serde_json::from_str(&std::fs::read_to_string(baseline).unwrap()).unwrap();
    assert!(
        sweep(&saved, "volume_linear")
            .metrics
            .contains_key("growth")
    );
    let compared = project
        .cargo_perf()
        .args(&[
            "-F",
            "catalog",
            "demo/catalog::scalability_free",
            "--duration-scale",
            "0.5",
            "--threshold",
            "500%",
            "--message-format",
            "json",
            "--compare",
            baseline,
        ])
        .run();
    compared.assert_code(0);
    let comparison = compared.message("comparison");
    let efficiency = comparison["comparison"]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metric"] == "efficiency_pct")
        .unwrap_or_else(|| panic!("no efficiency in {comparison}"));
    assert_eq!(efficiency["higher_is_better"], true);
}
