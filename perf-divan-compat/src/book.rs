//! The book's page on divan benchmarks, its Rust example compiled as a
//! doctest of this crate (cargo-perf's `book` test checks that it is).

/// The book: divan benchmarks.
#[doc = include_str!("../../docs/src/guide/divan.md")]
struct DivanPage;
