//! Saving baselines and comparing with them.

use perf_record::record::SCHEMA_VERSION;

use crate::support::{TempProject, names};

const QUICK_JSON: &[&str] = &["--quick", "--message-format", "json"];
/// The demo's micro-benchmarks (its load tests live in `demo/load`).
const BENCHES: &str = "demo/perf::";

#[test]
fn a_saved_baseline_holds_everything_needed_to_compare_later() {
    let project = TempProject::new("demo");
    let commit = project.git_init();
    let name = format!("e2e-{}", std::process::id());
    let output = project
        .cargo_perf()
        .args(QUICK_JSON)
        .args(&[BENCHES, "--save-baseline", &name])
        .run();
    output.assert_code(0);
    let path = crate::support::shared_target_dir().join(format!("perf/baselines/{name}.json"));
    assert_eq!(
        output.message("baseline-saved")["path"],
        path.display().to_string()
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).unwrap();
    // The named baseline's history, beside it: one run.
    let history = path.with_extension("");
    assert_eq!(std::fs::read_dir(&history).unwrap().count(), 1);
    std::fs::remove_dir_all(history).unwrap();
    assert_eq!(saved["schema_version"], SCHEMA_VERSION);
    assert_eq!(saved["environment"]["git_commit"], commit.as_str());
    assert!(
        saved["environment"]["rustc"]
            .as_str()
            .unwrap()
            .starts_with("rustc ")
    );
    assert!(!saved["environment"]["host"].as_str().unwrap().is_empty());
    let record: perf_record::RunRecord = serde_json::from_value(saved).unwrap();
    assert_eq!(
        record.tests.len(),
        6,
        "ignored tests are not run: {:?}",
        names(&record)
    );
    for test in &record.tests {
        let stats = test.stats.as_ref().unwrap();
        assert!(test.config.quick);
        assert_eq!(test.samples_ns.len() as u64, stats.rounds, "{}", test.id);
        assert!(stats.rounds >= 10);
        assert!(stats.min_ns <= stats.median_ns && stats.median_ns <= stats.max_ns);
        assert!(
            stats.median_ci_low_ns <= stats.median_ns && stats.median_ns <= stats.median_ci_high_ns
        );
        assert!(stats.q1_ns <= stats.median_ns && stats.median_ns <= stats.q3_ns);
        // A sample is far above the clock's resolution.
        assert!(
            stats.median_ns * stats.iterations_per_round as f64 >= 100.0 * test.timer_resolution_ns,
            "{}: {} x {} vs {}",
            test.id,
            stats.median_ns,
            stats.iterations_per_round,
            test.timer_resolution_ns
        );
    }
    // The same record is latest.json, and the human table shows it.
    let latest = crate::support::shared_target_dir().join("perf/latest.json");
    let latest: perf_record::RunRecord =
        serde_json::from_str(&std::fs::read_to_string(latest).unwrap()).unwrap();
    assert_eq!(latest, record);
}

#[test]
fn baselines_live_in_a_dir_or_at_a_path_and_compare_and_save_in_one_run() {
    let project = TempProject::new("demo");
    // What is tested is where baselines live, not the gate: no change of a
    // quick run may fail it, so `--threshold 1000%` below must apply to
    // every test, and word_frequencies' own 30% would take its place.
    project.edit(
        "benches/perf.rs",
        r#"#[perf_test(regression_threshold = "30%")]"#,
        "#[perf_test]",
    );
    let dir = project.root().join("history");
    let dir_arg = dir.to_str().unwrap();
    project
        .cargo_perf()
        .args(QUICK_JSON)
        .args(&[
            BENCHES,
            "--baseline-dir",
            dir_arg,
            "--save-baseline",
            "main",
        ])
        .run()
        .assert_code(0);
    assert!(dir.join("main.json").is_file());
    let file = project.root().join("artifacts/base.json");
    let output = project
        .cargo_perf()
        .args(QUICK_JSON)
        .args(&[
            BENCHES,
            "--baseline-dir",
            dir_arg,
            "--compare",
            "main",
            "--save-baseline",
            file.to_str().unwrap(),
            "--threshold",
            "1000%",
        ])
        .run();
    output.assert_code(0);
    let comparison = output.message("comparison");
    assert_eq!(
        comparison["comparison"]["tests"].as_array().unwrap().len(),
        6
    );
    assert!(file.is_file());
    let mut leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    leftovers.sort();
    // No temporary files are left; base/ is the baseline's history.
    assert_eq!(leftovers, ["base", "base.json"]);
    let history = std::fs::read_dir(file.with_file_name("base")).unwrap();
    assert_eq!(history.count(), 1);
    // A path works wherever a name does.
    let output = project
        .cargo_perf()
        .args(QUICK_JSON)
        .args(&[BENCHES, "--compare", file.to_str().unwrap()])
        .args(&["--threshold", "1000%"])
        .run();
    output.assert_code(0);
    assert_eq!(
        output.message("comparison")["comparison"]["baseline_path"],
        file.display().to_string()
    );
}

#[test]
fn tests_on_one_side_only_are_listed() {
    let project = TempProject::new("demo");
    let base = project.root().join("base.json");
    let base = base.to_str().unwrap();
    project
        .cargo_perf()
        .args(QUICK_JSON)
        .args(&["checksum", "--save-baseline", base])
        .run()
        .assert_code(0);
    let output = project
        .cargo_perf()
        .args(QUICK_JSON)
        .args(&["orders", "checksum_64k", "--compare", base])
        .run();
    let comparison = &output.message("comparison")["comparison"];
    let ids = |key: &str| -> Vec<String> {
        comparison[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("only_in_baseline"), ["checksum_pipeline"]);
    assert_eq!(ids("only_in_current"), ["parse_orders_1k"]);
    let human = project
        .cargo_perf()
        .args(&["--quick", "orders", "checksum_64k", "--compare", base])
        .run();
    assert!(
        human.stdout.contains("only in baseline"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("new (not in baseline)"),
        "{}",
        human.stdout
    );
}

#[test]
fn missing_corrupt_and_newer_baselines_exit_6_before_building() {
    let project = TempProject::new("demo");
    let dir = project.root().join("history");
    std::fs::create_dir_all(&dir).unwrap();
    let dir_arg = dir.to_str().unwrap();
    let output = project
        .cargo_perf()
        .args(&["--baseline-dir", dir_arg, "--compare", "main"])
        .run();
    output.assert_code(6);
    assert!(
        output
            .stderr
            .contains("history/main.json: it does not exist"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("--save-baseline"),
        "{}",
        output.stderr
    );
    assert!(
        !output.stderr.contains("Compiling"),
        "fails before building: {}",
        output.stderr
    );

    std::fs::write(
        dir.join("corrupt.json"),
        "{\"schema_version\": 1, \"tests\": [",
    )
    .unwrap();
    let output = project
        .cargo_perf()
        .args(&["--baseline-dir", dir_arg, "--compare", "corrupt"])
        .run();
    output.assert_code(6);
    assert!(
        output
            .stderr
            .contains("corrupt.json: it is not a valid cargo-perf record"),
        "{}",
        output.stderr
    );

    std::fs::write(dir.join("newer.json"), "{\"schema_version\": 99}").unwrap();
    let output = project
        .cargo_perf()
        .args(&["--baseline-dir", dir_arg, "--compare", "newer"])
        .run();
    output.assert_code(6);
    assert!(
        output
            .stderr
            .contains("newer.json: it uses schema version 99"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("upgrade cargo-perf"),
        "{}",
        output.stderr
    );
}

#[test]
fn json_output_is_json_lines_with_a_schema_version() {
    let project = TempProject::new("demo");
    let output = project
        .cargo_perf()
        .args(QUICK_JSON)
        .args(&["checksum_64k"])
        .run();
    output.assert_code(0);
    let lines = output.json_lines();
    let reasons: Vec<&str> = lines
        .iter()
        .map(|l| l["reason"].as_str().unwrap())
        .collect();
    // Every run writes its HTML report. A `findings` line comes before it
    // when there is something to say: on a busy machine, a quick run's
    // median can be known only to wider than its threshold.
    let lines: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["reason"] != "findings").collect();
    let reasons: Vec<&str> = reasons.into_iter().filter(|r| *r != "findings").collect();
    assert_eq!(reasons, ["run-finished", "report-written", "summary"]);
    assert!(lines.iter().all(|l| l["schema_version"] == SCHEMA_VERSION));
    assert!(
        lines[1]["path"]
            .as_str()
            .unwrap()
            .ends_with("perf/report/index.html"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["exit_code"], 0);
    // The human report of the same run is pinned by the snapshot in
    // snapshots.rs.
    assert_eq!(output.record().tests.len(), 1);
}
