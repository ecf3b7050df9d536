//! No folder-level cycles: a crate's top-level modules (a folder such as
//! `cargo/`, or a file such as `interrupt.rs`, under `src/`) name each
//! other one way only, so that each step of the data flow can be read
//! without the ones after it. Two files may not form a cycle and yet
//! their folders may: `cargo/config.rs` naming `server/spec.rs` while
//! `server/target.rs` names `cargo/build.rs`. `lib.rs` names everything
//! and is no folder.

use std::collections::BTreeMap;

use crate::graph::{ModuleGraph, SourceFile, module_path};

/// The crates held to the rule. perf-record's `attr`, `kinds`, `load`,
/// `protocol`, `record` and `threshold`, and perf-runtime's `load` and
/// `registry`, still name each other.
pub(crate) const CRATES: [&str; 5] = [
    "architecture",
    "cargo-perf",
    "perf-divan-compat",
    "perf-divan-compat-macros",
    "perf-macros",
];

/// One hop of a folder cycle: the folder, and the first place one of its
/// files names the next folder (file, line, path named there).
pub(crate) type Hop = (String, String, usize, String);

/// Every cycle of top-level modules in the file graph `graph` of `files`.
pub(crate) fn cycles(files: &[SourceFile], graph: &ModuleGraph) -> Vec<Vec<Hop>> {
    let top = |file: usize| module_path(&files[file].path)?.first().cloned();
    let mut names: Vec<String> = (0..files.len()).filter_map(top).collect();
    names.sort();
    names.dedup();
    let index = |name: &String| names.binary_search(name).ok();
    // The folders' graph, each edge with the first file edge behind it.
    let mut edges = BTreeMap::new();
    for (&(from, to), evidence) in &graph.edges {
        let (Some(a), Some(b)) = (top(from), top(to)) else {
            continue;
        };
        if let (Some(a), Some(b)) = (index(&a), index(&b))
            && a != b
        {
            edges.entry((a, b)).or_insert((from, evidence.clone()));
        }
    }
    let folders = ModuleGraph {
        edges: edges.iter().map(|(&k, (_, e))| (k, e.clone())).collect(),
    };
    folders
        .cycles()
        .into_iter()
        .map(|cycle| {
            let hops = cycle.iter().zip(cycle.iter().cycle().skip(1));
            hops.map(|(&a, &b)| {
                let (file, evidence) = &edges[&(a, b)];
                (
                    names[a].clone(),
                    files[*file].path.clone(),
                    evidence.line,
                    evidence.path.clone(),
                )
            })
            .collect()
        })
        .collect()
}
