//! The values the tests send: the document's examples where it has them
//! (`example`, `examples`, a schema's `example`, `default` or `enum`),
//! else values made from the schema's types, marked as made up. A
//! recursive schema is not followed: an optional property that would
//! recurse is left out, a required one is an error.

use serde_json::{Map, Value};

use super::error::{SpecError, child};
use super::refs::Doc;

/// A value and whether the document gave it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sample {
    /// The value.
    pub(crate) value: Value,
    /// Made from a schema's types, not an example of the document.
    pub(crate) made_up: bool,
}

/// A request body as sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Body {
    /// Its media type, sent as `content-type`.
    pub(crate) media_type: String,
    /// Its text.
    pub(crate) text: String,
    /// Where it comes from.
    pub(crate) origin: BodyOrigin,
}

/// Where a body comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BodyOrigin {
    /// The document's example.
    Example,
    /// Made from the schema, parts of it made up from types.
    Schema {
        /// Whether any part is made up rather than an example.
        made_up: bool,
    },
    /// Nothing to make it from: a placeholder to replace.
    Placeholder(String),
}

/// Schemas nested deeper are not followed.
const MAX_DEPTH: usize = 32;

/// The value of the parameter `parameter` (at `at`).
pub(crate) fn parameter(
    doc: Doc<'_>,
    at: &str,
    parameter: &Value,
) -> Result<Option<Sample>, SpecError> {
    if let Some(sample) = given_example(doc, at, parameter)? {
        return Ok(Some(sample));
    }
    match parameter.get("schema") {
        Some(schema) => schema_sample(doc, &child(at, "schema"), schema),
        None => Ok(None),
    }
}

/// `example`, or the first of `examples` (a map of Example objects).
fn given_example(doc: Doc<'_>, at: &str, holder: &Value) -> Result<Option<Sample>, SpecError> {
    if let Some(example) = holder.get("example") {
        return Ok(Some(Sample {
            value: example.clone(),
            made_up: false,
        }));
    }
    if let Some((name, example)) = holder
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().next())
    {
        let (_, example) = doc.resolve(&child(&child(at, "examples"), name), example)?;
        if let Some(value) = example.get("value") {
            return Ok(Some(Sample {
                value: value.clone(),
                made_up: false,
            }));
        }
    }
    Ok(None)
}

/// A value of `schema` (at `at`).
fn schema_sample(doc: Doc<'_>, at: &str, schema: &Value) -> Result<Option<Sample>, SpecError> {
    let mut stack = Vec::new();
    let value = from_schema(doc, at, schema, &mut stack)?;
    Ok(value.map(|(value, made_up)| Sample { value, made_up }))
}

/// The body of the request body `body` (at `at`): of its JSON media type
/// if it has one, else of its first.
pub(crate) fn body(doc: Doc<'_>, at: &str, body: &Value) -> Result<Option<Body>, SpecError> {
    let (at, body) = doc.resolve(at, body)?;
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    let rank = |media: &str| {
        let media = media.to_ascii_lowercase();
        if media == "application/json" || media.ends_with("+json") {
            0
        } else if media == "*/*" {
            1
        } else if media == "application/x-www-form-urlencoded" || media.starts_with("text/") {
            2
        } else {
            3
        }
    };
    let Some((media_type, media)) = content.iter().min_by_key(|(media, _)| rank(media)) else {
        return Ok(None);
    };
    let media_at = child(&child(&at, "content"), media_type);
    let (sample, from_example) = match given_example(doc, &media_at, media)? {
        Some(sample) => (Some(sample), true),
        None => match media.get("schema") {
            Some(schema) => (
                schema_sample(doc, &child(&media_at, "schema"), schema)?,
                false,
            ),
            None => (None, false),
        },
    };
    let media_type = if media_type == "*/*" {
        "application/json".to_owned()
    } else {
        media_type.clone()
    };
    let placeholder = |reason: &str| Body {
        text: if rank(&media_type) == 0 {
            "{}".to_owned()
        } else {
            String::new()
        },
        media_type: media_type.clone(),
        origin: BodyOrigin::Placeholder(reason.to_owned()),
    };
    let Some(sample) = sample else {
        return Ok(Some(placeholder(
            "the document gives no example and no schema of this body",
        )));
    };
    let origin = if from_example {
        BodyOrigin::Example
    } else {
        BodyOrigin::Schema {
            made_up: sample.made_up,
        }
    };
    let text = match (rank(&media_type), &sample.value) {
        (0, value) => serde_json::to_string_pretty(value).unwrap_or_default(),
        (_, Value::String(text)) => text.clone(),
        (2, Value::Object(fields)) if media_type.contains("urlencoded") => form(fields),
        (2, value) => value.to_string(),
        _ => {
            return Ok(Some(placeholder(&format!(
                "a {media_type} body cannot be written from the document's example"
            ))));
        }
    };
    Ok(Some(Body {
        media_type,
        text,
        origin,
    }))
}

/// `fields` as `application/x-www-form-urlencoded`.
fn form(fields: &Map<String, Value>) -> String {
    fields
        .iter()
        .map(|(key, value)| {
            let value = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            format!(
                "{}={}",
                super::encode::percent_encode(key),
                super::encode::percent_encode(&value)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A value of `schema`, and whether any of it was made up from types;
/// `None` when the schema is one being made already (a recursion).
fn from_schema(
    doc: Doc<'_>,
    at: &str,
    schema: &Value,
    stack: &mut Vec<String>,
) -> Result<Option<(Value, bool)>, SpecError> {
    let (at, schema) = doc.resolve(at, schema)?;
    if stack.contains(&at) {
        return Ok(None);
    }
    if stack.len() >= MAX_DEPTH {
        return Err(SpecError::at(
            &at,
            format!(
                "schemas nested over {MAX_DEPTH} deep are not followed; give this one an `example`"
            ),
        ));
    }
    let Some(fields) = schema.as_object() else {
        // A boolean schema (3.1): anything goes.
        return Ok(Some((Value::Null, true)));
    };
    for key in ["example", "default", "const"] {
        if let Some(value) = fields.get(key) {
            return Ok(Some((value.clone(), false)));
        }
    }
    for key in ["examples", "enum"] {
        if let Some(first) = fields
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return Ok(Some((first.clone(), false)));
        }
    }
    stack.push(at.clone());
    let made = compose(doc, &at, fields, stack);
    stack.pop();
    made.map(Some)
}

/// A value of a schema that has no example of its own.
fn compose(
    doc: Doc<'_>,
    at: &str,
    fields: &Map<String, Value>,
    stack: &mut Vec<String>,
) -> Result<(Value, bool), SpecError> {
    let required = |part: &str, at: &str| {
        SpecError::at(
            at,
            format!(
                "a recursive schema: its {part} is the schema itself; refused: give it an `example`"
            ),
        )
    };
    if let Some(parts) = fields.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        let mut made_up = false;
        for (i, part) in parts.iter().enumerate() {
            let part_at = child(&child(at, "allOf"), &i.to_string());
            let (value, part_made_up) = from_schema(doc, &part_at, part, stack)?
                .ok_or_else(|| required("allOf part", &part_at))?;
            made_up |= part_made_up;
            if let Value::Object(object) = value {
                merged.extend(object);
            }
        }
        return Ok((Value::Object(merged), made_up));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = fields
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            let part_at = child(&child(at, key), "0");
            return from_schema(doc, &part_at, first, stack)?
                .ok_or_else(|| required(key, &part_at));
        }
    }
    let kind = match fields.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        // 3.1: ["string", "null"].
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        _ if fields.contains_key("properties") => "object",
        _ if fields.contains_key("items") => "array",
        _ => "",
    };
    Ok(match kind {
        "object" => object(doc, at, fields, stack)?,
        "array" => match fields.get("items") {
            Some(items) => match from_schema(doc, &child(at, "items"), items, stack)? {
                Some((item, made_up)) => (Value::Array(vec![item]), made_up),
                None => (Value::Array(Vec::new()), false),
            },
            None => (Value::Array(Vec::new()), true),
        },
        "integer" => (integer(fields).into(), true),
        "number" => (
            fields.get("minimum").cloned().unwrap_or_else(|| 1.5.into()),
            true,
        ),
        "boolean" => (Value::Bool(true), true),
        "null" => (Value::Null, true),
        "string" => (Value::String(string(fields)), true),
        _ => (Value::Null, true),
    })
}

fn object(
    doc: Doc<'_>,
    at: &str,
    fields: &Map<String, Value>,
    stack: &mut Vec<String>,
) -> Result<(Value, bool), SpecError> {
    let required: Vec<&str> = fields
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut object = Map::new();
    let mut made_up = false;
    if let Some(properties) = fields.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let property_at = child(&child(at, "properties"), name);
            match from_schema(doc, &property_at, property, stack)? {
                Some((value, property_made_up)) => {
                    made_up |= property_made_up;
                    object.insert(name.clone(), value);
                }
                None if required.contains(&name.as_str()) => {
                    return Err(SpecError::at(
                        &property_at,
                        "a required property whose schema contains itself; refused: give it an `example`",
                    ));
                }
                None => {}
            }
        }
    }
    Ok((Value::Object(object), made_up))
}

fn integer(fields: &Map<String, Value>) -> i64 {
    let minimum = fields.get("minimum").and_then(Value::as_f64);
    let maximum = fields.get("maximum").and_then(Value::as_f64);
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a bound of a document, rounded up to a whole number"
    )]
    let value = match (minimum, maximum) {
        (Some(min), _) => min.ceil() as i64,
        (None, Some(max)) if max < 1.0 => max.floor() as i64,
        _ => 1,
    };
    value
}

fn string(fields: &Map<String, Value>) -> String {
    match fields.get("format").and_then(Value::as_str) {
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("uuid") => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        Some("email") => "user@example.com",
        Some("uri" | "url") => "https://example.com/",
        Some("byte") => "ZXhhbXBsZQ==",
        _ => "example",
    }
    .to_owned()
}

#[cfg(test)]
mod tests;
