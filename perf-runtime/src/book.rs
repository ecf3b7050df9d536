//! The Rust examples of the README and of the book under `docs/`, compiled
//! (and run: each is wrapped in a `main` that does nothing) as doctests of
//! this crate, so that what a user copies builds against perf-runtime as
//! it is. Lines starting with `# ` are hidden in the book and on GitHub:
//! the imports and stand-ins a fragment needs. cargo-perf's `book` test
//! checks that every page with a Rust example is included here.

/// README.md.
#[doc = include_str!("../../README.md")]
struct Readme;

/// The book: Getting started.
#[doc = include_str!("../../docs/src/guide/getting-started.md")]
struct GettingStarted;

/// The book: Starting with `cargo perf init`.
#[doc = include_str!("../../docs/src/guide/init.md")]
struct Init;

/// The book: Writing perf tests.
#[doc = include_str!("../../docs/src/guide/writing-tests.md")]
struct WritingTests;

/// The book: Workloads and users.
#[doc = include_str!("../../docs/src/load/workloads.md")]
struct Workloads;

/// The book: the catalogue's examples (the WebSocket one only with the
/// `websocket` feature, which `.ci/run` tests too).
#[doc = include_str!("../../docs/src/catalogue/examples.md")]
struct CatalogueExamples;
