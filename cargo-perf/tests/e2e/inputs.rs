//! Interrupts and bad input a tired or hostile user brings: each ends in a
//! clear error, never in a pass, a lost baseline or a silent JSON stream.

use std::io::BufRead as _;

use crate::support::TempProject;

/// Two quick benchmarks, one process each: two jobs.
const TWO_QUICK: [&str; 8] = [
    "checksum_64k",
    "median_of_10k",
    "--processes",
    "1",
    "--warm-up-time",
    "100ms",
    "--measurement-time",
    "300ms",
];

#[test]
fn sigterm_during_the_last_benchmark_of_a_save_keeps_the_old_baseline() {
    let project = TempProject::new("demo");
    let base = project.root().join("main.json");
    let base = base.to_str().unwrap();
    project
        .cargo_perf()
        .args(&TWO_QUICK)
        .args(&["--save-baseline", base])
        .run()
        .assert_code(0);
    let good = std::fs::read(base).unwrap();
    // The same run, slower, stopped while its last benchmark runs.
    let mut child = project
        .cargo_perf()
        .args(&TWO_QUICK[..6])
        .args(&["--measurement-time", "5s", "--save-baseline", base])
        .spawn_with_stderr();
    let stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    for line in std::io::BufReader::new(stderr).lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("Measured") && line.contains("[1/2]") {
            let pid = child.id().to_string();
            std::process::Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap();
        }
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(seen.contains("interrupted"), "{seen}");
    assert_eq!(
        std::fs::read(base).unwrap(),
        good,
        "the saved baseline was touched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(project.root())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(".perf-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_baseline_that_shares_no_test_with_the_run_is_exit_6() {
    let project = TempProject::new("demo");
    let base = project.root().join("main.json");
    let base = base.to_str().unwrap();
    project
        .cargo_perf()
        .args(&TWO_QUICK[1..])
        .args(&["--save-baseline", base])
        .run()
        .assert_code(0);
    let output = project
        .cargo_perf()
        .args(&[
            "checksum_64k",
            "--exact",
            "--compare",
            base,
            "--message-format",
            "json",
        ])
        .run();
    output.assert_code(6);
    assert!(
        output.stderr.contains("main.json") && output.stderr.contains("shares no test"),
        "{}",
        output.stderr
    );
    // And one with no tests at all.
    let empty = project.root().join("empty.json");
    let record = std::fs::read_to_string(base).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&record).unwrap();
    value["tests"] = serde_json::json!([]);
    std::fs::write(&empty, value.to_string()).unwrap();
    let output = project
        .cargo_perf()
        .args(&["checksum_64k", "--compare", empty.to_str().unwrap()])
        .run();
    output.assert_code(6);
    assert!(
        output.stderr.contains("no tests at all"),
        "{}",
        output.stderr
    );
}

#[test]
fn an_unwritable_baseline_path_is_refused_before_anything_runs() {
    let project = TempProject::new("demo");
    let blocker = project.root().join("blocker");
    std::fs::write(&blocker, "a file, not a directory").unwrap();
    let path = blocker.join("main.json");
    let output = project
        .cargo_perf()
        .args(&["checksum_64k", "--save-baseline", path.to_str().unwrap()])
        .run();
    output.assert_code(2);
    assert!(output.stderr.contains("blocker"), "{}", output.stderr);
    assert!(
        !output.stderr.contains("Measured") && !output.stderr.contains("Compiling"),
        "nothing is built or measured first: {}",
        output.stderr
    );
    let dot = project
        .cargo_perf()
        .args(&["checksum_64k", "--save-baseline", "."])
        .run();
    dot.assert_code(2);
}

#[test]
fn json_output_ends_with_a_summary_also_when_the_run_stops_early() {
    let project = TempProject::new("demo");
    for (args, code) in [
        (&["no_such_test"][..], 4),
        (&["checksum_64k", "--compare", "no-such-baseline"][..], 6),
    ] {
        let output = project
            .cargo_perf()
            .args(args)
            .args(&["--message-format", "json"])
            .run();
        output.assert_code(code);
        let last = output.json_lines().pop().unwrap();
        assert_eq!(last["reason"], "summary", "{}", output.stdout);
        assert_eq!(last["exit_code"], code);
        assert!(
            last["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{last}"
        );
    }
}

#[test]
fn absurd_flags_are_usage_errors() {
    let project = TempProject::new("demo");
    for args in [
        &["--duration-scale", "1e300"][..],
        &["--target-url", "http://user:secret@192.0.2.1:1"][..],
    ] {
        let output = project.cargo_perf().args(args).run();
        output.assert_code(2);
        assert!(
            !output.stderr.contains("secret") && !output.stdout.contains("secret"),
            "a password is never shown: {}",
            output.stderr
        );
    }
}

#[test]
fn no_report_replaces_a_baseline_its_history_or_the_run_record() {
    let project = TempProject::new("demo");
    let dir = project.root().join("baselines");
    let dir = dir.to_str().unwrap();
    let latest = crate::support::shared_target_dir().join("perf/latest.json");
    let cases: [&[&str]; 4] = [
        &["--compare", "hh", "--html", &format!("{dir}/hh.json")],
        &[
            "--compare",
            "hh",
            "--junit",
            &format!("{dir}/hh/20261204T173000Z-0123456789.json"),
        ],
        &[
            "--save-baseline",
            "hh",
            "--bmf",
            &format!("{dir}/hh/x.json"),
        ],
        &["--save-baseline", latest.to_str().unwrap()],
    ];
    for args in cases {
        let output = project
            .cargo_perf()
            .args(&["checksum_64k", "--baseline-dir", dir])
            .args(args)
            .run();
        output.assert_code(2);
        assert!(
            !output.stderr.contains("Compiling") && !output.stderr.contains("Measured"),
            "refused before anything runs: {}",
            output.stderr
        );
    }
}
