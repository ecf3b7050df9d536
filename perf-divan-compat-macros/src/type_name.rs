//! A type as a benchmark's name shows it: as written, without the spaces
//! that printing tokens adds (`Vec < u8 >` reads `Vec<u8>`).

/// `tokens` printed compactly: a space is kept only between two words
/// (`dyn Trait`), and one follows each comma and semicolon.
pub(crate) fn compact(tokens: &str) -> String {
    let chars: Vec<char> = tokens.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'';
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = out.chars().last().is_some_and(word);
            let after = chars.get(i + 1).is_some_and(|&c| word(c));
            if before && after {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
        if c == ',' || c == ';' {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn types_read_as_written() {
        assert_eq!(compact("u64"), "u64");
        assert_eq!(compact("Vec < u8 >"), "Vec<u8>");
        assert_eq!(compact("HashMap < String , u32 >"), "HashMap<String, u32>");
        assert_eq!(compact("& 'static str"), "&'static str");
        assert_eq!(compact("Box < dyn Fn () >"), "Box<dyn Fn()>");
        assert_eq!(compact("[u8 ; 4]"), "[u8; 4]");
    }
}
