//! The page's building blocks besides charts: tables, figure rows and
//! badges, every text escaped.

use std::fmt::Write as _;

use super::svg::escape;

/// A table; each row has a CSS class ("" for none) and its cells as
/// plain text (escaped here). A head of empty names is left out.
pub(super) fn table(head: &[&str], rows: &[(&str, Vec<String>)]) -> String {
    let mut out = String::from("<table>");
    if head.iter().any(|h| !h.is_empty()) {
        out.push_str("<thead><tr>");
        for cell in head {
            let _ = write!(out, "<th>{}</th>", escape(cell));
        }
        out.push_str("</tr></thead>");
    }
    out.push_str("<tbody>");
    for (class, cells) in rows {
        if class.is_empty() {
            out.push_str("<tr>");
        } else {
            let _ = write!(out, r#"<tr class="{}">"#, escape(class));
        }
        for cell in cells {
            let _ = write!(out, "<td>{}</td>", escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// A row of headline figures: `(name, value)` pairs.
pub(super) fn figures(pairs: &[(&str, String)]) -> String {
    let mut out = String::from(r#"<dl class="figures">"#);
    for (name, value) in pairs {
        let _ = write!(
            out,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            escape(name),
            escape(value)
        );
    }
    out.push_str("</dl>");
    out
}

/// A coloured word: `class` is one of the page's badge classes (`pass`,
/// `fail`, `warn`, `note`, `improved`, ...).
pub(super) fn badge(class: &str, text: &str) -> String {
    format!(
        r#"<span class="badge {}">{}</span>"#,
        escape(class),
        escape(text)
    )
}

/// A list of plain-text items.
pub(super) fn list(items: &[String]) -> String {
    let mut out = String::from("<ul>");
    for item in items {
        let _ = write!(out, "<li>{}</li>", escape(item));
    }
    out.push_str("</ul>");
    out
}

/// Charts side by side, wrapping.
pub(super) fn charts(charts: &[String]) -> String {
    if charts.is_empty() {
        return String::new();
    }
    format!(r#"<div class="charts">{}</div>"#, charts.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_every_cell() {
        let html = table(
            &["name"],
            &[("fail", vec!["<script>alert(1)</script>".into()])],
        );
        assert_eq!(
            html,
            r#"<table><thead><tr><th>name</th></tr></thead><tbody><tr class="fail"><td>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr></tbody></table>"#
        );
    }
}
