//! The catalogue's reference page, `docs/src/catalogue/kinds.md`, from
//! each kind's specification: only `Kind::ALL`, `Kind::spec()`'s name,
//! keys, example, aliases, default thresholds and needs_threshold, and
//! `Kind::figures()`' threshold, label and unit are read, so that a change
//! of how kinds are declared touches a few lines here.

use std::fmt::Write as _;

use perf_record::kinds::{Kind, Unit};

/// How a threshold on a figure of this unit is written.
fn written_as(unit: Unit) -> &'static str {
    match unit {
        Unit::Number => "a number",
        Unit::Percent => "a percentage",
        Unit::Duration => "a duration",
        Unit::BytesPerSecond => "bytes per second",
    }
}

/// A list of names as code: `` `a`, `b` ``.
fn codes<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The page.
pub(crate) fn render() -> String {
    let mut page =
        super::generated_header("the kinds' specifications (perf-record's `Kind::spec()`)");
    page.push_str(
        "\n# Kinds\n\n\
         Every kind of catalogue test, as `#[perf_test(...)]` takes it: its options, an example, \
         the figures its analysis measures (each a metric of `threshold(...)` on a test of that \
         kind), and the thresholds it gets unless the test sets its own on that figure. \
         [The overview](index.md) says what each kind measures and how; \
         [Examples](examples.md) shows each in a test.\n\n\
         | kind | options | default thresholds |\n| --- | --- | --- |\n",
    );
    for kind in Kind::ALL {
        let spec = kind.spec();
        let defaults = if spec.default_thresholds.is_empty() {
            "none".to_owned()
        } else {
            thresholds(spec.default_thresholds)
        };
        let _ = writeln!(
            page,
            "| [`{name}`](#{name}) | {} | {defaults} |",
            codes(spec.keys.iter().copied()),
            name = spec.name,
        );
    }
    for kind in Kind::ALL {
        page.push('\n');
        page.push_str(&section(kind));
    }
    page
}

/// `` `growth = "<= 1.2"` ``, ...
fn thresholds(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(figure, limit)| format!("`{figure} = \"{limit}\"`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One kind's section.
fn section(kind: Kind) -> String {
    let spec = kind.spec();
    let mut text = format!("## `{}`\n\n", spec.name);
    let _ = writeln!(text, "Example: {}\n", spec.example);
    let _ = writeln!(text, "- Options: {}", codes(spec.keys.iter().copied()));
    if let Some(why) = spec.needs_threshold {
        let _ = writeln!(text, "- Needs a threshold of the test's own: {why}");
    }
    if !spec.aliases.is_empty() {
        let _ = writeln!(
            text,
            "- Written as {} (case, `_` and `-` aside), the compile error suggests `{}(...)`",
            codes(spec.aliases.iter().copied()),
            spec.name
        );
    }
    if kind.figures().is_empty() {
        text.push_str("\nNo figures of its own: the test's own thresholds judge it.\n");
        return text;
    }
    text.push_str("\n| figure | in reports | threshold written as | default threshold |\n");
    text.push_str("| --- | --- | --- | --- |\n");
    for figure in kind.figures() {
        let default = spec
            .default_thresholds
            .iter()
            .find(|(name, _)| *name == figure.threshold)
            .map_or_else(|| "none".to_owned(), |(_, limit)| format!("`\"{limit}\"`"));
        let _ = writeln!(
            text,
            "| `{}` | {} | {} | {default} |",
            figure.threshold,
            figure.label,
            written_as(figure.unit),
        );
    }
    text
}
