//! The workload flags of the command line (`-u`, `-r`, `-t`, `--rate`,
//! `--stage`) and their `PERF_*` mirrors, on the demo's load tests.

use perf_record::overrides::LoadOverrides;

use crate::support::TempProject;

const S: u64 = 1_000_000_000;

#[test]
fn locust_flags_set_the_load_and_the_record_keeps_them() {
    let project = TempProject::new("demo");
    let output = project
        .cargo_perf()
        .args(&["demo/load::echo_64k", "--processes", "1"])
        .args(&["-u", "3", "-r", "30", "-t", "1s"])
        // The flag wins over its variable.
        .env("PERF_USERS", "7")
        .env("PERF_RUN_TIME", "2s")
        .args(&["--message-format", "json"])
        .run();
    output.assert_code(0);
    let record = output.record();
    let test = &record.tests[0];
    assert_eq!(
        test.config.load_overrides,
        Some(LoadOverrides {
            users: Some(3),
            spawn_rate: Some(30.0),
            run_time_ns: Some(S),
            ..LoadOverrides::default()
        })
    );
    // 3 users at 30 per second: a 0.1 s ramp, then a 1 s hold.
    let workload = &test.load.as_ref().unwrap().workload;
    assert_eq!(workload.stages, [(0.1, 3.0), (1.0, 3.0)], "{workload:?}");

    // The variables alone apply too, and the terminal report says so.
    let output = project
        .cargo_perf()
        .args(&["demo/load::echo_64k", "--processes", "1"])
        .env("PERF_USERS", "2")
        .env("PERF_RUN_TIME", "1s")
        .run();
    output.assert_code(0);
    assert!(
        output
            .stdout
            .contains("echo_64k: workload from the command line `-u 2 -t 1s` (not its code's)"),
        "{}",
        output.stdout
    );
}

#[test]
fn k6_stages_and_an_open_rate_replace_the_tests_own() {
    let project = TempProject::new("demo");
    let output = project
        .cargo_perf()
        .args(&["demo/load::fast_endpoint", "--processes", "1"])
        .args(&["--rate", "200", "-t", "1s", "--message-format", "json"])
        .run();
    output.assert_code(0);
    let record = output.record();
    let workload = &record.tests[0].load.as_ref().unwrap().workload;
    assert_eq!(
        workload.stages,
        [(0.0, 200.0), (1.0, 200.0)],
        "{workload:?}"
    );
    let output = project
        .cargo_perf()
        .args(&["demo/load::echo_64k", "--processes", "1"])
        .args(&["--stage", "500ms:2", "--stage", "500ms:4"])
        .args(&["--message-format", "json"])
        .run();
    output.assert_code(0);
    let record = output.record();
    let workload = &record.tests[0].load.as_ref().unwrap().workload;
    assert_eq!(workload.stages, [(0.5, 2.0), (0.5, 4.0)], "{workload:?}");
}

#[test]
fn a_flag_that_does_not_fit_a_test_is_an_error_naming_it() {
    let project = TempProject::new("demo");
    let output = project
        .cargo_perf()
        .args(&["demo/load::", "--rate", "50"])
        .run();
    output.assert_code(2);
    for closed in ["browse_items", "echo_64k", "shop"] {
        assert!(
            output.stderr.contains(&format!(
                "demo/load::{closed}: --rate does not fit a closed workload (virtual users)"
            )),
            "{}",
            output.stderr
        );
    }
    assert!(
        !output.stderr.contains("fast_endpoint"),
        "{}",
        output.stderr
    );
    // A kind of the catalogue says which flags it takes.
    let output = project
        .cargo_perf()
        .args(&["-F", "catalog", "demo/catalog::spike_sticky", "-u", "5"])
        .run();
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains("a spike test, whose analysis rests on its own shape: it takes none"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_comparison_between_different_loads_says_so_instead_of_a_verdict() {
    let project = TempProject::new("demo");
    let base = project.root().join("two-users.json");
    let base = base.to_str().unwrap();
    let run = |users: &str, extra: &[&str]| {
        project
            .cargo_perf()
            .args(&["demo/load::echo_64k", "--processes", "1", "-t", "1s"])
            .args(&["-u", users])
            .args(extra)
            .run()
    };
    run("2", &["--save-baseline", base]).assert_code(0);
    let output = run(
        "6",
        &[
            "--compare",
            base,
            "--threshold",
            "1%",
            "--message-format",
            "json",
        ],
    );
    output.assert_code(0);
    let comparison = output.message("comparison");
    let tests = comparison["comparison"]["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 1, "{tests:?}");
    assert_eq!(tests[0]["verdict"], "not_comparable", "{tests:?}");
    let diff = tests[0]["config_diff"].as_str().unwrap();
    assert!(diff.contains("its load differs"), "{diff}");
    assert!(
        diff.contains("flags `-u 2 -t 1s`") && diff.contains("flags `-u 6 -t 1s`"),
        "{diff}"
    );
}
