//! The page's building blocks besides charts: tables, figure rows and
//! badges, every text escaped.

use super::safe::{Html, html};

/// A table; each row has a CSS class ("" for none) and its cells as
/// plain text (escaped here). A head of empty names is left out.
pub(super) fn table(head: &[&str], rows: &[(&str, Vec<String>)]) -> Html {
    let mut out = Html::markup("<table>");
    if head.iter().any(|h| !h.is_empty()) {
        out.push_markup("<thead><tr>");
        for cell in head {
            out.push(&html!("<th>{}</th>", cell));
        }
        out.push_markup("</tr></thead>");
    }
    out.push_markup("<tbody>");
    for (class, cells) in rows {
        if class.is_empty() {
            out.push_markup("<tr>");
        } else {
            out.push(&html!(r#"<tr class="{}">"#, class));
        }
        for cell in cells {
            out.push(&html!("<td>{}</td>", cell));
        }
        out.push_markup("</tr>");
    }
    out.push_markup("</tbody></table>");
    out
}

/// A row of headline figures: `(name, value)` pairs.
pub(super) fn figures(pairs: &[(&str, String)]) -> Html {
    let mut out = Html::markup(r#"<dl class="figures">"#);
    for (name, value) in pairs {
        out.push(&html!("<div><dt>{}</dt><dd>{}</dd></div>", name, value));
    }
    out.push_markup("</dl>");
    out
}

/// A coloured word: `class` is one of the page's badge classes (`pass`,
/// `fail`, `warn`, `note`, `improved`, ...).
pub(super) fn badge(class: &str, text: &str) -> Html {
    html!(r#"<span class="badge {}">{}</span>"#, class, text)
}

/// A list of plain-text items.
pub(super) fn list(items: &[String]) -> Html {
    let mut out = Html::markup("<ul>");
    for item in items {
        out.push(&html!("<li>{}</li>", item));
    }
    out.push_markup("</ul>");
    out
}

/// Charts side by side, wrapping.
pub(super) fn charts(charts: &[Html]) -> Html {
    if charts.is_empty() {
        return Html::new();
    }
    html!(
        r#"<div class="charts">{}</div>"#,
        charts.iter().cloned().collect::<Html>()
    )
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
            html.as_str(),
            r#"<table><thead><tr><th>name</th></tr></thead><tbody><tr class="fail"><td>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr></tbody></table>"#
        );
    }
}
