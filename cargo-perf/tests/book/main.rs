//! The book under `docs/`: its generated pages are current, its links
//! lead somewhere, and its TOML and JSON examples parse.
//!
//! Two pages are generated from the code rather than written by hand: the
//! catalogue's kinds (from each kind's `Spec`, see [`catalogue`]) and the
//! command line (from clap's definition of `cargo perf`, the same text
//! `--help` prints, see [`command_line`]). When the code changes, the
//! committed page is stale and its test fails; `BOOK_UPDATE=1 cargo test
//! -p cargo-perf --test book` writes the pages anew. The book's Rust
//! examples are compiled by perf-runtime's doctests.

mod catalogue;
mod command_line;
mod examples;

use std::path::{Path, PathBuf};

/// The repository's root (the workspace above `cargo-perf/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cargo-perf/ is inside the workspace")
        .to_path_buf()
}

/// The command that regenerates the pages, for the header of each and
/// the message of a stale one.
const UPDATE: &str = "BOOK_UPDATE=1 cargo test -p cargo-perf --test book";

/// The comment that opens a generated page.
fn generated_header(from: &str) -> String {
    format!(
        "<!-- Generated from {from} by cargo-perf/tests/book: do not edit.\n     \
         Run `{UPDATE}` to regenerate. -->\n"
    )
}

/// Compares a generated page with the committed file, or writes it when
/// `BOOK_UPDATE` is set.
fn check_page(relative: &str, rendered: &str) {
    let path = root().join(relative);
    if std::env::var_os("BOOK_UPDATE").is_some() {
        std::fs::write(&path, rendered)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != rendered {
        let first = committed
            .lines()
            .zip(rendered.lines())
            .position(|(old, new)| old != new)
            .unwrap_or_else(|| committed.lines().count().min(rendered.lines().count()));
        panic!(
            "{relative} is stale (it differs from line {}: committed {:?}, generated {:?}); \
             run `{UPDATE}` to regenerate it",
            first + 1,
            committed.lines().nth(first).unwrap_or("<end>"),
            rendered.lines().nth(first).unwrap_or("<end>"),
        );
    }
}

#[test]
fn the_catalogue_page_is_generated_from_the_kinds() {
    check_page("docs/src/catalogue/kinds.md", &catalogue::render());
}

#[test]
fn the_command_line_page_is_generated_from_the_help() {
    check_page(
        "docs/src/reference/command-line.md",
        &command_line::render(),
    );
}

/// What `cargo-perf perf ARGS` prints.
fn printed(args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-perf"))
        .arg("perf")
        .args(args)
        .output()
        .expect("cargo-perf runs");
    assert!(
        output.status.success(),
        "cargo perf {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_split_pages_examples_are_what_cargo_perf_prints() {
    // The workflow is checked by actionlint in .ci/run with the book's
    // other workflows.
    check_page(
        "docs/src/ci/sharded.yml",
        &printed(&["ci", "--shards", "3"]),
    );
    check_page(
        "docs/src/ci/split-job.yaml",
        &printed(&[
            "k8s",
            "--split",
            "4",
            "--image",
            "registry.example/shop-perf:1",
            "--target-url",
            "http://shop.default.svc:8080",
            "--allow-remote",
            "--start-at",
            "2026-01-01T12:00:00Z",
            "--",
            "shop/load::browse",
            "--duration-scale",
            "0.5",
        ]),
    );
}
