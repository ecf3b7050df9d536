//! The package's Cargo.toml, edited in place with toml_edit so that the
//! user's order, comments and spacing stay as they were: a `[[bench]]`
//! target with `harness = false`, the perf-runtime dev-dependency, and
//! for load tests a commented server section to fill in.

use std::fmt::Write as _;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use super::runtime::RuntimeDependency;

/// What the edit changed or left as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A `[[bench]]` target added.
    BenchAdded(String),
    /// A `[[bench]]` target of that name replaced (`--force`).
    BenchReplaced(String),
    /// `perf-runtime` added to `[dev-dependencies]`, as written.
    DependencyAdded(String),
    /// `perf-runtime` is a dependency already (in this table): kept.
    DependencyKept(String),
    /// The commented server section appended.
    ServerStubAdded,
}

/// The commented `[package.metadata.perf.server]` written after load
/// tests, for a package that has no server configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerStub {
    /// The bench file whose load tests need it.
    pub bench_file: String,
    /// The server the document names.
    pub server_url: Option<String>,
    /// A health check of the API, for `ready`.
    pub ready: Option<String>,
}

/// The edited manifest.
#[derive(Debug)]
pub struct ManifestEdit {
    /// Its new text.
    pub text: String,
    /// What changed.
    pub changes: Vec<Change>,
}

/// Why the manifest cannot be edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestError {
    /// It does not parse.
    Parse(String),
    /// A `[[bench]]` of that name exists and `--force` was not given.
    BenchExists(String),
    /// `bench` or `dev-dependencies` is not the table cargo reads.
    Shape(String),
}

impl ManifestEdit {
    /// Whether `text` has a `[[bench]]` named `name`.
    pub fn has_bench(text: &str, name: &str) -> Result<bool, ManifestError> {
        let doc: DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| ManifestError::Parse(e.to_string()))?;
        Ok(bench_index(&doc, name)?.is_some())
    }

    /// `text` with the bench target `bench`, the dependency and the
    /// server stub.
    pub fn apply(
        text: &str,
        bench: &str,
        force: bool,
        dependency: &RuntimeDependency,
        server: Option<&ServerStub>,
    ) -> Result<Self, ManifestError> {
        let mut doc: DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| ManifestError::Parse(e.to_string()))?;
        let mut changes = Vec::new();
        let mut entry = Table::new();
        entry.insert("name", value(bench));
        entry.insert("harness", value(false));
        match bench_index(&doc, bench)? {
            Some(_) if !force => return Err(ManifestError::BenchExists(bench.to_owned())),
            Some(index) => {
                if let Some(Item::ArrayOfTables(benches)) = doc.get_mut("bench")
                    && let Some(existing) = benches.get_mut(index)
                {
                    existing.clear();
                    existing.insert("name", value(bench));
                    existing.insert("harness", value(false));
                }
                changes.push(Change::BenchReplaced(bench.to_owned()));
            }
            None => {
                match doc.get_mut("bench") {
                    Some(Item::ArrayOfTables(benches)) => benches.push(entry),
                    _ => {
                        let mut benches = ArrayOfTables::new();
                        benches.push(entry);
                        doc.insert("bench", Item::ArrayOfTables(benches));
                    }
                }
                changes.push(Change::BenchAdded(bench.to_owned()));
            }
        }
        changes.push(add_dependency(&mut doc, dependency)?);
        let mut text = doc.to_string();
        if let Some(stub) = server {
            text.push_str(&stub_text(stub));
            changes.push(Change::ServerStubAdded);
        }
        Ok(Self { text, changes })
    }
}

/// The index of the `[[bench]]` named `name`.
fn bench_index(doc: &DocumentMut, name: &str) -> Result<Option<usize>, ManifestError> {
    match doc.get("bench") {
        None => Ok(None),
        Some(Item::ArrayOfTables(benches)) => Ok(benches
            .iter()
            .position(|b| b.get("name").and_then(Item::as_str) == Some(name))),
        Some(_) => Err(ManifestError::Shape(
            "`bench` is not written as [[bench]] tables; add the target by hand".to_owned(),
        )),
    }
}

/// perf-runtime in `[dev-dependencies]`, unless it is a dependency
/// already (under its name, or renamed with `package = "perf-runtime"`).
fn add_dependency(
    doc: &mut DocumentMut,
    dependency: &RuntimeDependency,
) -> Result<Change, ManifestError> {
    for table in ["dev-dependencies", "dependencies"] {
        let Some(deps) = doc.get(table).and_then(Item::as_table_like) else {
            continue;
        };
        let found = deps.iter().any(|(key, item)| {
            key == "perf-runtime"
                || item
                    .as_table_like()
                    .and_then(|t| t.get("package"))
                    .and_then(Item::as_str)
                    == Some("perf-runtime")
        });
        if found {
            return Ok(Change::DependencyKept(table.to_owned()));
        }
    }
    let item = dependency.to_toml();
    let written = item.to_string();
    match doc.get_mut("dev-dependencies") {
        Some(deps) => {
            let Some(deps) = deps.as_table_like_mut() else {
                return Err(ManifestError::Shape(
                    "`dev-dependencies` is not a table".to_owned(),
                ));
            };
            deps.insert("perf-runtime", item);
        }
        None => {
            let mut deps = Table::new();
            deps.insert("perf-runtime", item);
            doc.insert("dev-dependencies", Item::Table(deps));
        }
    }
    Ok(Change::DependencyAdded(format!(
        "perf-runtime = {}",
        written.trim()
    )))
}

fn stub_text(stub: &ServerStub) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\n# The server the load tests of {} run against: fill it in and uncomment it,\n\
         # or send them to a server already up with `cargo perf --target-url http://127.0.0.1:PORT`.",
        stub.bench_file
    );
    if let Some(url) = &stub.server_url {
        let _ = writeln!(text, "# The OpenAPI document's server: {url}");
    }
    text.push_str(
        "# [package.metadata.perf.server]\n\
         # bin = \"my-server\"               # a binary of this workspace (or: command = [\"./serve.sh\"])\n\
         # args = [\"--port\", \"{port}\"]     # {port}: a free loopback port (also in $PORT)\n",
    );
    match &stub.ready {
        Some(path) => {
            let _ = writeln!(
                text,
                "# ready = {path:?}                # GET until it answers 2xx (or \"tcp\")"
            );
        }
        None => text.push_str(
            "# ready = \"tcp\"                   # or a path, GET until it answers 2xx\n",
        ),
    }
    text
}

#[cfg(test)]
mod tests;
