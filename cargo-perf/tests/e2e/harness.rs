//! The perf binary speaks libtest: cargo test, nextest and the libtest
//! flags work on a perf target.

use crate::support::TempProject;

/// The outcome libtest printed for a test (`test NAME   ... ok`).
fn outcome<'a>(stdout: &'a str, name: &str) -> Option<&'a str> {
    stdout.lines().find_map(|line| {
        let rest = line.strip_prefix("test ")?.strip_prefix(name)?;
        rest.trim_start().strip_prefix("... ")
    })
}

#[test]
fn cargo_test_runs_each_perf_test_once_as_a_smoke_test() {
    let project = TempProject::new("demo");
    let output = project.cargo(&["test", "--bench", "perf"]);
    output.assert_code(0);
    for name in [
        "checksum_64k",
        "checksum_pipeline",
        "median_of_10k_scores",
        "word_frequencies",
    ] {
        assert_eq!(
            outcome(&output.stdout, name),
            Some("ok"),
            "{}",
            output.stdout
        );
    }
    assert_eq!(
        outcome(&output.stdout, "parse_orders_100k"),
        Some("ignored")
    );
    assert!(
        output.stdout.contains("6 passed; 0 failed; 1 ignored"),
        "{}",
        output.stdout
    );
}

#[test]
fn the_libtest_command_line_works() {
    let project = TempProject::new("demo");
    let list = project.cargo(&[
        "test", "-q", "--bench", "perf", "--", "--list", "--format", "terse",
    ]);
    list.assert_code(0);
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert!(lines.contains(&"checksum_64k: test"), "{lines:?}");
    assert!(lines.contains(&"parse_orders_100k: test"), "{lines:?}");
    assert_eq!(lines.len(), 7, "{lines:?}");

    let ignored = project.cargo(&[
        "test",
        "-q",
        "--bench",
        "perf",
        "--",
        "--list",
        "--format",
        "terse",
        "--ignored",
    ]);
    assert_eq!(ignored.stdout.trim(), "parse_orders_100k: test");

    let exact = project.cargo(&[
        "test",
        "--bench",
        "perf",
        "--",
        "--exact",
        "parse_orders_1k",
    ]);
    exact.assert_code(0);
    assert!(
        exact.stdout.contains("1 passed; 0 failed; 0 ignored"),
        "{}",
        exact.stdout
    );

    let filtered = project.cargo(&["test", "--bench", "perf", "--", "checksum"]);
    assert!(filtered.stdout.contains("2 passed"), "{}", filtered.stdout);

    let include = project.cargo(&[
        "test",
        "--bench",
        "perf",
        "--",
        "--include-ignored",
        "orders",
    ]);
    include.assert_code(0);
    assert_eq!(
        outcome(&include.stdout, "parse_orders_100k"),
        Some("ok"),
        "{}",
        include.stdout
    );
    assert!(include.stdout.contains("2 passed"), "{}", include.stdout);

    // `--test` (as libtest takes it) is a smoke run too.
    let test_flag = project.cargo(&[
        "test",
        "--bench",
        "perf",
        "--",
        "--test",
        "--exact",
        "checksum_64k",
    ]);
    assert!(
        test_flag.stdout.contains("1 passed"),
        "{}",
        test_flag.stdout
    );
}

#[test]
fn cargo_bench_measures_and_prints_a_summary() {
    let project = TempProject::new("demo");
    let mut args = vec!["bench", "--bench", "perf", "--", "--exact", "checksum_64k"];
    args.push("--quiet");
    let output = {
        let mut command =
            std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .args(&args)
            .current_dir(project.root())
            .env("CARGO_TARGET_DIR", crate::support::shared_target_dir())
            .env("CARGO_PERF_QUICK", "1");
        crate::support::Output::from(command.output().unwrap())
    };
    output.assert_code(0);
    assert!(
        output.stdout.contains("checksum_64k  median"),
        "{}",
        output.stdout
    );
}

#[test]
fn nextest_lists_and_runs_the_perf_tests() {
    let project = TempProject::new("demo");
    let list = project.cargo(&["nextest", "list", "--bench", "perf"]);
    list.assert_code(0);
    assert!(
        list.stdout.contains("checksum_64k"),
        "{}\n{}",
        list.stdout,
        list.stderr
    );
    let run = project.cargo(&["nextest", "run", "--bench", "perf", "--no-fail-fast"]);
    run.assert_code(0);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("6 tests run: 6 passed"), "{all}");
    assert!(all.contains("1 skipped"), "{all}");
}
