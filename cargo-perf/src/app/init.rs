//! `cargo perf init`: a bench target, the perf-runtime dev-dependency and
//! a first perf test file added to the selected package, after checking
//! that nothing would be overwritten without `--force`.

use std::path::Path;

use crate::atomic_write;
use crate::cargo::Workspace;
use crate::cli::{InitArgs, PerfArgs};
use crate::error::CliError;
use crate::init::openapi;
use crate::init::{Change, EXAMPLE, ManifestEdit, RuntimeDependency, ServerStub};
use crate::verdict::gate::Summary;

/// Adds the tests; an existing file or target without `--force`, or a
/// bad OpenAPI document, is a usage error (exit 2) and writes nothing.
pub fn run(perf: &PerfArgs, args: &InitArgs) -> Result<Summary, CliError> {
    let workspace = Workspace::load(&perf.cargo)?;
    let packages = workspace.select(&perf.cargo)?;
    let package = match packages.as_slice() {
        [one] => *one,
        _ => {
            let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
            return Err(CliError::Usage(format!(
                "`cargo perf init` adds tests to one package, and this selects {}: pick one with `-p NAME`",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )));
        }
    };
    let manifest = package.manifest_path.as_std_path();
    let root = manifest.parent().unwrap_or(Path::new("."));
    let bench = args.bench_name();
    let relative = format!("benches/{bench}.rs");
    let file = root.join(&relative);
    let text = std::fs::read_to_string(manifest).map_err(|e| CliError::Manifest {
        path: manifest.to_path_buf(),
        source: Box::new(e),
    })?;
    let bad_manifest = |message: String| CliError::Init {
        path: manifest.to_path_buf(),
        message,
    };
    let mut existing = Vec::new();
    if file.exists() {
        existing.push(relative.clone());
    }
    if ManifestEdit::has_bench(&text, bench).map_err(|e| bad_manifest(describe(&e)))? {
        existing.push(format!("the [[bench]] target `{bench}` in Cargo.toml"));
    }
    if !existing.is_empty() && !args.force {
        return Err(CliError::Init {
            path: if file.exists() {
                file
            } else {
                manifest.to_path_buf()
            },
            message: format!(
                "{} already there; cargo perf init overwrites nothing: pass --force to replace it, \
                 or --bench NAME to add another target",
                existing.join(" and ")
            ),
        });
    }
    let (source, stub, created) = match &args.openapi {
        Some(spec) => {
            let tests = openapi::load_tests(spec).map_err(|error| CliError::OpenApi {
                path: spec.clone(),
                error,
            })?;
            let configured = workspace.package_config(package)?.server.is_some();
            let stub = (!configured).then(|| ServerStub {
                bench_file: relative.clone(),
                server_url: tests.server_url.clone(),
                ready: tests.ready.clone(),
            });
            let counts = tests.counts;
            let created = format!(
                "{} response-time test(s), one per GET operation, and `{}`, a mix of {} of the {} operations",
                counts.response_time, "api_mix", counts.in_mix, counts.operations
            );
            (tests.source, stub, created)
        }
        None => (
            EXAMPLE.to_owned(),
            None,
            "two example micro-benchmarks and a load test in comments".to_owned(),
        ),
    };
    let edit = ManifestEdit::apply(
        &text,
        bench,
        args.force,
        &RuntimeDependency::locate(),
        stub.as_ref(),
    )
    .map_err(|e| bad_manifest(describe(&e)))?;
    let benches = root.join("benches");
    std::fs::create_dir_all(&benches).map_err(|source| CliError::Write {
        path: benches,
        source,
    })?;
    atomic_write::write_bytes(&file, source.as_bytes())?;
    atomic_write::write_bytes(manifest, edit.text.as_bytes())?;
    eprintln!(
        "     Created {relative} in package `{}`: {created}",
        package.name
    );
    for change in &edit.changes {
        eprintln!("{}", describe_change(change));
    }
    eprintln!("        Next `cargo perf` runs them (`--quick` for a first look)");
    Ok(Summary::default())
}

fn describe(error: &crate::init::ManifestError) -> String {
    use crate::init::ManifestError;
    match error {
        ManifestError::Parse(message) => format!("it does not parse: {message}"),
        ManifestError::BenchExists(name) => {
            format!("it has a [[bench]] target `{name}` already; pass --force to replace it")
        }
        ManifestError::Shape(message) => message.clone(),
    }
}

fn describe_change(change: &Change) -> String {
    match change {
        Change::BenchAdded(name) => {
            format!("       Added [[bench]] `{name}` (harness = false) to Cargo.toml")
        }
        Change::BenchReplaced(name) => {
            format!("    Replaced [[bench]] `{name}` (harness = false) in Cargo.toml")
        }
        Change::DependencyAdded(line) => format!("       Added `{line}` to [dev-dependencies]"),
        Change::DependencyKept(table) => format!("        Kept perf-runtime in [{table}]"),
        Change::ServerStubAdded => {
            "       Added a commented [package.metadata.perf.server] to Cargo.toml: \
                                    fill it in for the load tests"
                .to_owned()
        }
    }
}
