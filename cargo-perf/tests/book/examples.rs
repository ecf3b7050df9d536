//! What a reader copies from the README and the book: every relative link
//! leads to a file, every TOML and JSON example parses, every code block
//! says its language, and every page with Rust examples is compiled by
//! perf-runtime's doctests (`perf-runtime/src/book.rs`), or the compat
//! crate's (`perf-divan-compat/src/book.rs`).

use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::root;

/// README.md and every page of the book.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut dirs = vec![root().join("docs/src")];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
}

/// A page's code blocks (info string, text) and link targets.
struct Page {
    path: PathBuf,
    blocks: Vec<(String, String)>,
    links: Vec<String>,
}

fn read(path: &Path) -> Page {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut page = Page {
        path: path.to_path_buf(),
        blocks: Vec::new(),
        links: Vec::new(),
    };
    let mut block: Option<(String, String)> = None;
    for event in Parser::new(&text) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => "<indented>".to_owned(),
                };
                block = Some((info, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, body)) = &mut block {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => page.blocks.extend(block.take()),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                page.links.push(dest_url.to_string());
            }
            _ => {}
        }
    }
    page
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_relative_link_leads_to_a_file() {
    let mut broken = Vec::new();
    for page in pages().iter().map(|p| read(p)) {
        for link in &page.links {
            if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let file = link.split('#').next().unwrap_or_default();
            let dir = page.path.parent().expect("a page is in a directory");
            if !dir.join(file).exists() {
                broken.push(format!("{}: {link}", relative(&page.path)));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to nothing:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_toml_and_json_example_parses() {
    let mut checked = 0;
    for page in pages().iter().map(|p| read(p)) {
        for (info, body) in &page.blocks {
            let result = match info.as_str() {
                "toml" => body
                    .parse::<toml::Table>()
                    .map(drop)
                    .map_err(|e| e.to_string()),
                "json" => serde_json::from_str::<serde_json::Value>(body)
                    .map(drop)
                    .map_err(|e| e.to_string()),
                _ => continue,
            };
            checked += 1;
            if let Err(error) = result {
                panic!(
                    "{}: a {info} example does not parse: {error}\n{body}",
                    relative(&page.path)
                );
            }
        }
    }
    assert!(checked >= 5, "only {checked} TOML and JSON examples found");
}

#[test]
fn every_code_block_says_its_language_and_rust_is_never_ignored() {
    for page in pages().iter().map(|p| read(p)) {
        for (info, body) in &page.blocks {
            // rustdoc compiles a block without a language as Rust, and
            // mdbook shows it as Rust.
            assert!(
                !info.is_empty() && info != "<indented>",
                "{}: a code block without a language:\n{body}",
                relative(&page.path)
            );
            assert!(
                !(info.starts_with("rust") && info.contains("ignore")),
                "{}: a Rust example that is not compiled (`{info}`):\n{body}",
                relative(&page.path)
            );
        }
    }
}

#[test]
fn every_page_with_rust_examples_is_compiled_by_the_doctests() {
    let doctests = root().join("perf-runtime/src/book.rs");
    // The page on divan benchmarks compiles against the compat crate.
    let compat = root().join("perf-divan-compat/src/book.rs");
    let included = [&doctests, &compat]
        .map(|path| {
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .concat();
    let mut pages_with_rust = 0;
    for page in pages().iter().map(|p| read(p)) {
        if !page.blocks.iter().any(|(info, _)| info.starts_with("rust")) {
            continue;
        }
        pages_with_rust += 1;
        let path = relative(&page.path);
        assert!(
            included.contains(&format!("include_str!(\"../../{path}\")")),
            "{path} has Rust examples that no doctest compiles: include it in {}",
            relative(&doctests)
        );
    }
    assert!(
        pages_with_rust >= 3,
        "only {pages_with_rust} pages with Rust examples"
    );
}
