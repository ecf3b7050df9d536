//! The scanner on small sources: what counts as a path, a literal, an
//! item, and on which line.

use super::*;

fn paths(source: &str) -> Vec<(String, usize)> {
    let facts = scan(source).unwrap();
    facts
        .paths
        .iter()
        .map(|p| (p.segments.join("::"), p.line))
        .collect()
}

#[test]
fn comments_strings_chars_and_attributes_name_no_path() {
    let source = r####"
        // crate::a::b
        /// doc about crate::a::b
        /* outer /* nested crate::a::b */ still comment */
        #[doc = "crate::a::b"]
        #[expect(clippy::x, reason = "crate::a::b")]
        fn f<'a>(x: &'a str) -> char {
            let s = "crate::a \" crate::b";
            let r = r#"crate::a "quoted" "#;
            let b = b"crate::a::b";
            let c = '"';
            let e = '\'';
            'x'
        }
        pub(in crate::m) fn g() -> keep::this {}
    "####;
    assert_eq!(paths(source), [("keep::this".to_owned(), 15)]);
}

#[test]
fn lines_count_through_multiline_comments_and_strings() {
    let source = "/*\n\n*/ use a::b;\nconst X: &str = \"x\ny\"; use c::d;\n\
                  const Y: &str = r#\"\n\"#; use e::f;\nconst Z: &str = \"\\\n\"; use g::h;\n";
    let facts = scan(source).unwrap();
    let lines: Vec<_> = facts
        .uses
        .iter()
        .map(|u| (u.path.join("::"), u.line))
        .collect();
    assert_eq!(
        lines,
        [
            ("a::b".to_owned(), 3),
            ("c::d".to_owned(), 5),
            ("e::f".to_owned(), 7),
            ("g::h".to_owned(), 9)
        ]
    );
}

#[test]
fn paths_in_macro_calls_count_and_their_literals_too() {
    let source = "fn f() {\n    assert_eq!(crate::a::b(), \"p95_us\");\n    \
                  vec![x::y,\n ::ext::z];\n    crate::m!(1);\n}\n";
    assert_eq!(
        paths(source),
        [
            ("crate::a::b".to_owned(), 2),
            ("x::y".to_owned(), 3),
            ("crate::m".to_owned(), 5)
        ]
    );
    let literals = scan(source).unwrap().literals;
    assert_eq!(
        literals,
        [StrLit {
            value: "p95_us".to_owned(),
            line: 2
        }]
    );
}

#[test]
fn string_literals_outside_tests_and_attributes_are_collected() {
    let source = "#[doc = \"docs\"]\nconst A: &str = \"median_ns\";\n\
                  fn f() -> String { format!(\"{}\", r\"raw\") }\n\
                  #[cfg(test)]\nmod tests { const B: &str = \"in a test\"; }\n";
    let values: Vec<_> = scan(source)
        .unwrap()
        .literals
        .into_iter()
        .map(|l| (l.value, l.line))
        .collect();
    assert_eq!(
        values,
        [
            ("median_ns".to_owned(), 2),
            ("{}".to_owned(), 3),
            ("raw".to_owned(), 3)
        ]
    );
}

#[test]
fn use_trees_give_each_leaf_its_binding() {
    let source = "use a::{b::C as D, e::*, f::{self, G}, h as _};\nuse ::ext::I;\n";
    let leaves: Vec<_> = scan(source)
        .unwrap()
        .uses
        .into_iter()
        .map(|u| (u.path.join("::"), u.bind, u.glob))
        .collect();
    let leaf =
        |path: &str, bind: Option<&str>, glob| (path.to_owned(), bind.map(str::to_owned), glob);
    assert_eq!(
        leaves,
        [
            leaf("a::b::C", Some("D"), false),
            leaf("a::e", None, true),
            leaf("a::f", Some("f"), false),
            leaf("a::f::G", Some("G"), false),
            leaf("a::h", None, false),
            // A leading `::` is a segment of its own: another crate.
            leaf("::::ext::I", Some("I"), false),
        ]
    );
}

#[test]
fn a_file_that_is_not_rust_is_an_error() {
    assert!(scan("fn f( {").is_err());
}
