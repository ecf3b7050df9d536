//! The workspace's architecture rules, checked on its sources (issue 11):
//!
//! - **no module cycles**: in every crate, no file module imports a module
//!   that imports it, directly or round a longer loop. A cycle means
//!   neither side can be understood, tested or moved without the other.
//! - **no folder cycles**: in the crates [`folders::CRATES`] names, no
//!   top-level module (`cargo/`, `interrupt.rs`) names one that names it.
//! - **no file over [`MAX_LINES`] lines**, test files included: past that
//!   a file holds more than one concern.
//! - **a `mod.rs` only declares and re-exports** (`mod`, `use`, docs and
//!   attributes), so the folder's files hold the code and the tree shows
//!   where it is. `lib.rs` is exempt: it holds the crate's public API.
//! - **every file parses** as Rust (the rules read it with `syn`).
//!
//! An edge is every `crate::`, `super::` and `self::` path, in `use` items,
//! in code and in macro calls' tokens, plus paths through names those items
//! import; re-exports are followed to the file that defines the name. A
//! file naming its own children, `#[cfg(test)]` items and `tests.rs` files
//! make no edges; comments, strings and attributes name nothing.
//!
//! A rule is a function of the crate's files (each read into
//! [`scan::FileFacts`]: its uses, paths, string literals, definitions and
//! top-level items) that adds to [`Violations`], and a section of
//! [`render`]. `cargo test --workspace` runs it (this crate's test), and
//! `cargo run -p architecture` prints the report alone.

mod folders;
mod graph;
#[cfg(test)]
mod metric_names;
mod scan;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use graph::{SourceFile, build};

/// The workspace crates whose `src/` is checked.
const CRATES: [&str; 7] = [
    "architecture",
    "cargo-perf",
    "perf-divan-compat",
    "perf-divan-compat-macros",
    "perf-macros",
    "perf-runtime",
    "perf-record",
];

/// The most lines a source file may have.
const MAX_LINES: usize = 500;

/// What breaks the rules in one crate; empty when nothing does.
#[derive(Debug, Default)]
struct Violations {
    /// Each cycle as its edges: (file, line, path named there); the file
    /// of the next edge is the one named.
    cycles: Vec<Vec<(String, usize, String)>>,
    /// Each cycle of top-level modules, as its hops.
    folder_cycles: Vec<Vec<folders::Hop>>,
    /// (file, lines)
    oversize: Vec<(String, usize)>,
    /// (file, the items that are more than declarations, with lines)
    crowded_mod_rs: Vec<(String, Vec<(String, usize)>)>,
    /// (file, why it does not parse)
    unparsed: Vec<(String, String)>,
}

/// Checks one crate's files (paths relative to its `src/`); `folders`:
/// whether it is held to the folder rule too.
fn check_crate(files: &[SourceFile], folders: bool) -> Violations {
    let graph = build(files);
    let folder_cycles = if folders {
        folders::cycles(files, &graph)
    } else {
        Vec::new()
    };
    let cycles = graph
        .cycles()
        .into_iter()
        .map(|cycle| {
            let hops = cycle.iter().zip(cycle.iter().cycle().skip(1));
            hops.map(|(&from, &to)| {
                let evidence = &graph.edges[&(from, to)];
                (
                    files[from].path.clone(),
                    evidence.line,
                    evidence.path.clone(),
                )
            })
            .collect()
        })
        .collect();
    let oversize = files
        .iter()
        .map(|file| (file.path.clone(), file.text.lines().count()))
        .filter(|(_, lines)| *lines > MAX_LINES)
        .collect();
    let crowded_mod_rs = files
        .iter()
        .filter(|file| file.path == "mod.rs" || file.path.ends_with("/mod.rs"))
        .filter_map(|file| Some((file.path.clone(), scan::scan(&file.text).ok()?.items)))
        .filter(|(_, items)| !items.is_empty())
        .collect();
    let unparsed = files
        .iter()
        .filter_map(|file| {
            let error = scan::scan(&file.text).err()?;
            let at = error.span().start();
            let path = format!("{}:{}:{}", file.path, at.line, at.column + 1);
            Some((path, error.to_string()))
        })
        .collect();
    Violations {
        cycles,
        folder_cycles,
        oversize,
        crowded_mod_rs,
        unparsed,
    }
}

/// Every `.rs` file under `dir`, paths relative to `src`, sorted.
fn read_sources(src: &Path, dir: &Path, files: &mut Vec<SourceFile>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_sources(src, &path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path.strip_prefix(src).expect("under src");
            files.push(SourceFile {
                path: relative.to_string_lossy().replace('\\', "/"),
                text: fs::read_to_string(&path).expect("a UTF-8 source file"),
            });
        }
    }
}

/// The report of every crate's violations, one section per rule.
fn render(violations: &[(&str, Violations)]) -> String {
    let mut out = String::new();
    let count = |f: fn(&Violations) -> usize| violations.iter().map(|(_, x)| f(x)).sum::<usize>();
    let cycles = count(|f| f.cycles.len());
    if cycles > 0 {
        let _ = writeln!(
            out,
            "{cycles} module cycles (a file imports a module that imports it):"
        );
    }
    for (name, found) in violations {
        for cycle in &found.cycles {
            let files: Vec<_> = cycle
                .iter()
                .chain(cycle.first())
                .map(|hop| hop.0.as_str())
                .collect();
            let _ = writeln!(out, "  {name}: {}", files.join(" -> "));
            for (file, line, path) in cycle {
                let _ = writeln!(out, "    {name}/src/{file}:{line}: {path}");
            }
        }
    }
    let folder_cycles = count(|f| f.folder_cycles.len());
    if folder_cycles > 0 {
        let _ = writeln!(
            out,
            "{folder_cycles} folder cycles (a top-level module names one that names it):"
        );
    }
    for (name, found) in violations {
        for cycle in &found.folder_cycles {
            let folders: Vec<_> = cycle
                .iter()
                .chain(cycle.first())
                .map(|hop| hop.0.as_str())
                .collect();
            let _ = writeln!(out, "  {name}: {}", folders.join(" -> "));
            for (_, file, line, path) in cycle {
                let _ = writeln!(out, "    {name}/src/{file}:{line}: {path}");
            }
        }
    }
    let oversize = count(|f| f.oversize.len());
    if oversize > 0 {
        let _ = writeln!(out, "{oversize} files over {MAX_LINES} lines:");
    }
    for (name, found) in violations {
        for (file, lines) in &found.oversize {
            let _ = writeln!(out, "  {name}/src/{file}: {lines} lines");
        }
    }
    let crowded = count(|f| f.crowded_mod_rs.len());
    if crowded > 0 {
        let _ = writeln!(
            out,
            "{crowded} mod.rs files with more than `mod` and `use` items:"
        );
    }
    for (name, found) in violations {
        for (file, items) in &found.crowded_mod_rs {
            let listed: Vec<_> = items
                .iter()
                .map(|(item, line)| format!("{item} (line {line})"))
                .collect();
            let _ = writeln!(out, "  {name}/src/{file}: {}", listed.join(", "));
        }
    }
    let unparsed = count(|f| f.unparsed.len());
    if unparsed > 0 {
        let _ = writeln!(out, "{unparsed} files that do not parse:");
    }
    for (name, found) in violations {
        for (at, error) in &found.unparsed {
            let _ = writeln!(out, "  {name}/src/{at}: {error}");
        }
    }
    out
}

/// The report on the workspace this crate is in; empty when every rule
/// holds.
fn check_workspace() -> String {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let violations: Vec<_> = CRATES
        .into_iter()
        .map(|name| {
            let src = workspace.join(name).join("src");
            let mut files = Vec::new();
            read_sources(&src, &src, &mut files);
            (name, check_crate(&files, folders::CRATES.contains(&name)))
        })
        .collect();
    render(&violations)
}

/// `cargo run -p architecture`: the report, and a failing exit status when
/// a rule is broken.
fn main() -> ExitCode {
    let report = check_workspace();
    if report.is_empty() {
        eprintln!("the architecture rules hold in {}", CRATES.join(", "));
        ExitCode::SUCCESS
    } else {
        eprint!("the architecture rules are broken:\n{report}");
        ExitCode::FAILURE
    }
}

#[test]
fn workspace_follows_the_architecture_rules() {
    let report = check_workspace();
    assert!(
        report.is_empty(),
        "the architecture rules are broken:\n{report}"
    );
}

#[cfg(test)]
mod tests;
