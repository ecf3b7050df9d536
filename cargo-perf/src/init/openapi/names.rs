//! The Rust names of the generated functions: each operation's
//! `operationId` in snake case, else its method and path; unique, and
//! never a keyword.

use super::model::Operation;

/// The name of the mix's test, which no operation takes.
pub(crate) const MIX: &str = "api_mix";

/// A Rust name per operation: its `operationId` in snake case, else its
/// method and path; unique, and never a keyword.
pub(crate) fn operation_names(operations: &[Operation]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for op in operations {
        let base = match &op.id {
            Some(id) => snake_case(id),
            None => snake_case(&format!(
                "{} {}",
                op.method.as_str(),
                op.path.replace('{', " by ").replace('}', " ")
            )),
        };
        let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            format!("op_{base}")
        } else {
            base
        };
        let base = if KEYWORDS.contains(&base.as_str()) || base == MIX || base == "main" {
            format!("{base}_op")
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name)
            || names
                .iter()
                .any(|other| format!("{other}_response_time") == name)
        {
            name = format!("{base}_{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

const KEYWORDS: [&str; 51] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// `getItemById` and `GET /items/{id}` as `get_item_by_id`, `get_items_by_id`.
fn snake_case(text: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
            {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
        previous = Some(c);
    }
    out.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case() {
        assert_eq!(snake_case("getItemById"), "get_item_by_id");
        assert_eq!(
            snake_case("GET /items/ by id by /x"),
            "get_items_by_id_by_x"
        );
        assert_eq!(snake_case("find-pets.v2"), "find_pets_v2");
        assert!(KEYWORDS.contains(&"async"));
    }
}
