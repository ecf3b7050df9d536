//! Compile-time behaviour of `#[perf_test]`: accepted shapes build and run
//! (as a smoke test), misuse is an error that points at the offending token.
//!
//! Regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p perf-runtime --test macro_ui`, then read
//! every one of them before committing.

#[test]
fn perf_test_attribute() {
    // One `TestCases` builds every case in one crate graph, which keeps the
    // test fast.
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
