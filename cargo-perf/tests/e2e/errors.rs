//! Errors that stop a run: each names what is wrong and exits with its
//! documented code.

use crate::support::TempProject;

#[test]
fn a_build_failure_shows_cargos_diagnostics_and_exits_3() {
    let project = TempProject::new("broken");
    let output = project.cargo_perf().run();
    output.assert_code(3);
    assert!(
        output.stderr.contains("error[E0308]: mismatched types"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("benches/perf.rs:5"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("error: the build failed"),
        "{}",
        output.stderr
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    let project = TempProject::new("demo");
    let output = project.cargo_perf().args(&["--threshold", "ten"]).run();
    output.assert_code(2);
    assert!(output.stderr.contains("--threshold"), "{}", output.stderr);
    let output = project
        .cargo_perf()
        .args(&["--measurement-time", "3"])
        .run();
    output.assert_code(2);
    assert!(output.stderr.contains("has no unit"), "{}", output.stderr);
}

#[test]
fn bad_configuration_names_the_file_and_key() {
    let project = TempProject::new("demo");
    let manifest = project.manifest();
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(
            "regression-threshold = \"10%\"",
            "regression-threshold = \"10\"",
        ),
    )
    .unwrap();
    let output = project.cargo_perf().run();
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains("invalid `regression-threshold` in [package.metadata.perf]"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("Cargo.toml"), "{}", output.stderr);
}
