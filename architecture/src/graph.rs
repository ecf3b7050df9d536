//! The module graph of one crate: a node per file module, an edge from a
//! file to each file that defines something it names, and the cycles.
//!
//! A path is resolved to the longest prefix that names a file module; when
//! the next name there is imported (`pub use child::Name`, a glob, or a
//! private `use` a child reaches with `super::`), the import is followed to
//! the file that defines the name, so a `mod.rs` that only re-exports never
//! hides a cycle between the files behind it.

use std::collections::{BTreeMap, BTreeSet};

use crate::scan::{FileFacts, scan};

/// A source file, its path relative to the crate's `src/`.
pub(crate) struct SourceFile {
    pub(crate) path: String,
    pub(crate) text: String,
}

/// Where an edge comes from: the first place the file names the target.
#[derive(Debug, Clone)]
pub(crate) struct Evidence {
    pub(crate) line: usize,
    pub(crate) path: String,
}

/// Files (by index into the crate's files) and who names whom.
pub(crate) struct ModuleGraph {
    pub(crate) edges: BTreeMap<(usize, usize), Evidence>,
}

/// The module a file defines: `lib.rs` is the root, `a/mod.rs` and `a.rs`
/// are `a`, `a/b.rs` is `a::b`. `main.rs` and `bin/` are crate roots of
/// their own (binaries), outside the library's graph.
pub(crate) fn module_path(file: &str) -> Option<Vec<String>> {
    let stem = file.strip_suffix(".rs")?;
    if stem == "main" || stem.starts_with("bin/") {
        return None;
    }
    let mut path: Vec<String> = stem.split('/').map(str::to_owned).collect();
    if path
        .last()
        .is_some_and(|last| last == "mod" || (last == "lib" && path.len() == 1))
    {
        path.pop();
    }
    Some(path)
}

/// Test files hold no edges: test code may use anything.
fn is_test_file(file: &str) -> bool {
    file == "tests.rs" || file.ends_with("/tests.rs")
}

/// How deep imports are followed; a cycle of imports would be a compile
/// error, this only stops a malformed tree from looping.
const MAX_HOPS: usize = 16;

struct Resolver {
    modules: BTreeMap<Vec<String>, usize>,
    paths: Vec<Vec<String>>,
    facts: Vec<FileFacts>,
}

impl Resolver {
    /// A path as written in file `from` (inside inline modules `scope`),
    /// made absolute from the crate root; `None` for other crates.
    fn absolute(
        &self,
        from: usize,
        scope: &[String],
        segments: &[String],
        hops: usize,
    ) -> Option<Vec<String>> {
        let mut here = self.paths[from].clone();
        here.extend(scope.iter().cloned());
        let (first, rest) = segments.split_first()?;
        let mut base = match first.as_str() {
            "crate" => Vec::new(),
            "self" => here,
            "super" => {
                here.pop()?;
                let supers = rest.iter().take_while(|s| *s == "super").count();
                for _ in 0..supers {
                    here.pop()?;
                }
                return Some(
                    here.into_iter()
                        .chain(rest[supers..].iter().cloned())
                        .collect(),
                );
            }
            name if hops < MAX_HOPS => {
                let facts = &self.facts[from];
                let import = facts.uses.iter().find(|leaf| {
                    !leaf.glob && leaf.scope == scope && leaf.bind.as_deref() == Some(name)
                });
                if let Some(leaf) = import {
                    self.absolute(from, &leaf.scope, &leaf.path, hops + 1)?
                } else if scope.is_empty() && facts.defines.contains(name) {
                    here.into_iter().chain([name.to_owned()]).collect()
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The file that defines what the absolute `path` names.
    fn target(&self, path: &[String], hops: usize) -> Option<usize> {
        let prefix = (0..=path.len())
            .rev()
            .find(|&len| self.modules.contains_key(&path[..len]))?;
        let module = self.modules[&path[..prefix]];
        let Some(name) = path.get(prefix) else {
            return Some(module);
        };
        let facts = &self.facts[module];
        if facts.defines.contains(name) || hops >= MAX_HOPS {
            return Some(module);
        }
        let top_level = facts.uses.iter().filter(|leaf| leaf.scope.is_empty());
        let mut globs = Vec::new();
        for leaf in top_level {
            if leaf.glob {
                globs.extend(self.absolute(module, &[], &leaf.path, 0));
            } else if leaf.bind.as_ref() == Some(name) {
                // Imported from another crate: no edge in this one.
                let mut imported = self.absolute(module, &[], &leaf.path, 0)?;
                imported.extend(path[prefix + 1..].iter().cloned());
                return self.target(&imported, hops + 1);
            }
        }
        // Through the first glob whose module defines or imports the name.
        for glob in globs {
            let Some(&from) = self.modules.get(&glob) else {
                continue;
            };
            let there = &self.facts[from];
            let provides = there.defines.contains(name)
                || there
                    .uses
                    .iter()
                    .any(|leaf| leaf.scope.is_empty() && leaf.bind.as_ref() == Some(name));
            if provides {
                let through: Vec<_> = glob
                    .into_iter()
                    .chain(path[prefix..].iter().cloned())
                    .collect();
                return self.target(&through, hops + 1);
            }
        }
        Some(module)
    }
}

/// Builds the graph of one crate's files.
pub(crate) fn build(files: &[SourceFile]) -> ModuleGraph {
    let mut resolver = Resolver {
        modules: BTreeMap::new(),
        paths: Vec::new(),
        facts: Vec::new(),
    };
    for (index, file) in files.iter().enumerate() {
        let path = module_path(&file.path);
        let skip = path.is_none() || is_test_file(&file.path);
        // A file that does not parse is reported by its own rule.
        resolver.facts.push(if skip {
            FileFacts::default()
        } else {
            scan(&file.text).unwrap_or_default()
        });
        if let Some(path) = &path {
            resolver.modules.insert(path.clone(), index);
        }
        resolver.paths.push(path.unwrap_or_default());
    }
    let mut edges = BTreeMap::new();
    for from in 0..files.len() {
        let facts = &resolver.facts[from];
        let uses = facts.uses.iter().map(|u| (&u.path, &u.scope, u.line));
        let paths = facts.paths.iter().map(|p| (&p.segments, &p.scope, p.line));
        for (segments, scope, line) in uses.chain(paths) {
            let Some(absolute) = resolver.absolute(from, scope, segments, 0) else {
                continue;
            };
            let Some(to) = resolver.target(&absolute, 0) else {
                continue;
            };
            // A file naming its own children only declares them.
            if resolver.paths[to].starts_with(&resolver.paths[from]) {
                continue;
            }
            let evidence = Evidence {
                line,
                path: segments.join("::"),
            };
            edges
                .entry((from, to))
                .and_modify(|e: &mut Evidence| {
                    if line < e.line {
                        *e = evidence.clone();
                    }
                })
                .or_insert(evidence);
        }
    }
    ModuleGraph { edges }
}

/// Most cycles listed; beyond that the files in cycles say enough.
const MAX_CYCLES: usize = 100;

impl ModuleGraph {
    /// Every elementary cycle, each starting at its lowest file index,
    /// as the files in order (the first is not repeated at the end).
    pub(crate) fn cycles(&self) -> Vec<Vec<usize>> {
        let mut next: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &(from, to) in self.edges.keys() {
            next.entry(from).or_default().push(to);
        }
        let mut cycles = Vec::new();
        for &start in next.keys() {
            // Only files that lead back to `start` can be on its cycles;
            // walking the rest would only count paths.
            let mut back = BTreeSet::from([start]);
            let mut todo = vec![start];
            while let Some(to) = todo.pop() {
                for &(from, _) in self.edges.keys().filter(|edge| edge.1 == to) {
                    if from > start && back.insert(from) {
                        todo.push(from);
                    }
                }
            }
            let mut stack = vec![start];
            walk(&next, &back, &mut stack, &mut cycles);
        }
        cycles
    }
}

fn walk(
    next: &BTreeMap<usize, Vec<usize>>,
    back: &BTreeSet<usize>,
    stack: &mut Vec<usize>,
    cycles: &mut Vec<Vec<usize>>,
) {
    let (Some(&start), Some(last)) = (stack.first(), stack.last()) else {
        return;
    };
    for &to in next.get(last).into_iter().flatten() {
        if cycles.len() >= MAX_CYCLES {
            return;
        }
        if to == start {
            cycles.push(stack.clone());
        } else if back.contains(&to) && !stack.contains(&to) {
            stack.push(to);
            walk(next, back, stack, cycles);
            stack.pop();
        }
    }
}
