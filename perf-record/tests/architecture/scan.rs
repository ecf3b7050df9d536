//! What one source file says about modules: the paths it names, the names
//! its `use` items bind, the items it defines and, at its top level, the
//! items that are neither `mod` declarations nor `use`s.
//!
//! Items under `#[cfg(test)]` are skipped: test code may use anything.

use std::collections::BTreeSet;

use crate::lexer::{Tok, Token, tokenize};

/// One leaf of a `use` tree: `use a::{b::C as D, e::*}` has two.
#[derive(Debug)]
pub(crate) struct UseLeaf {
    /// As written, `self` leaves dropped: `[a, b, C]`, `[a, e]`.
    pub(crate) path: Vec<String>,
    /// The name it binds (`D`); `None` for globs and `as _`.
    pub(crate) bind: Option<String>,
    pub(crate) glob: bool,
    /// The inline modules (`mod name { … }`) the `use` sits in.
    pub(crate) scope: Vec<String>,
    pub(crate) line: usize,
}

/// A path in code, outside `use` items: `crate::server::track` or
/// `engine::run`.
#[derive(Debug)]
pub(crate) struct PathRef {
    pub(crate) segments: Vec<String>,
    pub(crate) scope: Vec<String>,
    pub(crate) line: usize,
}

/// What [`scan`] found in a file.
#[derive(Debug, Default)]
pub(crate) struct FileFacts {
    pub(crate) uses: Vec<UseLeaf>,
    pub(crate) paths: Vec<PathRef>,
    /// Names of the items the file module defines (modules included).
    pub(crate) defines: BTreeSet<String>,
    /// Top-level items other than `mod name;` and `use`, as
    /// (`fn name`, line): what a `mod.rs` must not hold.
    pub(crate) items: Vec<(String, usize)>,
}

const DEFINING: [&str; 10] = [
    "fn",
    "struct",
    "enum",
    "union",
    "trait",
    "type",
    "const",
    "static",
    "mod",
    "macro_rules",
];

/// Scans one file.
pub(crate) fn scan(source: &str) -> FileFacts {
    let mut scanner = Scanner {
        tokens: tokenize(source),
        pos: 0,
        depth: 0,
        scopes: Vec::new(),
        facts: FileFacts::default(),
    };
    scanner.run();
    scanner.facts
}

struct Scanner {
    tokens: Vec<Token>,
    pos: usize,
    /// Nesting of all brackets: `{`, `(` and `[`.
    depth: usize,
    /// Inline modules we are in, with the depth inside their braces.
    scopes: Vec<(String, usize)>,
    facts: FileFacts,
}

impl Scanner {
    fn tok(&self, at: usize) -> Option<&Tok> {
        self.tokens.get(at).map(|t| &t.tok)
    }

    fn ident(&self, at: usize) -> Option<&str> {
        match self.tok(at) {
            Some(Tok::Ident(name)) => Some(name),
            _ => None,
        }
    }

    fn line(&self, at: usize) -> usize {
        self.tokens.get(at).map_or(0, |t| t.line)
    }

    fn module_depth(&self) -> usize {
        self.scopes.last().map_or(0, |scope| scope.1)
    }

    fn scope(&self) -> Vec<String> {
        self.scopes.iter().map(|scope| scope.0.clone()).collect()
    }

    /// At the file's own top level, where a `mod.rs`'s items are checked.
    fn top_level(&self) -> bool {
        self.depth == 0 && self.scopes.is_empty()
    }

    fn run(&mut self) {
        let mut item_start = true;
        while let Some(tok) = self.tok(self.pos).cloned() {
            let at_module = self.depth == self.module_depth();
            match tok {
                Tok::Punct('#') => {
                    let test_only = self.skip_attribute();
                    if test_only {
                        self.skip_test_item();
                    }
                    continue;
                }
                Tok::Punct('{' | '(' | '[') => self.depth += 1,
                Tok::Punct(close @ ('}' | ')' | ']')) => {
                    self.depth = self.depth.saturating_sub(1);
                    if close == '}' && self.scopes.last().is_some_and(|s| s.1 == self.depth + 1) {
                        self.scopes.pop();
                    }
                    if close == '}' && self.depth == self.module_depth() {
                        self.pos += 1;
                        item_start = true;
                        continue;
                    }
                }
                Tok::Punct(';') if at_module => {
                    self.pos += 1;
                    item_start = true;
                    continue;
                }
                Tok::Ident(word) if word == "pub" && item_start => {
                    self.pos += 1;
                    if self.tok(self.pos) == Some(&Tok::Punct('(')) {
                        self.pos = self.matching(self.pos) + 1;
                    }
                    continue;
                }
                Tok::Ident(word)
                    if word == "use" && self.tok(self.pos + 1) != Some(&Tok::Punct('<')) =>
                {
                    self.parse_use();
                    item_start = at_module;
                    continue;
                }
                Tok::Ident(word) => {
                    if at_module {
                        self.note_definition(&word, item_start);
                    }
                    if self.tok(self.pos + 1) == Some(&Tok::PathSep)
                        && self.tok(self.pos.wrapping_sub(1)) != Some(&Tok::PathSep)
                    {
                        self.parse_path();
                        item_start = false;
                        continue;
                    }
                }
                _ => {}
            }
            item_start = false;
            self.pos += 1;
        }
    }

    /// Records `fn name`, `mod name { … }` and the like at module level.
    fn note_definition(&mut self, word: &str, item_start: bool) {
        let name = match (word, self.tok(self.pos + 1)) {
            ("macro_rules", Some(Tok::Punct('!'))) => self.ident(self.pos + 2),
            (_, _) if DEFINING.contains(&word) => self.ident(self.pos + 1),
            _ => None,
        };
        let name = name.map(str::to_owned);
        let is_mod_declaration = word == "mod" && self.tok(self.pos + 2) == Some(&Tok::Punct(';'));
        if item_start && self.top_level() && !is_mod_declaration {
            // `impl Type` names no item but says which.
            let named = name
                .as_deref()
                .or(self.ident(self.pos + 1).filter(|_| word == "impl"));
            let what = match named {
                Some(name) => format!("{word} {name}"),
                None => word.to_owned(),
            };
            self.facts.items.push((what, self.line(self.pos)));
        }
        let Some(name) = name else { return };
        if self.scopes.is_empty() {
            self.facts.defines.insert(name.clone());
        }
        if word == "mod" && self.tok(self.pos + 2) == Some(&Tok::Punct('{')) {
            self.scopes.push((name, self.depth + 1));
        }
    }

    /// Skips `#[…]` or `#![…]`; says whether it was `#[cfg(test)]`.
    fn skip_attribute(&mut self) -> bool {
        let open = self.pos + 1 + usize::from(self.tok(self.pos + 1) == Some(&Tok::Punct('!')));
        if self.tok(open) != Some(&Tok::Punct('[')) {
            self.pos += 1;
            return false;
        }
        let close = self.matching(open);
        let inside: Vec<_> = self.tokens[open + 1..close]
            .iter()
            .map(|t| &t.tok)
            .collect();
        self.pos = close + 1;
        let cfg_test = [
            Tok::Ident("cfg".into()),
            Tok::Punct('('),
            Tok::Ident("test".into()),
            Tok::Punct(')'),
        ];
        inside.len() == 4 && inside.iter().zip(&cfg_test).all(|(a, b)| *a == b)
    }

    /// Skips the item after `#[cfg(test)]`, noting it as an item when it
    /// is code at the top level (`mod tests;` and `use` are declarations).
    fn skip_test_item(&mut self) {
        while self.tok(self.pos) == Some(&Tok::Punct('#')) {
            self.skip_attribute();
        }
        let first = self.pos;
        let mut depth = 0;
        while let Some(tok) = self.tok(self.pos).cloned() {
            self.pos += 1;
            match tok {
                Tok::Punct('{' | '(' | '[') => depth += 1,
                Tok::Punct('}') if depth == 1 => break,
                Tok::Punct('}' | ')' | ']') => depth -= 1,
                Tok::Punct(';') if depth == 0 => break,
                _ => {}
            }
        }
        let visibility = ["pub", "crate", "super", "in"];
        let words: Vec<_> = (first..self.pos)
            .filter_map(|at| self.ident(at))
            .filter(|word| !visibility.contains(word))
            .take(2)
            .collect();
        let declaration = match words.first() {
            Some(&"use") => true,
            Some(&"mod") => self.tok(self.pos - 1) == Some(&Tok::Punct(';')),
            _ => false,
        };
        if self.top_level() && !declaration {
            let what = format!("#[cfg(test)] {}", words.join(" "));
            self.facts.items.push((what, self.line(first)));
        }
    }

    /// The position of the bracket closing the one at `open`.
    fn matching(&self, open: usize) -> usize {
        let mut depth = 0;
        for at in open..self.tokens.len() {
            match self.tok(at) {
                Some(Tok::Punct('{' | '(' | '[')) => depth += 1,
                Some(Tok::Punct('}' | ')' | ']')) => {
                    depth -= 1;
                    if depth == 0 {
                        return at;
                    }
                }
                _ => {}
            }
        }
        self.tokens.len()
    }

    /// `a::b::c` in code; stops before `::<` and `::{`.
    fn parse_path(&mut self) {
        let line = self.line(self.pos);
        let mut segments = Vec::new();
        while let Some(name) = self.ident(self.pos) {
            segments.push(name.to_owned());
            self.pos += 1;
            if self.tok(self.pos) != Some(&Tok::PathSep) || self.ident(self.pos + 1).is_none() {
                break;
            }
            self.pos += 1;
        }
        if segments.len() > 1 {
            let scope = self.scope();
            self.facts.paths.push(PathRef {
                segments,
                scope,
                line,
            });
        }
    }

    /// A whole `use` item, through its `;`.
    fn parse_use(&mut self) {
        self.pos += 1;
        self.use_tree(Vec::new());
        if self.tok(self.pos) == Some(&Tok::Punct(';')) {
            self.pos += 1;
        }
    }

    fn use_tree(&mut self, mut path: Vec<String>) {
        let mut line = self.line(self.pos);
        loop {
            match self.tok(self.pos) {
                // A leading `::` names an extern crate.
                Some(Tok::PathSep) if path.is_empty() => path.push("::".into()),
                Some(Tok::PathSep) => {}
                Some(Tok::Ident(name)) if name != "as" => {
                    path.push(name.clone());
                    line = self.line(self.pos);
                }
                Some(Tok::Punct('{')) => {
                    self.pos += 1;
                    while !matches!(self.tok(self.pos), Some(Tok::Punct('}')) | None) {
                        self.use_tree(path.clone());
                        if self.tok(self.pos) == Some(&Tok::Punct(',')) {
                            self.pos += 1;
                        }
                    }
                    self.pos += 1;
                    return;
                }
                Some(Tok::Punct('*')) => {
                    self.pos += 1;
                    self.push_leaf(path, None, true, line);
                    return;
                }
                _ => break,
            }
            self.pos += 1;
        }
        if path.last().is_some_and(|last| last == "self") {
            path.pop();
        }
        let mut bind = path.last().cloned();
        if self.ident(self.pos) == Some("as") {
            bind = self
                .ident(self.pos + 1)
                .filter(|name| *name != "_")
                .map(str::to_owned);
            self.pos += 2;
        }
        self.push_leaf(path, bind, false, line);
    }

    fn push_leaf(&mut self, path: Vec<String>, bind: Option<String>, glob: bool, line: usize) {
        let scope = self.scope();
        self.facts.uses.push(UseLeaf {
            path,
            bind,
            glob,
            scope,
            line,
        });
    }
}
