use std::path::PathBuf;

use super::*;

const MANIFEST: &str = r#"# The shop's package.
[package]
name = "shop"   # keep this comment
version = "0.1.0"
edition = "2024"

[dependencies]
serde = "1"

[[bench]]
name = "micro"
harness = false
"#;

fn path_dependency() -> RuntimeDependency {
    RuntimeDependency::Path(PathBuf::from("/src/cargo-perf/perf-runtime"))
}

#[test]
fn the_edit_keeps_the_user_s_text_and_adds_the_target_and_dependency() {
    let edit = ManifestEdit::apply(MANIFEST, "perf", false, &path_dependency(), None).unwrap();
    assert!(
        edit.text.starts_with(MANIFEST),
        "the original text is kept as it was:\n{}",
        edit.text
    );
    let added = &edit.text[MANIFEST.len()..];
    assert_eq!(
        added,
        "\n[[bench]]\nname = \"perf\"\nharness = false\n\n[dev-dependencies]\nperf-runtime = { path = \"/src/cargo-perf/perf-runtime\" }\n"
    );
    assert_eq!(
        edit.changes,
        [
            Change::BenchAdded("perf".into()),
            Change::DependencyAdded(
                "perf-runtime = { path = \"/src/cargo-perf/perf-runtime\" }".into()
            )
        ]
    );
    // What cargo reads: the manifest parses, with both.
    let parsed: toml::Table = toml::from_str(&edit.text).unwrap();
    assert_eq!(parsed["bench"].as_array().unwrap().len(), 2);
    assert!(parsed["dev-dependencies"].get("perf-runtime").is_some());
}

#[test]
fn an_existing_target_is_replaced_only_with_force() {
    assert!(ManifestEdit::has_bench(MANIFEST, "micro").unwrap());
    assert!(!ManifestEdit::has_bench(MANIFEST, "perf").unwrap());
    let refused =
        ManifestEdit::apply(MANIFEST, "micro", false, &path_dependency(), None).unwrap_err();
    assert_eq!(refused, ManifestError::BenchExists("micro".into()));
    let with_path = MANIFEST.replace(
        "name = \"micro\"\n",
        "name = \"micro\"\npath = \"elsewhere.rs\"\n",
    );
    let forced = ManifestEdit::apply(&with_path, "micro", true, &path_dependency(), None).unwrap();
    assert_eq!(forced.changes[0], Change::BenchReplaced("micro".into()));
    let parsed: toml::Table = toml::from_str(&forced.text).unwrap();
    let benches = parsed["bench"].as_array().unwrap();
    assert_eq!(benches.len(), 1, "{}", forced.text);
    assert!(
        benches[0].get("path").is_none(),
        "the replaced entry is a fresh one: {}",
        forced.text
    );
}

#[test]
fn a_perf_runtime_dependency_is_kept_whatever_its_name() {
    let direct = MANIFEST.replace(
        "serde = \"1\"",
        "perf-runtime = { path = \"../perf-runtime\" }",
    );
    let edit = ManifestEdit::apply(&direct, "perf", false, &path_dependency(), None).unwrap();
    assert_eq!(
        edit.changes[1],
        Change::DependencyKept("dependencies".into())
    );
    assert!(
        edit.text
            .contains("perf-runtime = { path = \"../perf-runtime\" }")
    );
    let renamed = format!(
        "{MANIFEST}\n[dev-dependencies]\nperf = {{ package = \"perf-runtime\", version = \"0.1\" }}\n"
    );
    let edit = ManifestEdit::apply(
        &renamed,
        "perf",
        false,
        &RuntimeDependency::Version("0.1".into()),
        None,
    )
    .unwrap();
    assert_eq!(
        edit.changes[1],
        Change::DependencyKept("dev-dependencies".into())
    );
    let with_table = format!("{MANIFEST}\n[dev-dependencies]\n# tests only\nproptest = \"1\"\n");
    let edit = ManifestEdit::apply(
        &with_table,
        "perf",
        false,
        &RuntimeDependency::Version("0.1".into()),
        None,
    )
    .unwrap();
    assert!(
        edit.text
            .contains("# tests only\nproptest = \"1\"\nperf-runtime = \"0.1\"\n"),
        "{}",
        edit.text
    );
}

#[test]
fn the_server_stub_is_commented_and_the_manifest_still_parses() {
    let stub = ServerStub {
        bench_file: "benches/api.rs".into(),
        server_url: Some("http://petstore.swagger.io/v1".into()),
        ready: Some("/health".into()),
    };
    let edit =
        ManifestEdit::apply(MANIFEST, "api", false, &path_dependency(), Some(&stub)).unwrap();
    assert_eq!(edit.changes.last(), Some(&Change::ServerStubAdded));
    let stub_text = edit.text.split("[dev-dependencies]").nth(1).unwrap();
    assert!(
        stub_text.contains("# [package.metadata.perf.server]"),
        "{stub_text}"
    );
    assert!(stub_text.contains("# ready = \"/health\""), "{stub_text}");
    assert!(
        stub_text.contains("http://petstore.swagger.io/v1"),
        "{stub_text}"
    );
    let parsed: toml::Table = toml::from_str(&edit.text).unwrap();
    assert!(
        parsed["package"].get("metadata").is_none(),
        "only comments: {}",
        edit.text
    );
}

#[test]
fn a_manifest_that_is_not_toml_or_has_an_odd_bench_is_an_error() {
    assert!(matches!(
        ManifestEdit::apply("[package\n", "perf", false, &path_dependency(), None),
        Err(ManifestError::Parse(_))
    ));
    let inline = "[package]\nname = \"x\"\nbench = 1\n";
    assert!(matches!(ManifestEdit::has_bench(inline, "perf"), Ok(false)));
    let odd = "bench = [{ name = \"perf\" }]\n";
    assert!(matches!(
        ManifestEdit::has_bench(odd, "perf"),
        Err(ManifestError::Shape(_))
    ));
}
