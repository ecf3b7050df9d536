//! The checker on small crates written here, so that a clean report on the
//! workspace means the rules hold, not that the checker saw nothing.

use super::*;

fn sources(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|(path, text)| SourceFile {
            path: (*path).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

/// Each cycle as its files, in order.
fn cycles(files: &[(&str, &str)]) -> Vec<Vec<String>> {
    check_crate(&sources(files), true)
        .cycles
        .into_iter()
        .map(|cycle| cycle.into_iter().map(|hop| hop.0).collect())
        .collect()
}

/// Every edge as (from, to).
fn edges(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let files = sources(files);
    let graph = build(&files);
    let name = |index: usize| files[index].path.clone();
    graph
        .edges
        .keys()
        .map(|&(from, to)| (name(from), name(to)))
        .collect()
}

#[test]
fn a_cycle_is_found_with_the_line_of_each_import() {
    let files = [
        ("lib.rs", "mod a;\nmod b;\n"),
        ("a.rs", "//! A.\n\nuse crate::b::B;\npub struct A;\n"),
        (
            "b.rs",
            "pub struct B;\n\nfn f() {\n    let _ = crate::a::A;\n}\n",
        ),
    ];
    let found = check_crate(&sources(&files), true);
    assert_eq!(
        found.cycles,
        [vec![
            ("a.rs".to_owned(), 3, "crate::b::B".to_owned()),
            ("b.rs".to_owned(), 4, "crate::a::A".to_owned()),
        ]]
    );
    let report = render(&[("demo", found)]);
    assert!(report.contains("demo: a.rs -> b.rs -> a.rs"), "{report}");
    assert!(report.contains("demo/src/b.rs:4: crate::a::A"), "{report}");
}

#[test]
fn every_cycle_of_three_files_is_listed_once() {
    let files = [
        ("lib.rs", "mod a; mod b; mod c;"),
        ("a.rs", "use crate::b::B; pub struct A;"),
        ("b.rs", "use crate::c::C; use super::a::A; pub struct B;"),
        ("c.rs", "use crate::a::A; pub struct C;"),
    ];
    assert_eq!(
        cycles(&files),
        [vec!["a.rs", "b.rs"], vec!["a.rs", "b.rs", "c.rs"]]
    );
}

#[test]
fn re_exports_are_followed_to_the_defining_file() {
    for re_export in [
        "pub use inner::Thing;",
        "pub use self::inner::{Other, Thing};",
        "pub use inner::*;",
    ] {
        let module = format!("mod inner;\nmod other;\n{re_export}\npub use other::Other;\n");
        let files = [
            ("lib.rs", "mod m;\nmod x;\npub use m::Thing as Renamed;\n"),
            ("m/mod.rs", module.as_str()),
            ("m/inner.rs", "use crate::x::X;\npub struct Thing;\n"),
            ("m/other.rs", "pub struct Other;\n"),
            (
                "x.rs",
                "pub struct X;\nfn f() -> crate::Renamed { todo!() }\n",
            ),
        ];
        assert_eq!(cycles(&files), [vec!["m/inner.rs", "x.rs"]], "{re_export}");
    }
}

#[test]
fn a_module_named_through_a_use_is_followed_in_code() {
    let files = [
        ("lib.rs", "mod report;\nmod run;\n"),
        ("report/mod.rs", "mod human;\npub use human::print;\n"),
        ("report/human.rs", "pub fn print() { crate::run::go(); }\n"),
        (
            "run.rs",
            "use crate::report;\npub fn go() { report::print(); }\n",
        ),
    ];
    assert_eq!(cycles(&files), [vec!["report/human.rs", "run.rs"]]);
}

#[test]
fn comments_and_strings_make_no_edges() {
    let files = [
        ("lib.rs", "mod a;\nmod b;\n"),
        (
            "a.rs",
            "pub struct A;\n// crate::b::B\n/// See [`crate::b::B`].\nconst S: &str = \"crate::b::B\";\n",
        ),
        ("b.rs", "use crate::a::A;\npub struct B;\n"),
    ];
    assert_eq!(edges(&files), [("b.rs".to_owned(), "a.rs".to_owned())]);
    assert!(cycles(&files).is_empty());
}

#[test]
fn naming_a_descendant_is_no_edge_but_naming_the_parent_is() {
    let files = [
        (
            "lib.rs",
            "mod m;\npub const LIMIT: u32 = 1;\nfn f() { m::child::g(); }\n",
        ),
        (
            "m/mod.rs",
            "mod child;\nuse self::child::g;\nuse crate::m::child::h;\npub fn top() {}\n",
        ),
        (
            "m/child.rs",
            "pub fn g() { super::top(); }\npub fn h() -> u32 { crate::LIMIT }\n",
        ),
    ];
    let to_parent = ("m/child.rs".to_owned(), "m/mod.rs".to_owned());
    let to_root = ("m/child.rs".to_owned(), "lib.rs".to_owned());
    assert_eq!(edges(&files), [to_root, to_parent]);
}

#[test]
fn test_code_makes_no_edges() {
    let files = [
        ("lib.rs", "mod a;\nmod b;\n"),
        (
            "a.rs",
            "pub struct A;\n#[cfg(test)]\nmod tests {\n    use crate::b::B;\n}\n#[cfg(test)]\nmod more;\n",
        ),
        ("a/more.rs", "pub(crate) fn helper() {}\n"),
        ("a/tests.rs", "use crate::b::B;\n"),
        ("b.rs", "use crate::a::A;\npub struct B;\n"),
    ];
    assert_eq!(edges(&files), [("b.rs".to_owned(), "a.rs".to_owned())]);
}

#[test]
fn paths_in_inline_modules_resolve_from_there() {
    let files = [
        ("lib.rs", "mod a;\nmod b;\n"),
        (
            "a.rs",
            "pub mod env {\n    pub const X: &str = \"\";\n    fn f() { super::super::b::g(); }\n}\n",
        ),
        (
            "b.rs",
            "pub fn g() {}\nfn h() -> &'static str { crate::a::env::X }\n",
        ),
    ];
    assert_eq!(cycles(&files), [vec!["a.rs", "b.rs"]]);
}

#[test]
fn other_crates_and_binaries_make_no_edges() {
    let files = [
        ("lib.rs", "mod a;\npub use serde::Serialize;\n"),
        (
            "a.rs",
            "use crate::Serialize;\nuse ::a::x;\nfn f() { std::process::exit(0) }\n",
        ),
        ("main.rs", "use crate::a;\nfn main() { demo::run() }\n"),
    ];
    assert!(edges(&files).is_empty());
}

#[test]
fn a_mod_rs_may_only_declare_and_re_export() {
    let module = "//! Docs.\n\n#[cfg(feature = \"x\")]\npub(crate) mod a;\nmod b;\n\
                  pub use a::A;\nuse b::{self, B};\n#[cfg(test)]\nmod tests;\n";
    let files = [("m/mod.rs", module), ("lib.rs", "mod m;\nfn run() {}\n")];
    assert!(
        check_crate(&sources(&files), true)
            .crowded_mod_rs
            .is_empty()
    );

    let module = format!(
        "{module}\npub fn run() {{}}\nimpl A {{}}\n#[cfg(test)]\nmod inline {{}}\nmod nested {{ fn f() {{}} }}\n"
    );
    let files = [("m/mod.rs", module.as_str())];
    let found = check_crate(&sources(&files), true).crowded_mod_rs;
    let items = [
        ("fn run", 11),
        ("impl A", 12),
        ("#[cfg(test)] mod inline", 14),
        ("mod nested", 15),
    ];
    let items = items.map(|(item, line)| (item.to_owned(), line));
    assert_eq!(found, [("m/mod.rs".to_owned(), items.to_vec())]);
}

#[test]
fn files_over_the_limit_are_listed() {
    let long = "\n".repeat(MAX_LINES + 1);
    let files = [("lib.rs", "\n".repeat(MAX_LINES)), ("a/tests.rs", long)];
    let files: Vec<_> = files
        .iter()
        .map(|(path, text)| (*path, text.as_str()))
        .collect();
    let found = check_crate(&sources(&files), true).oversize;
    assert_eq!(found, [("a/tests.rs".to_owned(), MAX_LINES + 1)]);
}

#[test]
fn a_file_that_does_not_parse_is_named_with_where() {
    let files = [
        ("lib.rs", "mod a;\n"),
        ("a.rs", "pub fn f() {\n    let x = ;\n}\n"),
    ];
    let found = check_crate(&sources(&files), true);
    assert_eq!(found.unparsed.len(), 1, "{found:?}");
    assert!(found.unparsed[0].0.starts_with("a.rs:2:"), "{found:?}");
    let report = render(&[("demo", found)]);
    assert!(
        report.contains("1 files that do not parse:\n  demo/src/a.rs:2:"),
        "{report}"
    );
}

#[test]
fn two_folders_that_name_each_other_are_a_cycle_though_no_two_files_are() {
    let files = [
        ("lib.rs", "mod cargo;\nmod server;\n"),
        ("cargo/mod.rs", "mod build;\nmod config;\n"),
        ("cargo/build.rs", "pub fn build() {}\n"),
        ("cargo/config.rs", "use crate::server::spec::Spec;\n"),
        ("server/mod.rs", "pub mod spec;\nmod target;\n"),
        ("server/spec.rs", "pub struct Spec;\n"),
        (
            "server/target.rs",
            "fn f() { crate::cargo::build::build() }\n",
        ),
    ];
    let found = check_crate(&sources(&files), true);
    assert!(found.cycles.is_empty(), "{found:?}");
    let hops = [
        ("cargo", "cargo/config.rs", 1, "crate::server::spec::Spec"),
        (
            "server",
            "server/target.rs",
            1,
            "crate::cargo::build::build",
        ),
    ]
    .map(|(folder, file, line, path)| (folder.to_owned(), file.to_owned(), line, path.to_owned()));
    assert_eq!(found.folder_cycles, [hops.to_vec()]);
    let report = render(&[("demo", found)]);
    assert!(
        report.contains("  demo: cargo -> server -> cargo\n"),
        "{report}"
    );
    // A crate not held to the rule is not checked for it.
    assert!(
        check_crate(&sources(&files), false)
            .folder_cycles
            .is_empty()
    );
}
