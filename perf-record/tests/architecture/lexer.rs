//! Just enough of a Rust lexer to find paths: identifiers, `::` and
//! punctuation, each with its line. Comments (doc comments included),
//! string, char and number literals and lifetimes produce no identifiers,
//! so a path written in prose or in a string is never taken for an import.

/// One token of a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
    /// A string, char or number literal; its text does not matter.
    Literal,
}

/// A token and the 1-based line it starts on.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) line: usize,
}

/// Splits `source` into tokens.
pub(crate) fn tokenize(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let (c, start_line) = (chars[i], line);
        let next = chars.get(i + 1).copied();
        let tok = if c == '\n' {
            line += 1;
            i += 1;
            continue;
        } else if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&chars, i, &mut line);
            continue;
        } else if let Some(end) = raw_string_end(&chars, i, &mut line) {
            i = end;
            Tok::Literal
        } else if c == '"' || (matches!(c, 'b' | 'c') && next == Some('"')) {
            i = quoted_end(&chars, i + usize::from(c != '"'), '"', &mut line);
            Tok::Literal
        } else if c == '\'' || (c == 'b' && next == Some('\'')) {
            let quote = i + usize::from(c == 'b');
            let is_char =
                chars.get(quote + 1) == Some(&'\\') || chars.get(quote + 2) == Some(&'\'');
            if is_char {
                i = quoted_end(&chars, quote, '\'', &mut line);
                Tok::Literal
            } else {
                // A lifetime or label: skip the quote; its name is no path.
                i = ident_end(&chars, quote + 1);
                continue;
            }
        } else if c == 'r' && next == Some('#') && chars.get(i + 2).is_some_and(|&c| is_ident(c)) {
            let end = ident_end(&chars, i + 2);
            let name = chars[i + 2..end].iter().collect();
            i = end;
            Tok::Ident(name)
        } else if c.is_ascii_digit() {
            i = ident_end(&chars, i);
            Tok::Literal
        } else if is_ident(c) {
            let end = ident_end(&chars, i);
            let name = chars[i..end].iter().collect();
            i = end;
            Tok::Ident(name)
        } else if c == ':' && next == Some(':') {
            i += 2;
            Tok::PathSep
        } else {
            i += 1;
            Tok::Punct(c)
        };
        tokens.push(Token {
            tok,
            line: start_line,
        });
    }
    tokens
}

fn is_ident(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn ident_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && is_ident(chars[i]) {
        i += 1;
    }
    i
}

/// Block comments nest in Rust.
fn skip_block_comment(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('/', Some('*')) => (depth, i) = (depth + 1, i + 2),
            ('*', Some('/')) => {
                (depth, i) = (depth - 1, i + 2);
                if depth == 0 {
                    return i;
                }
            }
            (c, _) => {
                *line += usize::from(c == '\n');
                i += 1;
            }
        }
    }
    i
}

/// The end of a string or char literal whose opening quote is at `open`.
fn quoted_end(chars: &[char], open: usize, quote: char, line: &mut usize) -> usize {
    let mut i = open + 1;
    while i < chars.len() && chars[i] != quote {
        // An escaped newline (a string continued on the next line) counts.
        let width = if chars[i] == '\\' { 2 } else { 1 };
        *line += chars[i..chars.len().min(i + width)]
            .iter()
            .filter(|&&c| c == '\n')
            .count();
        i += width;
    }
    i + 1
}

/// The end of a raw string (`r"…"`, `r#"…"#`, `br…`, `cr…`) starting at
/// `i`, or `None` when there is none there.
fn raw_string_end(chars: &[char], i: usize, line: &mut usize) -> Option<usize> {
    let r = if matches!(chars[i], 'b' | 'c') {
        i + 1
    } else {
        i
    };
    if chars.get(r) != Some(&'r') {
        return None;
    }
    let hashes = chars[r + 1..].iter().take_while(|&&c| c == '#').count();
    let mut j = r + 1 + hashes;
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"'
            && chars[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        }
        *line += usize::from(chars[j] == '\n');
        j += 1;
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(source: &str) -> Vec<String> {
        tokenize(source)
            .into_iter()
            .filter_map(|t| match t.tok {
                Tok::Ident(name) => Some(name),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn comments_strings_and_chars_hide_their_contents() {
        let source = r####"
            // crate::a::b
            /// doc about crate::a
            /* outer /* nested crate::a */ still comment */
            let s = "crate::a \" crate::b";
            let r = r#"crate::a "quoted" "#;
            let b = b"crate::a";
            let c = '"';
            let e = '\'';
            fn f<'a>(x: &'a str) -> char { 'x' }
            keep
        "####;
        assert_eq!(
            idents(source),
            [
                "let", "s", "let", "r", "let", "b", "let", "c", "let", "e", "fn", "f", "x", "str",
                "char", "keep"
            ]
        );
    }

    #[test]
    fn lines_count_through_multiline_comments_and_strings() {
        let tokens = tokenize("/*\n\n*/ a\n\"x\ny\" b\nr#\"\n\"# c\n\"\\\n\" d");
        let lines: Vec<_> = tokens.iter().map(|t| (t.tok.clone(), t.line)).collect();
        assert_eq!(lines[0], (Tok::Ident("a".into()), 3));
        assert_eq!(lines[2], (Tok::Ident("b".into()), 5));
        assert_eq!(lines[4], (Tok::Ident("c".into()), 7));
        assert_eq!(lines[6], (Tok::Ident("d".into()), 9));
    }
}
