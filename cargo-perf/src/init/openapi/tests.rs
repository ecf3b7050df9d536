use std::path::{Path, PathBuf};

use super::*;

/// The demo server's document, beside the demo.
fn demo_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo/openapi.yaml")
}

/// `text` written to a file named `name`, read as a document.
fn generate(name: &str, text: &str) -> Result<LoadTests, SpecError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    load_tests(&path)
}

#[test]
fn the_demo_s_load_tests() {
    let tests = load_tests(&demo_spec()).unwrap();
    assert_eq!(
        tests.counts,
        Counts {
            response_time: 6,
            in_mix: 7,
            operations: 7
        }
    );
    assert_eq!(tests.ready.as_deref(), Some("/health"));
    assert_eq!(tests.server_url.as_deref(), Some("http://127.0.0.1:8080"));
    insta::assert_snapshot!(tests.source);
}

#[test]
fn the_server_s_path_prefixes_every_request() {
    let tests = generate(
        "petstore.json",
        r#"{"openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},
            "servers": [{"url": "https://petstore3.swagger.io/api/v3"}],
            "paths": {"/pet/{petId}": {"get": {"operationId": "getPetById",
                "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
                "responses": {"200": {"description": "ok"}, "404": {"description": "none"}}}}}}"#,
    )
    .unwrap();
    assert!(
        tests.source.contains(r#"const BASE: &str = "/api/v3";"#),
        "{}",
        tests.source
    );
    assert!(
        tests
            .source
            .contains(r#"user.request(Method::GET, &[BASE, "/pet/1"].concat())"#),
        "{}",
        tests.source
    );
    assert!(
        tests.source.contains(r#".name("GET /api/v3/pet/{petId}")"#),
        "{}",
        tests.source
    );
    assert!(
        tests.source.contains("// {petId}: made up from its schema"),
        "{}",
        tests.source
    );
    assert!(
        tests.source.contains(".expect_status(200)?"),
        "{}",
        tests.source
    );
}

#[test]
fn deletes_stay_out_of_the_mix_and_writes_weigh_less_than_reads() {
    let tests = generate(
        "api.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  x-extension: {a: 1}\n  /items:\n    get:\n      responses: {'200': {description: ok}}\n    post:\n      operationId: addItem\n      requestBody:\n        content:\n          application/octet-stream: {schema: {type: string, format: binary}}\n      responses: {'201': {description: made}}\n  /items/{id}:\n    delete:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}, example: abc}]\n      responses: {default: {description: done}}\n    head:\n      responses: {'200': {description: ok}}\n",
    )
    .unwrap();
    let source = &tests.source;
    assert!(
        source.contains("tasks(get_items = 3, add_item = 1)"),
        "{source}"
    );
    assert!(
        source.contains("#[allow(dead_code, reason = \"left out of the mix"),
        "{source}"
    );
    assert!(
        source.contains("async fn delete_items_by_id(user"),
        "{source}"
    );
    assert!(source.contains("\"/items/abc\""), "{source}");
    assert!(
        source.contains("// the document names no 2xx status"),
        "{source}"
    );
    assert!(
        source.contains("// PLACEHOLDER: the body is made from its schema"),
        "{source}"
    );
    assert!(source.contains(".expect_status(201)?"), "{source}");
    assert!(
        source.contains("Left out (no load test sends them): HEAD /items/{id}."),
        "{source}"
    );
    assert_eq!(
        tests.counts,
        Counts {
            response_time: 1,
            in_mix: 2,
            operations: 3
        }
    );
}

#[test]
fn bad_documents_name_the_pointer_of_the_bad_part() {
    let cases: [(&str, &str, Option<&str>, &str); 9] = [
        (
            "a.json",
            r#"{"openapi": "3.0.0", "paths": {"/x": {"get": {"responses": }}}}"#,
            Some("/paths/~1x/get/responses"),
            "not valid JSON",
        ),
        (
            "a.yaml",
            "openapi: 3.0.0\npaths:\n  /x:\n    get: {responses: [\n",
            Some("/paths/~1x/get/responses"),
            "not valid YAML",
        ),
        (
            "a.json",
            r#"{"swagger": "2.0", "paths": {}}"#,
            Some("/swagger"),
            "Swagger 2.0",
        ),
        (
            "a.json",
            r#"{"openapi": "4.0.0", "paths": {}}"#,
            Some("/openapi"),
            "OpenAPI 4.0.0 is not read here",
        ),
        (
            "a.yaml",
            "openapi: 3.0.0\npaths:\n  /x:\n    get:\n      parameters: [{name: q, in: body}]\n",
            Some("/paths/~1x/get/parameters/0/in"),
            "unknown variant `body`",
        ),
        (
            "a.yaml",
            "openapi: 3.0.0\npaths:\n  /x/{id}:\n    get: {}\n",
            Some("/paths/~1x~1{id}/get"),
            "no path parameter `id`",
        ),
        (
            "a.yaml",
            "openapi: 3.0.0\npaths:\n  /x:\n    get:\n      parameters: [{$ref: '#/components/parameters/A'}]\ncomponents:\n  parameters:\n    A: {$ref: '#/components/parameters/B'}\n    B: {$ref: '#/components/parameters/A'}\n",
            Some("/components/parameters/B/$ref"),
            "a cycle of `$ref`s",
        ),
        (
            "a.yaml",
            "openapi: 3.0.0\npaths: {}\n",
            Some("/paths"),
            "no operation",
        ),
        (
            "a.yaml",
            "- just\n- a list\n",
            Some(""),
            "an OpenAPI document is an object",
        ),
    ];
    for (name, text, pointer, message) in cases {
        let error = generate(name, text).unwrap_err();
        assert_eq!(error.pointer.as_deref(), pointer, "{text}: {error}");
        assert!(error.message.contains(message), "{text}: {error}");
    }
}

#[test]
fn a_recursive_schema_is_not_followed() {
    let spec = |required: &str| {
        format!(
            "openapi: 3.1.0\npaths:\n  /nodes:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Node'}}\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      required: [{required}]\n      properties:\n        name: {{type: string, example: root}}\n        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}\n        parent: {{$ref: '#/components/schemas/Node'}}\n"
        )
    };
    let optional = generate("a.yaml", &spec("name")).unwrap();
    assert!(
        optional
            .source
            .contains("\"children\": [],\n  \"name\": \"root\"\n}"),
        "the recursion left out: {}",
        optional.source
    );
    let error = generate("a.yaml", &spec("name, parent")).unwrap_err();
    assert_eq!(
        error.pointer.as_deref(),
        Some("/components/schemas/Node/properties/parent")
    );
    assert!(error.message.contains("contains itself"), "{error}");
}
