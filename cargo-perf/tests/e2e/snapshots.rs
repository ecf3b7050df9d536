//! The human output of the real binary, whole, as insta snapshots (in
//! `snapshots/` beside this file): `--help`, `--list`, and a real run's
//! report with its figures, ports and paths redacted, so that the
//! snapshot pins the layout, the columns, the rows and the words. The
//! figures themselves are pinned by the report's unit snapshots.

use std::process::Command;

use crate::support::TempProject;

/// What changes from run to run, in the order insta applies them: paths
/// and ports first (they hold digits), then figures with their units, then
/// bare numbers, and last the padding, which follows the figures' widths.
const FIGURES: &[(&str, &str)] = &[
    (r"/tmp/cargo-perf-e2e-[[:alnum:]]+", "[project]"),
    (r"/[^\s:]*/e2e-target", "[target]"),
    (r"(127\.0\.0\.1|localhost|\[::1\]):\d+", "$1:[port]"),
    (r"[+-]?\d+(\.\d+)? ?(ns|µs|us|ms|s)\b", "[duration]"),
    (r"\d+(\.\d+)? ?([KMGT]i?)?B(/s)?\b", "[bytes]"),
    (r"[+-]?\d+(\.\d+)?%", "[pct]"),
    (r"\b\d+(\.\d+)?\b", "[n]"),
    // The generator's CPU warning comes and goes with the machine's load.
    (
        r"(?m)^warning: [^\n]*: the load generator used [^\n]*\n",
        "",
    ),
    (r" {2,}", "  "),
];

/// `filters` for `insta::with_settings!`.
fn figures() -> Vec<(&'static str, &'static str)> {
    FIGURES.to_vec()
}

#[test]
fn help() {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-perf"))
        .args(["perf", "--help"])
        // clap wraps the help at the terminal's width, or at $COLUMNS.
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let help = String::from_utf8(output.stdout).unwrap();
    // clap indents the blank line inside an option's long help; a snapshot
    // file should not depend on an editor keeping trailing spaces.
    insta::with_settings!({ filters => vec![(r"(?m)[ \t]+$", "")] }, {
        insta::assert_snapshot!(help);
    });
}

#[test]
fn list_of_the_demo() {
    let project = TempProject::new("demo");
    let output = project.cargo_perf().args(&["--list"]).run();
    output.assert_code(0);
    insta::assert_snapshot!(output.stdout);
}

#[test]
fn quick_run_of_a_benchmark_and_a_load_test() {
    let project = TempProject::new("demo");
    let output = project
        .cargo_perf()
        .args(&["--quick", "--exact", "checksum_64k", "browse_items"])
        .run();
    output.assert_code(0);
    insta::with_settings!({ filters => figures() }, {
        insta::assert_snapshot!(output.stdout);
    });
}
