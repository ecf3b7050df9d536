//! `[package.metadata.perf]` and `[workspace.metadata.perf]`: thresholds,
//! the baseline directory and the server, read and checked.
//!
//! serde reads the tables (an unknown key is an error that lists the known
//! ones); values that need parsing (percentages, durations, thresholds)
//! are read as strings and checked after, with the key they came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::server_spec::{Program, Ready, Restart, ServerSpec};
use crate::error::CliError;

/// Settings from `[package.metadata.perf]`, over `[workspace.metadata.perf]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PerfConfig {
    /// `regression-threshold`, in percent.
    pub regression_threshold_pct: Option<f64>,
    /// `baseline-dir`, resolved against the manifest's directory.
    pub baseline_dir: Option<PathBuf>,
    /// `[...perf.thresholds]`: SLA thresholds for every load test.
    pub thresholds: Vec<perf_record::threshold::Threshold>,
    /// `[...perf.server]`.
    pub server: Option<ServerSpec>,
}

/// `[...metadata.perf]` as written.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "a table of cargo perf settings"
)]
struct RawConfig {
    regression_threshold: Option<String>,
    baseline_dir: Option<String>,
    #[serde(default)]
    thresholds: BTreeMap<String, RawThreshold>,
    server: Option<RawServer>,
}

/// A threshold as written: `p95 = "200ms"`, or with the requirement it
/// checks, `p95 = { limit = "200ms", requirement = "Requirement 9.3" }`.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "a string, or a table with `limit` and `requirement`"
)]
enum RawThreshold {
    Limit(String),
    Named(NamedThreshold),
}

/// The table form of [`RawThreshold`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedThreshold {
    limit: String,
    requirement: Option<String>,
}

/// `[...metadata.perf.server]` as written.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "a table that says how to start the server"
)]
struct RawServer {
    bin: Option<String>,
    #[serde(default)]
    command: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    ready: Option<String>,
    startup_timeout: Option<String>,
    stop_timeout: Option<String>,
    restart: Option<Restart>,
    port: Option<u16>,
    #[serde(default)]
    tls: bool,
}

/// How each key is written, for the message when its value has the wrong
/// type; `key` is the dotted path below `perf`.
fn example(key: &str) -> Option<&'static str> {
    Some(match key.split('.').collect::<Vec<_>>().as_slice() {
        ["regression-threshold"] => "regression-threshold = \"10%\"",
        ["baseline-dir"] => "baseline-dir = \"perf/baselines\"",
        ["thresholds"] => "a table of metric = \"limit\", e.g. p95 = \"200ms\"",
        ["thresholds", _] => {
            "p95 = \"200ms\", or p95 = { limit = \"200ms\", requirement = \"Requirement 9.3\" }"
        }
        ["server"] => "a table with bin = \"NAME\" or command = [...]",
        ["server", "bin"] => "bin = \"demo-server\"",
        ["server", "command"] => "command = [\"./run.sh\", \"--verbose\"]",
        ["server", "args"] => "args = [\"--port\", \"{port}\"]",
        ["server", "env"] => "env = { RUST_LOG = \"warn\" }",
        ["server", "env", _] => "RUST_LOG = \"warn\" (a string)",
        ["server", "ready"] => "ready = \"/health\" (an HTTP path), or ready = \"tcp\"",
        ["server", "startup-timeout"] => "startup-timeout = \"30s\"",
        ["server", "stop-timeout"] => "stop-timeout = \"5s\"",
        ["server", "restart"] => "restart = \"per-run\", or restart = \"per-test\"",
        ["server", "port"] => "port = 8080 (a number from 1 to 65535)",
        ["server", "tls"] => "tls = true (the server speaks HTTPS)",
        _ => return None,
    })
}

/// serde's message, in this file's words: an unknown key lists the known
/// ones, a value of the wrong type says how to write it.
fn explain(key: &str, message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let known = rest
            .split_once(", expected one of ")
            .or_else(|| rest.split_once(", expected "))
            .map_or("", |(_, known)| known);
        return format!("unknown key; the known keys are {}", known.replace('`', ""));
    }
    match example(key) {
        Some(example) => format!("{message}; write it as {example}"),
        None => message.to_owned(),
    }
}

/// Reads the `perf` table of a package's or workspace's metadata.
pub(crate) fn parse_config(
    metadata: &serde_json::Value,
    manifest: &Path,
    table: &str,
) -> Result<PerfConfig, CliError> {
    let Some(perf) = metadata.get("perf") else {
        return Ok(PerfConfig::default());
    };
    let error = |key: &str, message: String| CliError::Config {
        path: manifest.to_path_buf(),
        table: table.to_owned(),
        key: key.to_owned(),
        message,
    };
    let raw: RawConfig = serde_path_to_error::deserialize(perf).map_err(|e| {
        let key = match e.path().to_string() {
            path if path == "." => "perf".to_owned(),
            path => path,
        };
        let message = explain(&key, &e.inner().to_string());
        error(&key, message)
    })?;
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let thresholds = raw
        .thresholds
        .iter()
        .map(|(metric, raw)| {
            let key = format!("thresholds.{metric}");
            let (limit, requirement) = match raw {
                RawThreshold::Limit(limit) => (limit, None),
                RawThreshold::Named(named) => (&named.limit, named.requirement.as_deref()),
            };
            if let Some(name) = requirement {
                perf_record::threshold::check_requirement_name(name)
                    .map_err(|message| error(&format!("{key}.requirement"), message))?;
            }
            perf_record::threshold::Threshold::declared(metric, limit, requirement)
                .map_err(|e| error(&key, e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    Ok(PerfConfig {
        regression_threshold_pct: raw
            .regression_threshold
            .map(|text| {
                perf_record::parse_percent(&text)
                    .map_err(|e| error("regression-threshold", e.to_string()))
            })
            .transpose()?,
        baseline_dir: raw.baseline_dir.map(|text| dir.join(text)),
        thresholds,
        server: raw
            .server
            .map(|server| check_server(server, manifest, &error))
            .transpose()?,
    })
}

/// Checks `[...perf.server]`: what to run, readiness and durations.
fn check_server(
    server: RawServer,
    manifest: &Path,
    error: &dyn Fn(&str, String) -> CliError,
) -> Result<ServerSpec, CliError> {
    let program = match (server.bin, server.command) {
        (Some(bin), command) if command.is_empty() => Program::Bin(bin),
        (None, command) if !command.is_empty() => Program::Command(command),
        (Some(_), _) => {
            return Err(error(
                "server.command",
                "give either `bin` or `command`, not both".to_owned(),
            ));
        }
        (None, _) => {
            return Err(error(
                "server.bin",
                "say what to run: `bin = \"NAME\"` (a binary of this workspace) or `command = [\"PROGRAM\", ...]`"
                    .to_owned(),
            ));
        }
    };
    let ready = match server.ready {
        None => Ready::Tcp,
        Some(ready) if ready == "tcp" => Ready::Tcp,
        Some(path) if path.starts_with('/') => {
            // The path goes into the request line as written: a space or a
            // control character would break it.
            if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(error(
                    "server.ready",
                    format!(
                        "the path {path:?} holds a space or a control character, which an HTTP request \
                         line cannot carry; percent-encode it (a space is %20)"
                    ),
                ));
            }
            Ready::Http(path)
        }
        Some(_) => {
            return Err(error(
                "server.ready",
                "write an HTTP path such as \"/health\", or \"tcp\"".to_owned(),
            ));
        }
    };
    let duration = |key: &str, text: Option<String>, default: Duration| match text {
        None => Ok(default),
        Some(text) => match perf_record::parse_duration(&text) {
            Ok(d) if d.is_zero() => Err(error(
                &format!("server.{key}"),
                format!(
                    "`{text}` leaves no time at all; write a duration above zero, e.g. {key} = \"30s\""
                ),
            )),
            Ok(d) => Ok(d),
            Err(e) => Err(error(&format!("server.{key}"), e.to_string())),
        },
    };
    if server.port == Some(0) {
        return Err(error(
            "server.port",
            "write a port number from 1 to 65535, or leave `port` out to let cargo perf pick a free one"
                .to_owned(),
        ));
    }
    Ok(ServerSpec {
        program,
        args: server.args,
        env: server.env,
        ready,
        startup_timeout: duration(
            "startup-timeout",
            server.startup_timeout,
            Duration::from_secs(30),
        )?,
        stop_timeout: duration("stop-timeout", server.stop_timeout, Duration::from_secs(5))?,
        restart: server.restart.unwrap_or(Restart::PerRun),
        port: server.port,
        tls: server.tls,
        dir: manifest.parent().unwrap_or(Path::new(".")).to_path_buf(),
        manifest: manifest.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "/ws/Cargo.toml";

    fn parse(perf: serde_json::Value) -> Result<PerfConfig, String> {
        parse_config(
            &serde_json::json!({ "perf": perf }),
            Path::new(MANIFEST),
            "package.metadata.perf",
        )
        .map_err(|e| e.to_string())
    }

    /// The message for `perf`, which must name the manifest and `key`.
    fn error_for(perf: serde_json::Value, key: &str) -> String {
        let message = parse(perf).unwrap_err();
        assert!(
            message.contains(&format!(
                "invalid `{key}` in [package.metadata.perf] of {MANIFEST}: "
            )),
            "{message}"
        );
        message
    }

    #[test]
    fn a_timeout_of_zero_is_refused() {
        let message = error_for(
            serde_json::json!({ "server": { "bin": "x", "startup-timeout": "0s" } }),
            "server.startup-timeout",
        );
        assert!(message.contains("above zero"), "{message}");
    }

    #[test]
    fn settings_are_read() {
        let config = parse(serde_json::json!({
            "regression-threshold": "5%",
            "baseline-dir": "perf",
            "thresholds": { "p95": "200ms" },
        }))
        .unwrap();
        assert_eq!(config.regression_threshold_pct, Some(5.0));
        assert_eq!(config.baseline_dir, Some(PathBuf::from("/ws/perf")));
        assert_eq!(config.thresholds.len(), 1);
        assert_eq!(config.server, None);
        assert_eq!(
            parse_config(&serde_json::Value::Null, Path::new(MANIFEST), "x").unwrap(),
            PerfConfig::default()
        );
    }

    #[test]
    fn a_threshold_can_name_the_requirement_it_checks() {
        let config = parse(serde_json::json!({
            "thresholds": {
                "p95": { "limit": "5s", "requirement": "Requirement 9.3" },
                "p99": "8s",
            },
        }))
        .unwrap();
        let labels: Vec<_> = config.thresholds.iter().map(|t| t.label()).collect();
        assert_eq!(labels, ["Requirement 9.3: p95 <= 5s", "p99 <= 8s"]);
        let message = error_for(
            serde_json::json!({ "thresholds": { "p95": { "limit": "5s", "requirement": " " } } }),
            "thresholds.p95.requirement",
        );
        assert!(message.contains("name is empty"), "{message}");
        let message = error_for(
            serde_json::json!({ "thresholds": { "p95": { "limt": "5s" } } }),
            "thresholds.p95",
        );
        assert!(
            message.contains("requirement = \"Requirement 9.3\""),
            "{message}"
        );
    }

    #[test]
    fn the_server_is_read_with_defaults() {
        let config = parse(serde_json::json!({ "server": {
            "command": ["sh", "./run.sh"],
            "args": ["--port", "{port}"],
            "env": { "RUST_LOG": "warn" },
            "ready": "/health",
            "stop-timeout": "2s",
            "restart": "per-test",
            "port": 8080,
            "tls": true,
        }}))
        .unwrap();
        let server = config.server.unwrap();
        assert_eq!(
            server.program,
            Program::Command(vec!["sh".to_owned(), "./run.sh".to_owned()])
        );
        assert_eq!(server.args, ["--port", "{port}"]);
        assert_eq!(server.env["RUST_LOG"], "warn");
        assert_eq!(server.ready, Ready::Http("/health".to_owned()));
        assert_eq!(server.startup_timeout, Duration::from_secs(30));
        assert_eq!(server.stop_timeout, Duration::from_secs(2));
        assert_eq!(server.restart, Restart::PerTest);
        assert_eq!((server.port, server.tls), (Some(8080), true));
        assert_eq!(server.dir, PathBuf::from("/ws"));
        let server = parse(serde_json::json!({ "server": { "bin": "demo-server" } }))
            .unwrap()
            .server
            .unwrap();
        assert_eq!(server.program, Program::Bin("demo-server".to_owned()));
        assert_eq!(
            (server.ready, server.restart, server.tls),
            (Ready::Tcp, Restart::PerRun, false)
        );
    }

    #[test]
    fn an_unknown_key_lists_the_known_ones() {
        let message = error_for(
            serde_json::json!({ "regresion-threshold": "5%" }),
            "regresion-threshold",
        );
        assert!(
            message.ends_with(
                "unknown key; the known keys are regression-threshold, baseline-dir, thresholds, server"
            ),
            "{message}"
        );
        let message = error_for(
            serde_json::json!({ "server": { "bin": "x", "prot": 1 } }),
            "server.prot",
        );
        assert!(
            message.contains("the known keys are bin, command, args, env, ready"),
            "{message}"
        );
    }

    #[test]
    fn a_value_that_does_not_parse_says_how_to_write_it() {
        let message = error_for(
            serde_json::json!({ "regression-threshold": "5" }),
            "regression-threshold",
        );
        assert!(message.contains("`5` has no unit"), "{message}");
        let message = error_for(
            serde_json::json!({ "regression-threshold": 5 }),
            "regression-threshold",
        );
        assert!(
            message.contains("expected a string; write it as regression-threshold = \"10%\""),
            "{message}"
        );
        let message = error_for(
            serde_json::json!({ "thresholds": { "p95": "200" } }),
            "thresholds.p95",
        );
        assert!(message.contains("200"), "{message}");
        error_for(
            serde_json::json!({ "thresholds": { "p95": 200 } }),
            "thresholds.p95",
        );
        let message = error_for(
            serde_json::json!({ "server": { "bin": "x", "startup-timeout": "30" } }),
            "server.startup-timeout",
        );
        assert!(message.contains("has no unit"), "{message}");
        let message = error_for(
            serde_json::json!({ "server": { "bin": "x", "args": "--port" } }),
            "server.args",
        );
        assert!(
            message.contains("args = [\"--port\", \"{port}\"]"),
            "{message}"
        );
        error_for(
            serde_json::json!({ "server": { "bin": "x", "env": { "A": 1 } } }),
            "server.env.A",
        );
        let message = error_for(
            serde_json::json!({ "server": { "bin": "x", "restart": "never" } }),
            "server.restart",
        );
        assert!(message.contains("per-run"), "{message}");
        error_for(
            serde_json::json!({ "server": { "bin": "x", "port": 70000 } }),
            "server.port",
        );
        error_for(
            serde_json::json!({ "server": { "bin": "x", "port": 0 } }),
            "server.port",
        );
        error_for(
            serde_json::json!({ "server": { "bin": "x", "ready": "health" } }),
            "server.ready",
        );
        let message = error_for(
            serde_json::json!({ "server": { "bin": "x", "ready": "/ok?x=1 2" } }),
            "server.ready",
        );
        assert!(message.contains("%20"), "{message}");
        error_for(serde_json::json!("fast"), "perf");
    }

    #[test]
    fn the_server_says_what_to_run_once() {
        error_for(serde_json::json!({ "server": {} }), "server.bin");
        error_for(
            serde_json::json!({ "server": { "bin": "x", "command": ["y"] } }),
            "server.command",
        );
    }
}
