//! Reading the document: at most [`MAX_BYTES`], JSON or YAML, into one
//! JSON value; a syntax error names where the parser was (a JSON pointer)
//! and its line and column.

use std::path::Path;

use serde_json::Value;

use super::error::{SpecError, child};

/// The largest document read (16 MiB): the biggest public API documents
/// (Stripe's, about 6 MiB as JSON) fit; a larger file is more likely a
/// wrong path than an API.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The document at `path` as one JSON value.
pub(crate) fn read(path: &Path) -> Result<Value, SpecError> {
    let size = std::fs::metadata(path)
        .map_err(|e| SpecError::whole(format!("cannot read it: {e}")))?
        .len();
    if size > MAX_BYTES {
        return Err(SpecError::whole(format!(
            "it is {size} bytes, over the {MAX_BYTES} bytes an OpenAPI document may have here"
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| SpecError::whole(format!("cannot read it: {e}")))?;
    let json = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => true,
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => false,
        _ => text.trim_start().starts_with('{'),
    };
    if json {
        parse_json(&text)
    } else {
        parse_yaml(&text)
    }
}

/// A JSON document.
pub(crate) fn parse_json(text: &str) -> Result<Value, SpecError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value: Value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| SpecError::at(&pointer(e.path()), format!("not valid JSON: {}", e.inner())))?;
    deserializer
        .end()
        .map_err(|e| SpecError::whole(format!("not valid JSON: {e}")))?;
    Ok(value)
}

/// A YAML document (YAML 1.2's JSON-compatible subset, as OpenAPI asks).
pub(crate) fn parse_yaml(text: &str) -> Result<Value, SpecError> {
    let deserializer = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer)
        .map_err(|e| SpecError::at(&pointer(e.path()), format!("not valid YAML: {}", e.inner())))
}

/// serde_path_to_error's path as a JSON pointer.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |pointer, segment| match segment {
            Segment::Seq { index } => child(&pointer, &index.to_string()),
            Segment::Map { key } => child(&pointer, key),
            Segment::Enum { variant } => child(&pointer, variant),
            Segment::Unknown => child(&pointer, "?"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_names_where_the_parser_was() {
        let error =
            parse_json(r#"{"openapi": "3.0.0", "paths": {"/a~b": {"get": [1, }}}"#).unwrap_err();
        assert_eq!(
            error.pointer.as_deref(),
            Some("/paths/~1a~0b/get/1"),
            "{error}"
        );
        assert!(error.message.contains("line 1"), "{error}");
        let error =
            parse_yaml("openapi: 3.0.0\npaths:\n  /items:\n    get: [unclosed\n").unwrap_err();
        assert!(
            error
                .pointer
                .as_deref()
                .is_some_and(|p| p.starts_with("/paths/~1items")),
            "{error}"
        );
        assert!(error.message.contains("line"), "{error}");
    }

    #[test]
    fn yaml_numbers_as_keys_read_as_strings() {
        let value = parse_yaml("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(value["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn a_file_over_the_cap_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_BYTES + 1).unwrap();
        let error = read(&path).unwrap_err();
        assert!(error.message.contains("over the"), "{error}");
        let missing = read(&dir.path().join("none.yaml")).unwrap_err();
        assert!(missing.message.contains("cannot read it"), "{missing}");
    }
}
