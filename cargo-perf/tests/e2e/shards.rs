//! A run dealt into test-list shards (`--shard`) and merged back into one
//! run (`cargo perf merge`).

use std::path::Path;

use perf_record::RunRecord;

use crate::support::{TempProject, names};

/// The demo's micro-benchmarks (its load tests live in `demo/load`).
const BENCHES: &str = "demo/perf::";

#[test]
fn three_count_shards_merge_into_the_tests_of_one_run() {
    let project = TempProject::new("demo");
    let shards = tempfile::tempdir().unwrap();
    let listed = project
        .cargo_perf()
        .args(&["--list", "--message-format", "json", BENCHES])
        .run();
    listed.assert_code(0);
    let mut whole: Vec<String> = listed.message("test-list")["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["ignored"] == false)
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    whole.sort();
    let mut dealt: Vec<Vec<String>> = Vec::new();
    for index in 1..=3 {
        let spec = format!("count:{index}/3");
        let output = project
            .cargo_perf()
            .args(&[
                "--quick",
                "--message-format",
                "json",
                BENCHES,
                "--shard",
                &spec,
            ])
            .run();
        output.assert_code(0);
        let record = output.record();
        let shard = record.shard.as_ref().expect("a shard's record says so");
        assert_eq!(shard.to_string(), spec);
        dealt.push(names(&record).iter().map(ToString::to_string).collect());
        std::fs::write(
            shards.path().join(format!("shard-{index}.json")),
            serde_json::to_string(&record).unwrap(),
        )
        .unwrap();
    }
    // Round-robin over the sorted names: two each, none twice.
    assert!(dealt.iter().all(|d| d.len() == 2), "{dealt:?}");
    let mut union: Vec<String> = dealt.concat();
    union.sort();
    assert_eq!(union, whole);

    // The merge, from the folder: one run of every test, gated and
    // reported as a run is.
    let merged_path = shards.path().join("merged.json");
    let merged_path_text = merged_path.display().to_string();
    let junit = shards.path().join("junit.xml");
    let output = project
        .cargo_perf()
        .args(&["merge", &shards.path().display().to_string()])
        .args(&[
            "-o",
            &merged_path_text,
            "--junit",
            &junit.display().to_string(),
        ])
        .args(&["--message-format", "json"])
        .run();
    output.assert_code(0);
    let merged = output.record();
    assert_eq!(merged.shard, None);
    let mut merged_names: Vec<String> = names(&merged).iter().map(ToString::to_string).collect();
    merged_names.sort();
    assert_eq!(merged_names, whole);
    let written: RunRecord =
        serde_json::from_str(&std::fs::read_to_string(&merged_path).unwrap()).unwrap();
    assert_eq!(written, merged);
    assert_eq!(output.message("summary")["tests"], whole.len());
    let junit = std::fs::read_to_string(junit).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), whole.len(), "{junit}");
    // Each test as its shard measured it.
    for index in 1..=3 {
        let shard = read(&shards.path().join(format!("shard-{index}.json")));
        for test in &shard.tests {
            assert_eq!(merged.test(&test.id), Some(test));
        }
    }

    // A missing shard is refused, naming the run's first file; exit 2.
    std::fs::remove_file(&merged_path).unwrap();
    let partial = project
        .cargo_perf()
        .args(&["merge"])
        .args(&[
            &shards.path().join("shard-1.json").display().to_string(),
            &shards.path().join("shard-2.json").display().to_string(),
        ])
        .run();
    partial.assert_code(2);
    assert!(
        partial.stderr.contains("shard-1.json") && partial.stderr.contains("shard(s) 3 of 3"),
        "{}",
        partial.stderr
    );
}

fn read(path: &Path) -> RunRecord {
    RunRecord::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The test names a comparison judged, and those it found only in the
/// baseline.
fn compared(output: &crate::support::Output) -> (Vec<String>, Vec<String>) {
    let comparison = &output.message("comparison")["comparison"];
    let names = |field: &str, pick: &dyn Fn(&serde_json::Value) -> String| {
        let mut names: Vec<String> = comparison[field]
            .as_array()
            .unwrap()
            .iter()
            .map(pick)
            .collect();
        names.sort();
        names.dedup();
        names
    };
    (
        names("tests", &|t| t["id"]["name"].as_str().unwrap().to_owned()),
        names("only_in_baseline", &|t| t.to_string()),
    )
}

#[test]
fn shards_compare_their_own_tests_and_the_merge_compares_the_union() {
    let project = TempProject::new("demo");
    let shards = tempfile::tempdir().unwrap();
    let baseline = shards.path().join("main.json").display().to_string();
    let quick = ["--quick", "--message-format", "json", BENCHES];
    let saved = project
        .cargo_perf()
        .args(&quick)
        .args(&["--save-baseline", &baseline])
        .run();
    saved.assert_code(0);
    let whole = project
        .cargo_perf()
        .args(&quick)
        .args(&["--compare", &baseline])
        .run();
    let (one_run, _) = compared(&whole);
    assert_eq!(one_run.len(), 6, "{one_run:?}");
    let records = shards.path().join("records");
    std::fs::create_dir(&records).unwrap();
    for index in 1..=3 {
        let spec = format!("hash:{index}/3");
        let output = project
            .cargo_perf()
            .args(&quick)
            .args(&["--shard", &spec, "--compare", &baseline])
            .run();
        assert!([0, 12].contains(&output.code), "{}", output.stderr);
        // Its own tests, and none of the others' reported missing.
        let record = output.record();
        if !record.tests.is_empty() {
            let (tests, only_in_baseline) = compared(&output);
            let mut own: Vec<String> = names(&record).iter().map(ToString::to_string).collect();
            own.sort();
            assert_eq!(tests, own);
            assert!(only_in_baseline.is_empty(), "{only_in_baseline:?}");
        }
        std::fs::write(
            records.join(format!("{index}.json")),
            serde_json::to_string(&record).unwrap(),
        )
        .unwrap();
    }
    let merged = project
        .cargo_perf()
        .args(&[
            "merge",
            &records.display().to_string(),
            "--compare",
            &baseline,
        ])
        .args(&[
            "-o",
            &shards.path().join("merged.json").display().to_string(),
        ])
        .args(&["--message-format", "json"])
        .run();
    assert!([0, 12].contains(&merged.code), "{}", merged.stderr);
    let (union, only_in_baseline) = compared(&merged);
    assert_eq!(union, one_run);
    assert!(only_in_baseline.is_empty(), "{only_in_baseline:?}");
    // The exit code says what the merged comparison found, as a run's.
    let regressed = merged.summary_names("regressed");
    assert_eq!(merged.code == 12, !regressed.is_empty(), "{regressed:?}");
}

#[test]
fn a_load_test_s_processes_are_each_kept_over_their_own_time() {
    let project = TempProject::new("demo");
    let output = project
        .cargo_perf()
        .args(&["demo/load::browse_items", "--processes", "3"])
        .args(&["--duration-scale", "0.6", "--message-format", "json"])
        .run();
    output.assert_code(0);
    let record = output.record();
    let test = &record.tests[0];
    let load = test.load.as_ref().unwrap();
    // Each process's seconds, in order, marked with it; the users held at
    // 8 to each one's end, never a ramp to zero between them.
    let parts: Vec<u32> = load.timeline.iter().map(|s| s.part).collect();
    assert!(
        parts.is_sorted() && parts.contains(&0) && parts.contains(&2),
        "{parts:?}"
    );
    assert!(
        load.timeline.iter().all(|s| s.active == 8),
        "{:?}",
        load.timeline
    );
    assert!(load.timeline.iter().all(|s| !s.histogram.is_empty()));
    assert!(load.started_unix_ms.is_some());
    assert_eq!(load.processes.len(), 3);
    assert!(load.processes.iter().all(|p| p.duration_s > 0.0));
    // The server of every process, each over its part of the timeline.
    let server = test.server.as_ref().unwrap();
    assert_eq!(server.parts.len(), 3);
    let end = f64::from(load.timeline.last().unwrap().t) + 1.5;
    assert!(
        server.samples.iter().all(|s| (0.0..=end).contains(&s.0)),
        "{:?}",
        server.samples
    );
    let third_starts = load.timeline.iter().find(|s| s.part == 2).unwrap().t;
    assert!(
        server
            .samples
            .iter()
            .any(|s| s.0 >= f64::from(third_starts)),
        "the third process's server is charted: {:?}",
        server.samples
    );
}
