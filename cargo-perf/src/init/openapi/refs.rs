//! Local `$ref`s (`#/components/...`), followed to what they name; a
//! cycle of references, or a reference into another file, is refused with
//! the pointer of the `$ref`.

use serde_json::Value;

use super::error::{SpecError, child};

/// The document, for following references within it.
#[derive(Clone, Copy)]
pub(crate) struct Doc<'a> {
    root: &'a Value,
}

impl<'a> Doc<'a> {
    /// The document whose root is `root`.
    pub(crate) fn new(root: &'a Value) -> Self {
        Self { root }
    }

    /// `value`, at `pointer`, with its references followed: the value and
    /// the pointer of where it is. Returns the pointer owned.
    pub(crate) fn resolve(
        &self,
        pointer: &str,
        value: &'a Value,
    ) -> Result<(String, &'a Value), SpecError> {
        let mut seen: Vec<String> = vec![pointer.to_owned()];
        let mut current = (pointer.to_owned(), value);
        while let Some(reference) = current.1.get("$ref") {
            let at = child(&current.0, "$ref");
            let Some(reference) = reference.as_str() else {
                return Err(SpecError::at(
                    &at,
                    "a `$ref` must be a string such as \"#/components/schemas/Item\"",
                ));
            };
            let target = local_pointer(reference).ok_or_else(|| {
                SpecError::at(
                    &at,
                    format!(
                        "`{reference}` points outside this document; cargo perf init reads one document: \
                         bundle its references into it first"
                    ),
                )
            })?;
            if seen.contains(&target) {
                seen.push(target);
                return Err(SpecError::at(
                    &at,
                    format!("a cycle of `$ref`s, refused: {}", seen.join(" -> ")),
                ));
            }
            let found = self.root.pointer(&target).ok_or_else(|| {
                SpecError::at(&at, format!("`{reference}` names nothing in this document"))
            })?;
            seen.push(target.clone());
            current = (target, found);
        }
        Ok(current)
    }
}

/// The JSON pointer of a local reference (`#/components/schemas/Item`,
/// percent-encoding decoded), or `None` for a reference into another
/// document.
fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|&b| hex(b)),
            bytes.get(i + 2).and_then(|&b| hex(b)),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
            }
            (byte, ..) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn references_are_followed_and_cycles_refused() {
        let root = json!({
            "components": {"schemas": {
                "Item": {"type": "object"},
                "Alias": {"$ref": "#/components/schemas/Item"},
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/A"},
                "Far": {"$ref": "other.yaml#/Item"},
                "Lost": {"$ref": "#/components/schemas/Nothing"},
                "a/b": {"type": "string"}
            }},
            "use": {"$ref": "#/components/schemas/Alias"},
            "slash": {"$ref": "#/components/schemas/a~1b"},
        });
        let doc = Doc::new(&root);
        let (at, value) = doc.resolve("/use", &root["use"]).unwrap();
        assert_eq!(
            (at.as_str(), value),
            ("/components/schemas/Item", &json!({"type": "object"}))
        );
        assert_eq!(
            doc.resolve("/slash", &root["slash"]).unwrap().1["type"],
            "string"
        );
        let a = &root["components"]["schemas"]["A"];
        let error = doc.resolve("/components/schemas/A", a).unwrap_err();
        assert!(error.message.contains("cycle"), "{error}");
        assert_eq!(error.pointer.as_deref(), Some("/components/schemas/B/$ref"));
        let far = &root["components"]["schemas"]["Far"];
        let error = doc.resolve("/components/schemas/Far", far).unwrap_err();
        assert!(error.message.contains("outside this document"), "{error}");
        let lost = &root["components"]["schemas"]["Lost"];
        assert!(
            doc.resolve("/components/schemas/Lost", lost)
                .unwrap_err()
                .message
                .contains("names nothing")
        );
        assert_eq!(
            local_pointer("#/paths/~1items%7Bid%7D").as_deref(),
            Some("/paths/~1items{id}")
        );
    }
}
