//! [`Html`]: markup the page can hold as it is. Text becomes markup only
//! by being escaped ([`Html::text`], or as an argument of [`html!`]);
//! markup written by hand comes only from the program's own literals
//! ([`Html::markup`], an [`html!`] template). A `String` is text: passing
//! one where markup is expected does not compile.

use std::fmt;

/// Markup, safe to put in the page: every piece of text in it escaped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub(super) struct Html(String);

impl Html {
    /// No markup.
    pub(super) fn new() -> Self {
        Self::default()
    }

    /// `text`, escaped for HTML or SVG text and attribute values.
    pub(super) fn text(text: &str) -> Self {
        let mut out = Self(String::with_capacity(text.len()));
        out.push_text(text);
        out
    }

    /// Markup written in the program: a literal, so that no text a run
    /// produced can reach it unescaped.
    pub(super) fn markup(markup: &'static str) -> Self {
        Self(markup.to_owned())
    }

    /// What [`html!`] made of its template and escaped arguments; not for
    /// anything else.
    #[doc(hidden)]
    pub(super) fn from_template(filled: String) -> Self {
        Self(filled)
    }

    /// Appends markup.
    pub(super) fn push(&mut self, html: &Html) {
        self.0.push_str(&html.0);
    }

    /// Appends a literal piece of markup.
    pub(super) fn push_markup(&mut self, markup: &'static str) {
        self.0.push_str(markup);
    }

    /// Appends `text`, escaped.
    pub(super) fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                c => self.0.push(c),
            }
        }
    }

    /// Whether there is no markup.
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The markup as it is written to the file.
    pub(super) fn as_str(&self) -> &str {
        &self.0
    }

    /// The markup as the page's text, at the edge.
    pub(super) fn into_string(self) -> String {
        self.0
    }
}

impl FromIterator<Html> for Html {
    fn from_iter<I: IntoIterator<Item = Html>>(pieces: I) -> Self {
        let mut out = Html::new();
        for piece in pieces {
            out.push(&piece);
        }
        out
    }
}

/// A value as it goes into markup: text escaped, numbers as written (with
/// the template's precision), markup as it is.
pub(super) trait ToHtml {
    /// Writes `self` into markup.
    fn write_html(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl ToHtml for Html {
    fn write_html(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ToHtml for str {
    fn write_html(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Html::text(self).as_str())
    }
}

impl ToHtml for String {
    fn write_html(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_str().write_html(f)
    }
}

impl<T: ToHtml + ?Sized> ToHtml for &T {
    fn write_html(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).write_html(f)
    }
}

/// Numbers hold no character markup gives a meaning to.
macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl ToHtml for $t {
            fn write_html(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        }
    )*};
}
numbers!(f64, u8, u16, u32, u64, usize, i32, i64);

/// An [`html!`] argument, formatted as [`ToHtml`] writes it.
#[doc(hidden)]
pub(super) struct Piece<'a, T: ?Sized>(pub(super) &'a T);

impl<T: ToHtml + ?Sized> fmt::Display for Piece<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_html(f)
    }
}

/// Checks, when the program is compiled, that an [`html!`] template takes
/// its values only as arguments (`{}`, `{:.1}`, `{0}`): a name in braces
/// would be captured by `format!` unescaped.
#[doc(hidden)]
pub(super) const fn check_template(template: &str) {
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            let next = if i + 1 < bytes.len() {
                bytes[i + 1]
            } else {
                b'}'
            };
            if next == b'{' {
                i += 2;
                continue;
            }
            assert!(
                next == b'}' || next == b':' || next.is_ascii_digit(),
                "an html! template takes its values as arguments, to be escaped, not by name"
            );
        }
        i += 1;
    }
}

/// Markup from a literal template and its arguments, each written as
/// [`ToHtml`] says: `html!("<td>{}</td>", cell)` escapes `cell` when it
/// is text and keeps it when it is [`Html`].
macro_rules! html {
    ($template:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = $crate::export::html::safe::check_template($template);
        $crate::export::html::safe::Html::from_template(format!(
            $template $(, $crate::export::html::safe::Piece(&$arg))*
        ))
    }};
}
pub(super) use html;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_markup_kept() {
        assert_eq!(
            Html::text(r#"<a href="x">'&'</a>"#).as_str(),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let cell = Html::markup("<b>bold</b>");
        let html = html!(
            r#"<td class="{}">{} {} {:.2}</td>"#,
            "a\"b",
            cell,
            "<i>",
            1.0_f64 / 3.0
        );
        assert_eq!(
            html.as_str(),
            r#"<td class="a&quot;b"><b>bold</b> &lt;i&gt; 0.33</td>"#
        );
        let joined: Html = [Html::text("<"), Html::markup("<br>")]
            .into_iter()
            .collect();
        assert_eq!(joined.as_str(), "&lt;<br>");
    }

    #[test]
    fn templates_take_no_names() {
        check_template("{} {:.1} {0} {{literal}}");
        let named = std::panic::catch_unwind(|| check_template("<b>{name}</b>"));
        assert!(named.is_err());
    }
}
