//! **No metric spelled outside its vocabulary**: a base metric's key or
//! threshold name (`"median_ns"`, `"p95_us"`, `"p95"`, `"rps"`,
//! `"error_rate_pct"`, ...) written as a whole string literal anywhere in a
//! crate's `src/` outside `perf-record/src/metric/` means a second place
//! that knows the metric by name; it must go through
//! `perf_record::metric::Metric` instead.
//!
//! Test code is held to the rule too. Exempt: the vocabulary itself
//! (which tests its serialization), the test code of the files in
//! [`SERIALIZATION_TESTS`] (their tests write records, thresholds and
//! `Cargo.toml` settings as users and old baselines spell them: a typed
//! name there would test nothing), and the homonyms in [`HOMONYMS`]. A
//! file's test code is a `tests.rs` file, or what follows its first
//! `#[cfg(test)]` (the test module closes every file here). Literals are
//! read by a small scanner that skips comments, char literals and raw
//! strings (JSON written in a raw string is never equal to a name).

use std::path::Path;

use perf_record::metric::Metric;

/// Literals that spell a metric's name but mean something else: (file
/// under the workspace, literal, why).
const HOMONYMS: [(&str, &str, &str); 2] = [
    (
        "perf-macros/src/options.rs",
        "instructions",
        "the attribute option that turns counting on",
    ),
    (
        "cargo-perf/src/run/instructions.rs",
        "instructions",
        "the event name `perf stat` prints",
    ),
];

/// Files whose tests read or write metric names as text: (file under the
/// workspace, what the tests check).
const SERIALIZATION_TESTS: [(&str, &str); 4] = [
    (
        "perf-record/src/threshold/tests.rs",
        "thresholds parsed as users write them",
    ),
    (
        "perf-record/src/kinds/thresholds.rs",
        "the threshold names a kind accepts, as written",
    ),
    (
        "cargo-perf/src/cargo/config.rs",
        "thresholds read from `[package.metadata.perf]`",
    ),
    ("cargo-perf/src/export/bmf.rs", "the BMF document's keys"),
];

/// Every base metric's key and threshold name.
fn names() -> Vec<&'static str> {
    Metric::base()
        .flat_map(|m| [Some(m.key), m.threshold])
        .flatten()
        .collect()
}

/// The plain string literals of `source`, each with its line.
pub(crate) fn literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if c == 'r' && matches!(next, Some('"' | '#')) && !is_ident(&chars, i) {
            // A raw string: r"...", r#"..."#.
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            i += 1 + hashes;
            if chars.get(i) != Some(&'"') {
                continue;
            }
            i += 1;
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while i < chars.len() && !chars[i..].starts_with(&close) {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += close.len();
        } else if c == '\'' {
            // A char literal ('"', '\''), or a lifetime.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c == '"' {
            let start = line;
            let mut text = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    text.push(chars[i]);
                    i += 1;
                }
                line += usize::from(chars.get(i) == Some(&'\n'));
                if let Some(&c) = chars.get(i) {
                    text.push(c);
                }
                i += 1;
            }
            i += 1;
            out.push((start, text));
        } else {
            i += 1;
        }
    }
    out
}

/// Whether the char before `i` continues an identifier (`bar"` is no raw
/// string).
fn is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// The metric names spelled in `source` (the file `file` under the
/// workspace): (line, literal).
pub(crate) fn spelled(file: &str, source: &str, names: &[&str]) -> Vec<(usize, String)> {
    // The vocabulary, and the rules' own crate, whose tests plant names.
    if file.contains("perf-record/src/metric/") || file.starts_with("architecture/") {
        return Vec::new();
    }
    let source = if SERIALIZATION_TESTS.iter().any(|(path, _)| *path == file) {
        if file.ends_with("tests.rs") {
            ""
        } else {
            source.split("#[cfg(test)]").next().unwrap_or_default()
        }
    } else {
        source
    };
    literals(source)
        .into_iter()
        .filter(|(_, text)| names.contains(&text.as_str()))
        .filter(|(_, text)| {
            !HOMONYMS
                .iter()
                .any(|(path, name, _)| *path == file && name == text)
        })
        .collect()
}

#[test]
fn no_metric_is_spelled_outside_its_vocabulary() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workspace = workspace.canonicalize().expect("the workspace");
    let names = names();
    let mut found = Vec::new();
    for name in super::CRATES {
        let src = workspace.join(name).join("src");
        let mut files = Vec::new();
        super::read_sources(&src, &src, &mut files);
        for source in &files {
            let (file, text) = (format!("{name}/src/{}", source.path), &source.text);
            for (line, literal) in spelled(&file, text, &names) {
                found.push(format!("  {file}:{line}: \"{literal}\""));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} metric names spelled as string literals outside perf-record/src/metric \
         (use perf_record::metric::Metric):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn a_planted_name_is_found_and_comments_raw_strings_and_tests_are_not() {
    let names = names();
    let source = r##"
fn f() -> &'static str {
    // "p95" in a comment
    let _ = '"';
    let _ = r#"{"p95_us": 1}"#;
    let _ = "p95 <= 200ms";
    "rps"
}

#[cfg(test)]
mod tests {
    const X: &str = "median_ns";
}
"##;
    assert_eq!(
        spelled("cargo-perf/src/report/run.rs", source, &names),
        [(7, "rps".to_owned()), (12, "median_ns".to_owned())],
        "test code is checked too"
    );
    assert!(spelled("perf-record/src/metric/base.rs", source, &names).is_empty());
    assert_eq!(
        spelled("cargo-perf/src/export/bmf.rs", source, &names),
        [(7, "rps".to_owned())],
        "a serialization test's own code is exempt, not the file's"
    );
    assert!(spelled("perf-record/src/threshold/tests.rs", source, &names).is_empty());
    assert_eq!(
        spelled("cargo-perf/src/report/tests.rs", source, &names).len(),
        2
    );
    let homonym = "fn f() { match x { \"instructions\" => {} } }";
    assert!(spelled("perf-macros/src/options.rs", homonym, &names).is_empty());
    assert_eq!(
        spelled("perf-macros/src/kind.rs", homonym, &names),
        [(1, "instructions".to_owned())]
    );
    for key in [
        "median_ns",
        "p95_us",
        "p95",
        "error_rate",
        "error_rate_pct",
        "instructions",
    ] {
        assert!(names.contains(&key), "{key}");
    }
}
