//! The workspace's architecture rules, checked on its sources (issue 11):
//!
//! - **no module cycles**: in every crate, no file module imports a module
//!   that imports it, directly or round a longer loop. A cycle means
//!   neither side can be understood, tested or moved without the other.
//! - **no file over [`MAX_LINES`] lines**, test files included: past that
//!   a file holds more than one concern.
//! - **a `mod.rs` only declares and re-exports** (`mod`, `use`, docs and
//!   attributes), so the folder's files hold the code and the tree shows
//!   where it is. `lib.rs` is exempt: it holds the crate's public API.
//!
//! An edge is every `crate::`, `super::` and `self::` path, in `use` items
//! and in code, plus paths through names those items import; re-exports
//! are followed to the file that defines the name. A file naming its own
//! children, `#[cfg(test)]` items and `tests.rs` files make no edges, and
//! comments and strings are skipped. Only `std` is used, and only tokens
//! are read (no parser), so the rules are cheap to keep.
//!
//! Run it with `cargo test -p perf-record --test architecture`.

mod graph;
mod lexer;
mod metric_names;
mod scan;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use graph::{SourceFile, build};

/// The workspace crates whose `src/` is checked.
const CRATES: [&str; 4] = ["cargo-perf", "perf-macros", "perf-runtime", "perf-record"];

/// The most lines a source file may have.
const MAX_LINES: usize = 500;

/// What breaks the rules in one crate; empty when nothing does.
#[derive(Debug, Default)]
struct Findings {
    /// Each cycle as its edges: (file, line, path named there); the file
    /// of the next edge is the one named.
    cycles: Vec<Vec<(String, usize, String)>>,
    /// (file, lines)
    oversize: Vec<(String, usize)>,
    /// (file, the items that are more than declarations, with lines)
    crowded_mod_rs: Vec<(String, Vec<(String, usize)>)>,
}

/// Checks one crate's files (paths relative to its `src/`).
fn check_crate(files: &[SourceFile]) -> Findings {
    let graph = build(files);
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
        .map(|file| (file.path.clone(), scan::scan(&file.text).items))
        .filter(|(_, items)| !items.is_empty())
        .collect();
    Findings {
        cycles,
        oversize,
        crowded_mod_rs,
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

/// The report of every crate's findings, one section per rule.
fn render(findings: &[(&str, Findings)]) -> String {
    let mut out = String::new();
    let count = |f: fn(&Findings) -> usize| findings.iter().map(|(_, x)| f(x)).sum::<usize>();
    let cycles = count(|f| f.cycles.len());
    if cycles > 0 {
        let _ = writeln!(
            out,
            "{cycles} module cycles (a file imports a module that imports it):"
        );
    }
    for (name, found) in findings {
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
    let oversize = count(|f| f.oversize.len());
    if oversize > 0 {
        let _ = writeln!(out, "{oversize} files over {MAX_LINES} lines:");
    }
    for (name, found) in findings {
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
    for (name, found) in findings {
        for (file, items) in &found.crowded_mod_rs {
            let listed: Vec<_> = items
                .iter()
                .map(|(item, line)| format!("{item} (line {line})"))
                .collect();
            let _ = writeln!(out, "  {name}/src/{file}: {}", listed.join(", "));
        }
    }
    out
}

#[test]
fn workspace_follows_the_architecture_rules() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let findings: Vec<_> = CRATES
        .into_iter()
        .map(|name| {
            let src = workspace.join(name).join("src");
            let mut files = Vec::new();
            read_sources(&src, &src, &mut files);
            (name, check_crate(&files))
        })
        .collect();
    let report = render(&findings);
    assert!(
        report.is_empty(),
        "the architecture rules are broken:\n{report}"
    );
}

#[cfg(test)]
mod tests;
