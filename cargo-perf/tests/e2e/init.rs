//! `cargo perf init`: perf tests added to a package, that compile and run
//! as written; from the demo server's OpenAPI document, run against the
//! spawned demo server; from a public document a registry package ships,
//! built; and the bad inputs refused with the file and the JSON pointer.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::TempProject;

#[test]
fn init_from_the_demo_s_openapi_document_runs_against_the_demo_server() {
    let project = TempProject::new("demo");
    let spec = project.root().join("openapi.yaml");
    let output = project
        .cargo_perf()
        .args(&["init", "--openapi", spec.to_str().unwrap()])
        .run();
    output.assert_code(0);
    assert!(
        output
            .stderr
            .contains("Created benches/api.rs in package `demo`")
            && output
                .stderr
                .contains("Kept perf-runtime in [dev-dependencies]"),
        "{}",
        output.stderr
    );
    let manifest = std::fs::read_to_string(project.manifest()).unwrap();
    assert!(
        manifest.contains("[[bench]]\nname = \"api\"\nharness = false\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("# The demo server's load tests")
            || manifest.contains("[package.metadata.perf.server]\nbin = \"demo-server\""),
        "the demo's server section is kept: {manifest}"
    );
    assert!(
        !manifest.contains("# [package.metadata.perf.server]"),
        "no stub where a server is configured: {manifest}"
    );
    // The generated tests pass against the demo server cargo perf spawns.
    let output = project
        .cargo_perf()
        .args(&["demo/api::", "--quick", "--message-format", "json"])
        .run();
    output.assert_code(0);
    let record = output.record();
    let mut names: Vec<&str> = record.tests.iter().map(|t| t.id.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "api_mix",
            "delay_response_time",
            "fast_response_time",
            "get_item_response_time",
            "health_response_time",
            "keyset_page_response_time",
            "list_items_response_time",
        ]
    );
    for test in &record.tests {
        let load = test
            .load
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no load stats", test.id));
        assert!(load.requests > 0, "{}", test.id);
        assert_eq!(load.error_rate_pct, 0.0, "{}: {:?}", test.id, load.errors);
    }
    // A second init overwrites nothing without --force.
    let before = std::fs::read_to_string(project.manifest()).unwrap();
    let output = project
        .cargo_perf()
        .args(&["init", "--openapi", spec.to_str().unwrap()])
        .run();
    output.assert_code(2);
    assert!(
        output.stderr.contains("benches/api.rs")
            && output.stderr.contains("[[bench]] target `api`")
            && output.stderr.contains("--force"),
        "{}",
        output.stderr
    );
    assert_eq!(std::fs::read_to_string(project.manifest()).unwrap(), before);
    let output = project
        .cargo_perf()
        .args(&["init", "--openapi", spec.to_str().unwrap(), "--force"])
        .run();
    output.assert_code(0);
    assert!(
        output.stderr.contains("Replaced [[bench]] `api`"),
        "{}",
        output.stderr
    );
}

#[test]
fn init_adds_an_example_that_runs_to_a_package_without_perf_tests() {
    let project = TempProject::new("workspace");
    let original = std::fs::read_to_string(project.root().join("gamma/Cargo.toml")).unwrap();
    let output = project.cargo_perf().args(&["-p", "gamma", "init"]).run();
    output.assert_code(0);
    let manifest = std::fs::read_to_string(project.root().join("gamma/Cargo.toml")).unwrap();
    assert!(
        manifest.starts_with(&original),
        "kept as it was:\n{manifest}"
    );
    assert!(
        manifest.contains("[[bench]]\nname = \"perf\"\nharness = false"),
        "{manifest}"
    );
    assert!(manifest.contains("perf-runtime = { path = "), "{manifest}");
    assert!(project.root().join("gamma/benches/perf.rs").is_file());
    let output = project
        .cargo_perf()
        .args(&["-p", "gamma", "--quick", "--message-format", "json"])
        .run();
    output.assert_code(0);
    let record = output.record();
    let mut names: Vec<&str> = record.tests.iter().map(|t| t.id.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["sort_10k", "sum_of_squares"]);
    // Without -p, a workspace of several packages is refused.
    let output = project.cargo_perf().args(&["--workspace", "init"]).run();
    output.assert_code(2);
}

#[test]
fn init_from_a_registry_package_s_petstore_documents_compiles() {
    let project = TempProject::new("workspace");
    let fixtures = openapiv3_fixtures(&project);
    for (document, bench) in [
        ("petstore.yaml", "petstore"),
        ("petstore-expanded.yaml", "petstore_expanded"),
        ("api-with-examples.yaml", "api_with_examples"),
    ] {
        let spec = fixtures.join(document);
        let output = project
            .cargo_perf()
            .args(&[
                "-p",
                "gamma",
                "init",
                "--openapi",
                spec.to_str().unwrap(),
                "--bench",
                bench,
            ])
            .run();
        output.assert_code(0);
    }
    let manifest = std::fs::read_to_string(project.root().join("gamma/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("# The OpenAPI document's server: http://petstore.swagger.io/v1"),
        "{manifest}"
    );
    let petstore =
        std::fs::read_to_string(project.root().join("gamma/benches/petstore.rs")).unwrap();
    assert!(
        petstore.contains(r#"const BASE: &str = "/v1";"#),
        "{petstore}"
    );
    assert!(
        petstore.contains("async fn list_pets_response_time"),
        "{petstore}"
    );
    let output = project.cargo(&[
        "build",
        "--benches",
        "-p",
        "gamma",
        "--message-format",
        "short",
    ]);
    output.assert_code(0);
    assert!(
        !output.stderr.contains("warning"),
        "the generated code builds without warnings:\n{}",
        output.stderr
    );
}

#[test]
fn bad_documents_and_existing_files_are_refused_and_nothing_is_written() {
    let project = TempProject::new("workspace");
    let manifest = project.root().join("gamma/Cargo.toml");
    let original = std::fs::read_to_string(&manifest).unwrap();
    let write = |name: &str, text: &str| {
        let path = project.root().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let malformed = write(
        "malformed.json",
        r#"{"openapi": "3.0.0", "paths": {"/x": {"get": {"responses": }}}}"#,
    );
    let swagger = write("swagger.yaml", "swagger: '2.0'\npaths: {}\n");
    let bad_part = write(
        "bad.yaml",
        "openapi: 3.1.0\npaths:\n  /x:\n    get:\n      parameters: [{name: q, in: body}]\n",
    );
    let missing = project.root().join("missing.yaml");
    for (spec, expected) in [
        (&malformed, "at /paths/~1x/get/responses: not valid JSON"),
        (&swagger, "at /swagger: a Swagger 2.0 document"),
        (
            &bad_part,
            "at /paths/~1x/get/parameters/0/in: unknown variant `body`",
        ),
        (&missing, "cannot read it"),
    ] {
        let output = project
            .cargo_perf()
            .args(&["-p", "gamma", "init", "--openapi", spec.to_str().unwrap()])
            .run();
        output.assert_code(2);
        assert!(
            output.stderr.contains(&format!(
                "error: OpenAPI document {}: {expected}",
                spec.display()
            )),
            "{}",
            output.stderr
        );
        assert_eq!(std::fs::read_to_string(&manifest).unwrap(), original);
        assert!(!project.root().join("gamma/benches").exists());
    }
    std::fs::create_dir(project.root().join("gamma/benches")).unwrap();
    let existing = write("gamma/benches/perf.rs", "// the user's own\n");
    let output = project.cargo_perf().args(&["-p", "gamma", "init"]).run();
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains(&format!("error: cannot init {}", existing.display()))
            && output.stderr.contains("--force"),
        "{}",
        output.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "// the user's own\n"
    );
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), original);
}

/// The fixtures directory of the openapiv3 crate, fetched by cargo into
/// its registry cache (the crate ships public OpenAPI 3.0 documents: the
/// OpenAPI Initiative's Swagger Petstore examples among them); nothing of
/// it is committed here.
fn openapiv3_fixtures(project: &TempProject) -> PathBuf {
    let fetcher = project.root().join("openapiv3-fetch");
    std::fs::create_dir_all(fetcher.join("src")).unwrap();
    std::fs::write(
        fetcher.join("Cargo.toml"),
        "[package]\nname = \"openapiv3-fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nopenapiv3 = \"=2.2.0\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(fetcher.join("src/lib.rs"), "").unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let metadata = Command::new(&cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(&fetcher)
        .output()
        .unwrap();
    assert!(metadata.status.success(), "cargo metadata: {metadata:?}");
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let manifest = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "openapiv3")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("openapiv3 in the metadata");
    let fixtures = Path::new(manifest).parent().unwrap().join("fixtures");
    assert!(
        fixtures.join("petstore.yaml").is_file(),
        "{}",
        fixtures.display()
    );
    fixtures
}
