//! The load-test file written from an [`Api`]: Rust that compiles as
//! written, with the document's examples as values and the seeds'
//! targets as commented thresholds.

use std::fmt::Write as _;

use serde_json::Value;

use super::encode::percent_encode;
use super::example::{BodyOrigin, Sample};
use super::model::{Api, Location, Method, Operation, Parameter};
use super::names::{MIX, operation_names};
use super::targets::{self, Target};

/// Requests of each response-time test (a tenth under `--quick`).
const REQUESTS: u32 = 100;
/// The mix's workload.
const MIX_LOAD: &str = r#"load(users = 10, ramp_up = "5s", hold = "30s", think = "0.5s..1.5s")"#;

/// What was written, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Response-time tests (one per GET operation).
    pub response_time: usize,
    /// Operations in the mix.
    pub in_mix: usize,
    /// Every operation written as a function.
    pub operations: usize,
}

/// The file, and what it holds.
pub(crate) fn render(api: &Api, spec_name: &str) -> (String, Counts) {
    let names = operation_names(&api.operations);
    let mut mix: Vec<(&str, u32)> = api
        .operations
        .iter()
        .zip(&names)
        .filter(|(op, _)| op.method != Method::Delete)
        .map(|(op, name)| (name.as_str(), if op.method == Method::Get { 3 } else { 1 }))
        .collect();
    if mix.is_empty() {
        mix = names.iter().map(|name| (name.as_str(), 1)).collect();
    }
    let gets: Vec<(&Operation, &String)> = api
        .operations
        .iter()
        .zip(&names)
        .filter(|(op, _)| op.method == Method::Get)
        .collect();
    let mut out = String::new();
    header(&mut out, api, spec_name, mix.len());
    out.push_str("use perf_runtime::{Method, User, perf_test};\n\n");
    if !api.base_path.is_empty() {
        let _ = writeln!(
            out,
            "/// Prefixed to every path: the path of the document's first server.\nconst BASE: &str = {:?};\n",
            api.base_path
        );
    }
    if !gets.is_empty() {
        out.push_str("// One response-time test per GET operation: one user, its requests one after the other.\n\n");
    }
    for (op, name) in &gets {
        response_time_test(&mut out, op, name, &api.base_path);
    }
    mix_test(&mut out, &mix);
    out.push_str(
        "// One function per operation: its request, with the document's examples as values.\n\n",
    );
    for (op, name) in api.operations.iter().zip(&names) {
        let in_mix = mix.iter().any(|(task, _)| *task == name.as_str());
        operation(&mut out, op, name, &api.base_path, in_mix);
    }
    out.push_str("perf_runtime::main!();\n");
    let counts = Counts {
        response_time: gets.len(),
        in_mix: mix.len(),
        operations: api.operations.len(),
    };
    (out, counts)
}

fn header(out: &mut String, api: &Api, spec_name: &str, in_mix: usize) {
    let title = if api.title.is_empty() {
        "the API"
    } else {
        api.title.as_str()
    };
    let version = if api.version.is_empty() {
        String::new()
    } else {
        format!(" {}", api.version)
    };
    let _ = writeln!(
        out,
        "//! Load tests of {title}{version}, written by `cargo perf init --openapi {spec_name}`"
    );
    out.push_str(
        "//! from its OpenAPI document; run them with `cargo perf`.\n//!\n\
         //! - one `response_time` test per GET operation: one user sends its request\n\
         //!   100 times, one after the other (10 under `cargo perf --quick`);\n",
    );
    let _ = writeln!(
        out,
        "//! - `{MIX}`: 10 users that each pick one of the {in_mix} operations per iteration,\n\
         //!   reads three times as often as writes (DELETEs left out: they remove what the\n\
         //!   others read); change the weights to your traffic;\n\
         //! - one function per operation, sending the document's examples; a value\n\
         //!   marked \"made up\" came from the schema's type: check it exists on your server."
    );
    out.push_str(
        "//!\n//! The thresholds in comments are the targets of the performance suites cargo perf\n\
         //! grew from; uncomment one to gate on it (exit 11 when missed).\n//!\n\
         //! The server: `[package.metadata.perf.server]` in Cargo.toml starts it for each run,\n\
         //! or `cargo perf --target-url http://127.0.0.1:PORT` sends the load to one already up.\n",
    );
    match (&api.server_url, api.base_path.is_empty()) {
        (Some(url), true) => {
            let _ = writeln!(out, "//! The document's server is {url}.");
        }
        (Some(url), false) => {
            let _ = writeln!(
                out,
                "//! The document's server is {url}: every path starts with its path, `BASE`."
            );
        }
        (None, _) => {}
    }
    if !api.skipped.is_empty() {
        let _ = writeln!(
            out,
            "//! Left out (no load test sends them): {}.",
            api.skipped.join(", ")
        );
    }
    out.push('\n');
}

fn response_time_test(out: &mut String, op: &Operation, name: &str, base: &str) {
    let target = targets::read(&op.path);
    let _ = writeln!(out, "/// {}", describe(op, base));
    out.push_str("#[perf_test(\n");
    let _ = writeln!(out, "    response_time(requests = {REQUESTS}),");
    commented(out, &target);
    out.push_str(")]\n");
    let _ = writeln!(
        out,
        "async fn {name}_response_time(user: &mut User) -> perf_runtime::Result<()> {{\n    {name}(user).await\n}}\n"
    );
}

fn mix_test(out: &mut String, mix: &[(&str, u32)]) {
    out.push_str("/// The operations under load, each user picking one per iteration by weight.\n#[perf_test(\n");
    let _ = writeln!(out, "    {MIX_LOAD},");
    let tasks: Vec<String> = mix
        .iter()
        .map(|(task, weight)| format!("{task} = {weight}"))
        .collect();
    let line = format!("    tasks({}),", tasks.join(", "));
    if line.len() <= 100 {
        let _ = writeln!(out, "{line}");
    } else {
        out.push_str("    tasks(\n");
        for task in &tasks {
            let _ = writeln!(out, "        {task},");
        }
        out.push_str("    ),\n");
    }
    commented(out, &targets::LOAD);
    commented(out, &targets::THROUGHPUT);
    out.push_str(")]\n");
    let _ = writeln!(
        out,
        "async fn {MIX}(user: &mut User) -> perf_runtime::Result<()> {{\n    \
         // Each user's setup, run once before its first task: log in here if the API needs it.\n    \
         let _ = user;\n    Ok(())\n}}\n"
    );
}

fn commented(out: &mut String, target: &Target) {
    let _ = writeln!(
        out,
        "    // The seeds' target for {}:\n    // {},",
        target.what, target.threshold
    );
}

/// `GET /items/{id}: the summary (operationId)`.
fn describe(op: &Operation, base: &str) -> String {
    let mut text = format!("{} {base}{}", op.method.as_str(), op.path);
    if let Some(summary) = &op.summary {
        let _ = write!(text, ": {}", one_line(summary));
    }
    if let Some(id) = &op.id {
        let _ = write!(text, " (`{}`)", one_line(id));
    }
    text
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn operation(out: &mut String, op: &Operation, name: &str, base: &str, in_mix: bool) {
    let _ = writeln!(out, "/// {}", describe(op, base));
    if !in_mix {
        out.push_str(
            "#[allow(dead_code, reason = \"left out of the mix: it deletes what the other requests read\")]\n",
        );
    }
    let _ = writeln!(
        out,
        "async fn {name}(user: &mut User) -> perf_runtime::Result<()> {{"
    );
    let mut notes = Vec::new();
    let path = concrete_path(op, &mut notes);
    let mut builder = String::new();
    let target = if base.is_empty() {
        format!("{path:?}")
    } else {
        format!("&[BASE, {path:?}].concat()")
    };
    let _ = write!(
        builder,
        "    user.request(Method::{}, {target})",
        op.method.as_str()
    );
    let _ = write!(
        builder,
        "\n        .name({:?})",
        format!("{} {base}{}", op.method.as_str(), op.path)
    );
    for parameter in op.parameters.iter().filter(|p| p.required) {
        let header = match parameter.location {
            Location::Header => parameter.name.clone(),
            Location::Cookie => "cookie".to_owned(),
            Location::Path | Location::Query => continue,
        };
        let value = scalar(parameter, &mut notes);
        let value = if parameter.location == Location::Cookie {
            format!("{}={value}", parameter.name)
        } else {
            value
        };
        let _ = write!(builder, "\n        .header({header:?}, {value:?})");
    }
    if let Some(body) = &op.body {
        match &body.origin {
            BodyOrigin::Example => {}
            BodyOrigin::Schema { made_up: false } => {
                notes.push("the body: made from the examples of its schema".to_owned())
            }
            BodyOrigin::Schema { made_up: true } => notes.push(
                "PLACEHOLDER: the body is made from its schema, with values made up from types \
                 where the document gives no example: check them"
                    .to_owned(),
            ),
            BodyOrigin::Placeholder(reason) => {
                notes.push(format!("PLACEHOLDER: {reason}: write the body"))
            }
        }
        let _ = write!(
            builder,
            "\n        .header(\"content-type\", {:?})",
            body.media_type
        );
        let _ = write!(builder, "\n        .body({})", raw_string(&body.text));
    }
    builder.push_str("\n        .send()\n        .await?");
    match op.status {
        Some(status) => {
            let _ = write!(builder, "\n        .expect_status({status})?;");
        }
        None => builder.push(';'),
    }
    if op.status.is_none() {
        notes.push("the document names no 2xx status: any status below 400 passes".to_owned());
    }
    for note in notes {
        let _ = writeln!(out, "    // {note}");
    }
    let _ = writeln!(out, "{builder}\n    user.think().await;\n    Ok(())\n}}\n");
}

/// The path with its parameters filled in, and the query string.
fn concrete_path(op: &Operation, notes: &mut Vec<String>) -> String {
    let mut path = op.path.clone();
    for parameter in op
        .parameters
        .iter()
        .filter(|p| p.location == Location::Path)
    {
        let value = scalar(parameter, notes);
        path = path.replace(&format!("{{{}}}", parameter.name), &percent_encode(&value));
    }
    let mut query = Vec::new();
    for parameter in op
        .parameters
        .iter()
        .filter(|p| p.location == Location::Query)
    {
        let given = parameter.value.as_ref().is_some_and(|v| !v.made_up);
        if !(parameter.required || given) {
            continue;
        }
        let key = percent_encode(&parameter.name);
        match parameter.value.as_ref().map(|s| &s.value) {
            Some(Value::Array(items)) if parameter.explode => {
                note_made_up(parameter, notes);
                query.extend(
                    items
                        .iter()
                        .map(|item| format!("{key}={}", percent_encode(&text(item)))),
                );
            }
            Some(Value::Array(items)) => {
                note_made_up(parameter, notes);
                let joined: Vec<String> = items
                    .iter()
                    .map(|item| percent_encode(&text(item)))
                    .collect();
                query.push(format!("{key}={}", joined.join(",")));
            }
            _ => {
                let value = scalar(parameter, notes);
                query.push(format!("{key}={}", percent_encode(&value)));
            }
        }
    }
    if !query.is_empty() {
        path.push('?');
        path.push_str(&query.join("&"));
    }
    path
}

/// The parameter's value as text; a note when it is made up.
fn scalar(parameter: &Parameter, notes: &mut Vec<String>) -> String {
    note_made_up(parameter, notes);
    match &parameter.value {
        Some(Sample {
            value: Value::Array(items),
            ..
        }) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Some(Sample { value, .. }) => text(value),
        None => "1".to_owned(),
    }
}

fn note_made_up(parameter: &Parameter, notes: &mut Vec<String>) {
    if parameter.value.as_ref().is_none_or(|v| v.made_up) {
        let what = match parameter.location {
            Location::Path => format!("{{{}}}", parameter.name),
            Location::Query => format!("?{}", parameter.name),
            Location::Header | Location::Cookie => format!(
                "the {} `{}`",
                location_word(parameter.location),
                parameter.name
            ),
        };
        notes.push(format!(
            "{what}: made up from its schema (no example in the document)"
        ));
    }
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A raw string literal holding `text`, with as many `#` as it needs.
fn raw_string(text: &str) -> String {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_and_values_are_quoted_and_encoded() {
        assert_eq!(raw_string(r##"{"a": "#"}"##), r###"r##"{"a": "#"}"##"###);
        assert_eq!(percent_encode("a b/ü"), "a%20b%2F%C3%BC");
    }
}
