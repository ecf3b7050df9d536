//! The regression gate on a real slowdown: `DEMO_SLOWDOWN` makes the
//! demo's `checksum` do twice the work.

use crate::support::TempProject;

#[test]
fn a_slowed_function_fails_the_gate_and_only_it() {
    let project = TempProject::new("demo");
    let base = project.root().join("main.json");
    let base = base.to_str().unwrap();
    let measure = [
        "demo/perf::",
        "--warm-up-time",
        "300ms",
        "--measurement-time",
        "1s",
        "--message-format",
        "json",
    ];
    project
        .cargo_perf()
        .args(&measure)
        .args(&["--save-baseline", base])
        .run()
        .assert_code(0);

    let slowed = project
        .cargo_perf()
        .args(&measure)
        .args(&["--compare", base])
        .env("DEMO_SLOWDOWN", "100")
        .run();
    slowed.assert_code(12);
    assert_eq!(slowed.summary_names("regressed"), ["checksum_64k"]);
    let comparison = &slowed.message("comparison")["comparison"];
    let checksum = comparison["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"]["name"] == "checksum_64k")
        .unwrap();
    assert_eq!(checksum["verdict"], "regressed");
    assert!(
        checksum["change_pct"].as_f64().unwrap() > 50.0,
        "{checksum}"
    );

    let unchanged = project
        .cargo_perf()
        .args(&measure)
        .args(&["--compare", base])
        .run();
    unchanged.assert_code(0);
    assert!(unchanged.summary_names("regressed").is_empty());
}

#[test]
fn the_human_report_names_the_regression() {
    let project = TempProject::new("demo");
    let base = project.root().join("main.json");
    let base = base.to_str().unwrap();
    let measure = [
        "checksum_64k",
        "--warm-up-time",
        "200ms",
        "--measurement-time",
        "500ms",
    ];
    project
        .cargo_perf()
        .args(&measure)
        .args(&["--save-baseline", base])
        .run()
        .assert_code(0);
    let output = project
        .cargo_perf()
        .args(&measure)
        .args(&["--compare", base])
        .env("DEMO_SLOWDOWN", "100")
        .run();
    output.assert_code(12);
    let row = output
        .stdout
        .lines()
        .find(|l| l.starts_with("checksum_64k") && l.contains("REGRESSED"))
        .unwrap_or_else(|| panic!("{}", output.stdout));
    assert!(row.contains("10%"), "the threshold is shown: {row}");
    assert!(
        output
            .stderr
            .contains("1 perf test(s) regressed beyond their threshold: demo/perf::checksum_64k"),
        "{}",
        output.stderr
    );
}
