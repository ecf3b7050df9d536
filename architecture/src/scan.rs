//! What one source file says, read with `syn`: the paths it names, the
//! names its `use` items bind, the items it defines, its string literals
//! and, at its top level, the items that are neither `mod` declarations
//! nor `use`s.
//!
//! Attributes (doc comments included) name nothing, and items under
//! `#[cfg(test)]` are skipped: test code may use anything. Inside a macro
//! call, where syn sees only tokens, `a::b` sequences count as paths and
//! string literals as literals.

use std::collections::BTreeSet;

use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens as _;
use syn::ext::IdentExt as _;
use syn::visit::{self, Visit};
use syn::{Attribute, ImplItem, Item, ItemMod, ItemUse, Path, UseTree, Visibility};

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

/// A string literal in code: what a rule on literals reads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct StrLit {
    pub(crate) value: String,
    pub(crate) line: usize,
}

/// What [`scan`] found in a file.
#[derive(Debug, Default)]
pub(crate) struct FileFacts {
    pub(crate) uses: Vec<UseLeaf>,
    pub(crate) paths: Vec<PathRef>,
    pub(crate) literals: Vec<StrLit>,
    /// Names of the items the file module defines (modules included).
    pub(crate) defines: BTreeSet<String>,
    /// Top-level items other than `mod name;` and `use`, as
    /// (`fn name`, line): what a `mod.rs` must not hold.
    pub(crate) items: Vec<(String, usize)>,
}

/// Scans one file; `Err` says why it is not Rust.
pub(crate) fn scan(source: &str) -> Result<FileFacts, syn::Error> {
    let file = syn::parse_file(source)?;
    let mut scanner = Scanner::default();
    for item in &file.items {
        scanner.note_top_level(item);
    }
    scanner.visit_file(&file);
    Ok(scanner.facts)
}

/// The 1-based line a span starts on.
fn line(span: Span) -> usize {
    span.start().line
}

fn name(ident: &syn::Ident) -> String {
    ident.unraw().to_string()
}

/// Whether the attributes hold exactly `#[cfg(test)]`.
fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The name an item defines in its module, with its keyword.
fn definition(item: &Item) -> Option<(&'static str, &syn::Ident)> {
    Some(match item {
        Item::Const(i) => ("const", &i.ident),
        Item::Enum(i) => ("enum", &i.ident),
        Item::Fn(i) => ("fn", &i.sig.ident),
        Item::Macro(i) => ("macro_rules", i.ident.as_ref()?),
        Item::Mod(i) => ("mod", &i.ident),
        Item::Static(i) => ("static", &i.ident),
        Item::Struct(i) => ("struct", &i.ident),
        Item::Trait(i) => ("trait", &i.ident),
        Item::TraitAlias(i) => ("trait", &i.ident),
        Item::Type(i) => ("type", &i.ident),
        Item::Union(i) => ("union", &i.ident),
        _ => return None,
    })
}

/// An item in words, as a report names it: `fn run`, `impl Engine`.
fn describe(item: &Item) -> String {
    if let Some((keyword, ident)) = definition(item) {
        return format!("{keyword} {}", name(ident));
    }
    match item {
        Item::Impl(i) => match &*i.self_ty {
            syn::Type::Path(ty) => match ty.path.segments.last() {
                Some(last) => format!("impl {}", name(&last.ident)),
                None => "impl".to_owned(),
            },
            _ => "impl".to_owned(),
        },
        Item::Macro(i) => format!("{}!", i.mac.path.to_token_stream()).replace(' ', ""),
        Item::ExternCrate(i) => format!("extern crate {}", name(&i.ident)),
        Item::ForeignMod(_) => "extern block".to_owned(),
        _ => "item".to_owned(),
    }
}

/// The line of an item's first word after its attributes and visibility
/// (`fn` in `#[inline]\npub fn f`).
fn item_line(item: &Item) -> usize {
    let mut tokens = item.to_token_stream().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                tokens.next();
            }
            TokenTree::Ident(word) if word == "pub" => {
                if let Some(TokenTree::Group(_)) = tokens.peek() {
                    tokens.next();
                }
            }
            _ => return line(token.span()),
        }
    }
    0
}

#[derive(Default)]
struct Scanner {
    /// Inline modules we are in.
    scope: Vec<String>,
    facts: FileFacts,
}

impl Scanner {
    /// Records what a top-level item defines, and whether it is more than
    /// a declaration.
    fn note_top_level(&mut self, item: &Item) {
        let test_only = is_test_only(item_attrs(item));
        let declaration = match item {
            Item::Use(_) => true,
            Item::Mod(m) => m.content.is_none(),
            _ => false,
        };
        if !declaration {
            let prefix = if test_only { "#[cfg(test)] " } else { "" };
            let what = format!("{prefix}{}", describe(item));
            self.facts.items.push((what, item_line(item)));
        }
        if let (false, Some((_, ident))) = (test_only, definition(item)) {
            self.facts.defines.insert(name(ident));
        }
    }

    fn path(&mut self, segments: Vec<String>, line: usize) {
        if segments.len() > 1 {
            self.facts.paths.push(PathRef {
                segments,
                scope: self.scope.clone(),
                line,
            });
        }
    }

    fn use_tree(&mut self, tree: &UseTree, mut path: Vec<String>) {
        let (bind, glob, line) = match tree {
            UseTree::Path(p) => {
                path.push(name(&p.ident));
                return self.use_tree(&p.tree, path);
            }
            UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(tree, path.clone());
                }
                return;
            }
            UseTree::Name(n) => {
                path.push(name(&n.ident));
                (None, false, line(n.ident.span()))
            }
            UseTree::Rename(r) => {
                path.push(name(&r.ident));
                let bind = (r.rename != "_").then(|| name(&r.rename));
                (Some(bind), false, line(r.ident.span()))
            }
            UseTree::Glob(g) => (Some(None), true, line(g.star_token.span)),
        };
        if path.last().is_some_and(|last| last == "self") {
            path.pop();
        }
        // A plain name binds its last segment (`self` dropped first).
        let bind = bind.unwrap_or_else(|| path.last().cloned());
        self.facts.uses.push(UseLeaf {
            path,
            bind,
            glob,
            scope: self.scope.clone(),
            line,
        });
    }

    /// Paths and string literals in a macro call's tokens.
    fn tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let path_sep = |at: usize| match (tokens.get(at), tokens.get(at + 1)) {
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) => {
                a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
            }
            _ => false,
        };
        let mut at = 0;
        while let Some(token) = tokens.get(at) {
            at += 1;
            match token {
                TokenTree::Group(group) => self.tokens(group.stream()),
                TokenTree::Literal(literal) => {
                    let token = TokenStream::from(TokenTree::Literal(literal.clone()));
                    if let Ok(lit) = syn::parse2::<syn::LitStr>(token) {
                        self.visit_lit_str(&lit);
                    }
                }
                TokenTree::Ident(first) if at < 3 || !path_sep(at - 3) => {
                    let mut segments = vec![name(first)];
                    while path_sep(at) {
                        let Some(TokenTree::Ident(next)) = tokens.get(at + 2) else {
                            break;
                        };
                        segments.push(name(next));
                        at += 3;
                    }
                    self.path(segments, line(first.span()));
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Scanner {
    /// Attributes and doc comments name no module.
    fn visit_attribute(&mut self, _: &'ast Attribute) {}

    /// `pub(in super::super)` restricts, it does not use.
    fn visit_visibility(&mut self, _: &'ast Visibility) {}

    fn visit_item(&mut self, item: &'ast Item) {
        if !is_test_only(item_attrs(item)) {
            visit::visit_item(self, item);
        }
    }

    fn visit_impl_item(&mut self, item: &'ast ImplItem) {
        let attrs: &[Attribute] = match item {
            ImplItem::Const(i) => &i.attrs,
            ImplItem::Fn(i) => &i.attrs,
            ImplItem::Type(i) => &i.attrs,
            ImplItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        if !is_test_only(attrs) {
            visit::visit_impl_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, module: &'ast ItemMod) {
        self.scope.push(name(&module.ident));
        visit::visit_item_mod(self, module);
        self.scope.pop();
    }

    fn visit_item_use(&mut self, item: &'ast ItemUse) {
        // A leading `::` names an extern crate.
        let root = item.leading_colon.map(|_| "::".to_owned());
        self.use_tree(&item.tree, root.into_iter().collect());
    }

    fn visit_path(&mut self, path: &'ast Path) {
        if path.leading_colon.is_none()
            && let Some(first) = path.segments.first()
        {
            let segments = path.segments.iter().map(|s| name(&s.ident)).collect();
            self.path(segments, line(first.ident.span()));
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.tokens(mac.tokens.clone());
    }

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        self.facts.literals.push(StrLit {
            value: lit.value(),
            line: line(lit.span()),
        });
    }
}

#[cfg(test)]
mod tests;
