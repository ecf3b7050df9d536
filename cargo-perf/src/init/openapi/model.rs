//! The parts of an OpenAPI 3.0/3.1 document that load tests need: the
//! server's base path and each operation with its parameters, body and
//! success status, read with serde (serde_path_to_error names the
//! pointer of a bad part) after `$ref`s are followed.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::{SpecError, child};
use super::example::{self, Body, Sample};
use super::refs::Doc;

/// What the load tests are written from.
#[derive(Debug)]
pub(crate) struct Api {
    /// `info.title`.
    pub(crate) title: String,
    /// `info.version`.
    pub(crate) version: String,
    /// The first server's URL, as written (variables filled in).
    pub(crate) server_url: Option<String>,
    /// The path of that URL, prefixed to every operation's path (`/api/v3`
    /// or empty).
    pub(crate) base_path: String,
    /// The operations, in the document's order.
    pub(crate) operations: Vec<Operation>,
    /// `HEAD /x` and such: operations left out, as `METHOD path`.
    pub(crate) skipped: Vec<String>,
}

/// The methods load tests send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// GET: a response-time test of its own, and reads in the mix.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE: written, but left out of the mix.
    Delete,
}

impl Method {
    /// As HTTP and hyper's constants spell it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => Self::Get,
            "post" => Self::Post,
            "put" => Self::Put,
            "patch" => Self::Patch,
            "delete" => Self::Delete,
            _ => return None,
        })
    }
}

/// One operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// Its method.
    pub(crate) method: Method,
    /// Its path template, `/items/{id}`.
    pub(crate) path: String,
    /// `operationId`.
    pub(crate) id: Option<String>,
    /// `summary`, else the first line of `description`.
    pub(crate) summary: Option<String>,
    /// Its parameters (the path item's, overridden by its own).
    pub(crate) parameters: Vec<Parameter>,
    /// Its request body.
    pub(crate) body: Option<Body>,
    /// The lowest 2xx status it documents, if one is a number.
    pub(crate) status: Option<u16>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Location {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// One parameter with the value the tests send.
#[derive(Debug)]
pub(crate) struct Parameter {
    /// Its name.
    pub(crate) name: String,
    /// Where it goes.
    pub(crate) location: Location,
    /// Whether the operation needs it.
    pub(crate) required: bool,
    /// The value sent: the document's example, or one made from its
    /// schema.
    pub(crate) value: Option<Sample>,
    /// A query array sent as `k=a&k=b` (form, exploded: OpenAPI's default).
    pub(crate) explode: bool,
}

#[derive(Deserialize)]
struct RawDocument {
    openapi: Option<String>,
    swagger: Option<Value>,
    #[serde(default)]
    info: RawInfo,
    #[serde(default)]
    servers: Vec<RawServer>,
    #[serde(default)]
    paths: Map<String, Value>,
}

#[derive(Default, Deserialize)]
struct RawInfo {
    #[serde(default)]
    title: String,
    #[serde(default)]
    version: String,
}

#[derive(Deserialize)]
struct RawServer {
    url: String,
    #[serde(default)]
    variables: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawOperation {
    operation_id: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    #[serde(default)]
    parameters: Vec<Value>,
    request_body: Option<Value>,
    #[serde(default)]
    responses: Map<String, Value>,
}

#[derive(Deserialize)]
struct RawParameter {
    name: String,
    #[serde(rename = "in")]
    location: Location,
    #[serde(default)]
    required: bool,
    explode: Option<bool>,
}

/// `value` (at `pointer`) as `T`, or an error at the pointer of the part
/// that does not fit.
fn typed<T: DeserializeOwned>(pointer: &str, value: &Value) -> Result<T, SpecError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().iter().fold(pointer.to_owned(), |at, segment| {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => child(&at, &index.to_string()),
                Segment::Map { key } => child(&at, key),
                Segment::Enum { variant } => child(&at, variant),
                Segment::Unknown => at,
            }
        });
        SpecError::at(&inner, e.into_inner().to_string())
    })
}

/// The API that `root` describes.
pub(crate) fn read(root: &Value) -> Result<Api, SpecError> {
    if !root.is_object() {
        return Err(SpecError::at(
            "",
            "an OpenAPI document is an object with `openapi`, `info` and `paths`",
        ));
    }
    let raw: RawDocument = typed("", root)?;
    check_version(&raw)?;
    let doc = Doc::new(root);
    let (server_url, base_path) = server(&raw.servers)?;
    let mut api = Api {
        title: raw.info.title,
        version: raw.info.version,
        server_url,
        base_path,
        operations: Vec::new(),
        skipped: Vec::new(),
    };
    // `x-...` keys are specification extensions, not paths.
    for (path, item) in raw.paths.iter().filter(|(key, _)| !key.starts_with("x-")) {
        let at = child("/paths", path);
        if !path.starts_with('/') {
            return Err(SpecError::at(
                &at,
                format!("a path must start with `/`, not `{path}`"),
            ));
        }
        let (item_at, item) = doc.resolve(&at, item)?;
        let Some(item) = item.as_object() else {
            return Err(SpecError::at(
                &item_at,
                "a path item is an object of operations (`get`, `post`, ...)",
            ));
        };
        let shared: Vec<Value> = match item.get("parameters") {
            Some(list) => typed(&child(&item_at, "parameters"), list)?,
            None => Vec::new(),
        };
        for (key, operation) in item {
            let op_at = child(&item_at, key);
            match Method::from_key(key) {
                Some(method) => {
                    let operation =
                        read_operation(doc, &op_at, method, path, operation, &item_at, &shared)?;
                    api.operations.push(operation);
                }
                None if matches!(key.as_str(), "head" | "options" | "trace") => {
                    api.skipped.push(format!("{} {path}", key.to_uppercase()));
                }
                None => {}
            }
        }
    }
    if api.operations.is_empty() {
        return Err(SpecError::at(
            "/paths",
            "the document has no operation (GET, POST, PUT, PATCH or DELETE) to test",
        ));
    }
    Ok(api)
}

fn check_version(raw: &RawDocument) -> Result<(), SpecError> {
    match (&raw.openapi, &raw.swagger) {
        (Some(version), _) if version.starts_with("3.0") || version.starts_with("3.1") => Ok(()),
        (Some(version), _) => Err(SpecError::at(
            "/openapi",
            format!(
                "OpenAPI {version} is not read here; cargo perf init reads OpenAPI 3.0 and 3.1 documents"
            ),
        )),
        (None, Some(_)) => Err(SpecError::at(
            "/swagger",
            "a Swagger 2.0 document; cargo perf init reads OpenAPI 3.0 and 3.1: convert it first",
        )),
        (None, None) => Err(SpecError::at(
            "",
            "no `openapi` version: is this an OpenAPI 3 document?",
        )),
    }
}

/// The first server's URL with its variables' defaults, and its path.
fn server(servers: &[RawServer]) -> Result<(Option<String>, String), SpecError> {
    let Some(first) = servers.first() else {
        return Ok((None, String::new()));
    };
    let mut url = first.url.clone();
    for (name, variable) in &first.variables {
        if let Some(default) = variable.get("default").and_then(Value::as_str) {
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let path = if url.contains("://") {
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    } else {
        after_scheme
    };
    let path = path.trim_end_matches('/');
    if path.contains(['{', '}', '?', '#', ' ']) {
        return Err(SpecError::at(
            "/servers/0/url",
            format!(
                "the server's path `{path}` has a part without a default; give its variables a `default`"
            ),
        ));
    }
    Ok((Some(url.clone()), path.to_owned()))
}

fn read_operation(
    doc: Doc<'_>,
    at: &str,
    method: Method,
    path: &str,
    value: &Value,
    item_at: &str,
    shared: &[Value],
) -> Result<Operation, SpecError> {
    let raw: RawOperation = typed(at, value)?;
    let mut parameters: Vec<Parameter> = Vec::new();
    let own = raw
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (child(&child(at, "parameters"), &i.to_string()), p));
    let inherited = shared
        .iter()
        .enumerate()
        .map(|(i, p)| (child(&child(item_at, "parameters"), &i.to_string()), p));
    // The operation's own first: a parameter it redefines wins.
    for (p_at, parameter) in own.chain(inherited) {
        let (p_at, parameter) = doc.resolve(&p_at, parameter)?;
        let raw: RawParameter = typed(&p_at, parameter)?;
        if parameters
            .iter()
            .any(|p| p.name == raw.name && p.location == raw.location)
        {
            continue;
        }
        let value = example::parameter(doc, &p_at, parameter)?;
        parameters.push(Parameter {
            required: raw.required || raw.location == Location::Path,
            explode: raw.explode.unwrap_or(true),
            name: raw.name,
            location: raw.location,
            value,
        });
    }
    for name in template_names(path) {
        if !parameters
            .iter()
            .any(|p| p.location == Location::Path && p.name == name)
        {
            return Err(SpecError::at(
                at,
                format!(
                    "the path has `{{{name}}}` but the operation defines no path parameter `{name}`"
                ),
            ));
        }
    }
    let body = match &raw.request_body {
        Some(body) => example::body(doc, &child(at, "requestBody"), body)?,
        None => None,
    };
    let status = raw
        .responses
        .keys()
        .filter_map(|code| code.parse::<u16>().ok())
        .filter(|code| (200..300).contains(code))
        .min();
    let summary = raw
        .summary
        .or_else(|| {
            raw.description
                .and_then(|d| d.lines().next().map(str::to_owned))
        })
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    Ok(Operation {
        method,
        path: path.to_owned(),
        id: raw.operation_id,
        summary,
        parameters,
        body,
        status,
    })
}

/// The `{name}`s of a path template.
pub(crate) fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}
