use serde_json::json;

use super::*;

fn body_of(media: serde_json::Value) -> Body {
    let root = json!({"components": {"examples": {"Order": {"value": {"id": 7}}}}});
    let doc = Doc::new(&root);
    body(doc, "/requestBody", &json!({ "content": media }))
        .unwrap()
        .unwrap()
}

#[test]
fn a_body_comes_from_the_example_first() {
    let body = body_of(json!({"application/json": {
        "examples": {"one": {"$ref": "#/components/examples/Order"}},
        "schema": {"type": "object", "properties": {"id": {"type": "integer"}}}
    }}));
    assert_eq!(
        (body.text.as_str(), &body.origin),
        ("{\n  \"id\": 7\n}", &BodyOrigin::Example)
    );
    let body = body_of(json!({
        "application/xml": {"example": "<a/>"},
        "application/vnd.shop+json": {"schema": {"type": "object", "properties": {
            "when": {"type": "string", "format": "date-time"},
            "size": {"type": ["integer", "null"], "minimum": 3}
        }}}
    }));
    assert_eq!(
        body.media_type, "application/vnd.shop+json",
        "JSON is preferred"
    );
    assert_eq!(body.origin, BodyOrigin::Schema { made_up: true });
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body.text).unwrap(),
        json!({"size": 3, "when": "2024-01-01T00:00:00Z"})
    );
}

#[test]
fn forms_and_text_are_written_as_such_and_other_media_get_a_placeholder() {
    let form =
        body_of(json!({"application/x-www-form-urlencoded": {"example": {"name": "a b", "n": 2}}}));
    assert_eq!(form.text, "n=2&name=a%20b");
    let text = body_of(json!({"text/plain": {"schema": {"type": "string", "example": "hello"}}}));
    assert_eq!(
        (text.text.as_str(), &text.origin),
        ("hello", &BodyOrigin::Schema { made_up: false })
    );
    let binary = body_of(
        json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}),
    );
    assert_eq!(binary.text, "example", "a string example is sent as it is");
    let nothing = body_of(json!({"application/json": {}}));
    assert!(matches!(nothing.origin, BodyOrigin::Placeholder(_)));
    assert_eq!(nothing.text, "{}");
}

#[test]
fn a_parameter_takes_its_example_then_its_schema_s() {
    let root = json!({});
    let doc = Doc::new(&root);
    let sample = |p: serde_json::Value| parameter(doc, "/p", &p).unwrap().unwrap();
    assert_eq!(
        sample(json!({"example": 5, "schema": {"type": "integer"}})),
        Sample {
            value: json!(5),
            made_up: false
        }
    );
    assert_eq!(
        sample(json!({"schema": {"type": "integer", "default": 20}})),
        Sample {
            value: json!(20),
            made_up: false
        }
    );
    assert_eq!(
        sample(json!({"schema": {"enum": ["sold", "available"]}})),
        Sample {
            value: json!("sold"),
            made_up: false
        }
    );
    assert_eq!(
        sample(json!({"schema": {"type": "integer", "minimum": 1.5}})),
        Sample {
            value: json!(2),
            made_up: true
        }
    );
    assert_eq!(
        sample(json!({"schema": {"type": "string", "format": "uuid"}})).value,
        json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    );
    assert_eq!(sample(json!({"schema": {"allOf": [{"properties": {"a": {"example": 1}}}, {"properties": {"b": {"example": 2}}}]}})).value, json!({"a": 1, "b": 2}));
    assert_eq!(parameter(doc, "/p", &json!({"name": "x"})).unwrap(), None);
}
