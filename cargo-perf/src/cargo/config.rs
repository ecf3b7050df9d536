//! `[package.metadata.perf]` and `[workspace.metadata.perf]`: thresholds,
//! the baseline directory and the server, read and checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::CliError;
use crate::server::{Program, Ready, Restart, ServerSpec};

/// The keys of `[package.metadata.perf]` and `[workspace.metadata.perf]`.
const CONFIG_KEYS: &[&str] = &[
    "regression-threshold",
    "baseline-dir",
    "thresholds",
    "server",
];
/// The keys of `[package.metadata.perf.server]`.
const SERVER_KEYS: &[&str] = &[
    "bin",
    "command",
    "args",
    "env",
    "ready",
    "startup-timeout",
    "stop-timeout",
    "restart",
    "port",
];

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

/// Reads the `perf` table of a package's or workspace's metadata.
pub(crate) fn parse_config(
    metadata: &serde_json::Value,
    manifest: &Path,
    table: &str,
) -> Result<PerfConfig, CliError> {
    let mut config = PerfConfig::default();
    let Some(perf) = metadata.get("perf") else {
        return Ok(config);
    };
    let error = |key: &str, message: String| CliError::Config {
        path: manifest.to_path_buf(),
        table: table.to_owned(),
        key: key.to_owned(),
        message,
    };
    let Some(perf) = perf.as_object() else {
        return Err(error("perf", "it must be a table".to_owned()));
    };
    for (key, value) in perf {
        match key.as_str() {
            "regression-threshold" => {
                let text = value
                    .as_str()
                    .ok_or_else(|| error(key, "write it as a string, e.g. \"10%\"".to_owned()))?;
                config.regression_threshold_pct =
                    Some(perf_record::parse_percent(text).map_err(|e| error(key, e.to_string()))?);
            }
            "baseline-dir" => {
                let text = value.as_str().ok_or_else(|| {
                    error(
                        key,
                        "write it as a path string, e.g. \"perf/baselines\"".to_owned(),
                    )
                })?;
                let base = manifest.parent().unwrap_or(Path::new("."));
                config.baseline_dir = Some(base.join(text));
            }
            "thresholds" => {
                let table = value.as_object().ok_or_else(|| {
                    error(
                        key,
                        "write it as a table of metric = \"limit\", e.g. p95 = \"200ms\""
                            .to_owned(),
                    )
                })?;
                for (metric, limit) in table {
                    let limit = limit.as_str().ok_or_else(|| {
                        error(
                            &format!("thresholds.{metric}"),
                            "write the limit as a string, e.g. \"200ms\"".to_owned(),
                        )
                    })?;
                    let threshold = perf_record::threshold::Threshold::parse(metric, limit)
                        .map_err(|e| error(&format!("thresholds.{metric}"), e.to_string()))?;
                    config.thresholds.push(threshold);
                }
            }
            "server" => config.server = Some(parse_server(value, manifest, table)?),
            other => {
                return Err(error(
                    other,
                    format!("unknown key; the known keys are {}", CONFIG_KEYS.join(", ")),
                ));
            }
        }
    }
    Ok(config)
}

/// Reads `[...perf.server]`.
fn parse_server(
    value: &serde_json::Value,
    manifest: &Path,
    table: &str,
) -> Result<ServerSpec, CliError> {
    let table = format!("{table}.server");
    let error = |key: &str, message: String| CliError::Config {
        path: manifest.to_path_buf(),
        table: table.clone(),
        key: key.to_owned(),
        message,
    };
    let Some(server) = value.as_object() else {
        return Err(error("server", "it must be a table".to_owned()));
    };
    for key in server.keys() {
        if !SERVER_KEYS.contains(&key.as_str()) {
            return Err(error(
                key,
                format!("unknown key; the known keys are {}", SERVER_KEYS.join(", ")),
            ));
        }
    }
    let strings = |key: &str| -> Result<Vec<String>, CliError> {
        match server.get(key) {
            None => Ok(Vec::new()),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| error(key, "write a list of strings".to_owned()))
                })
                .collect(),
            Some(_) => Err(error(
                key,
                "write a list of strings, e.g. [\"--port\", \"{port}\"]".to_owned(),
            )),
        }
    };
    let duration = |key: &str, default: Duration| -> Result<Duration, CliError> {
        match server.get(key) {
            None => Ok(default),
            Some(v) => {
                let text = v.as_str().ok_or_else(|| {
                    error(key, "write a duration string, e.g. \"30s\"".to_owned())
                })?;
                perf_record::parse_duration(text).map_err(|e| error(key, e.to_string()))
            }
        }
    };
    let program = match (
        server.get("bin").and_then(serde_json::Value::as_str),
        strings("command")?,
    ) {
        (Some(bin), command) if command.is_empty() => Program::Bin(bin.to_owned()),
        (None, command) if !command.is_empty() => Program::Command(command),
        (Some(_), _) => {
            return Err(error(
                "command",
                "give either `bin` or `command`, not both".to_owned(),
            ));
        }
        (None, _) => {
            return Err(error(
                "bin",
                "say what to run: `bin = \"NAME\"` (a binary of this workspace) or `command = [\"PROGRAM\", ...]`".to_owned(),
            ));
        }
    };
    let ready = match server.get("ready").map(|v| v.as_str()) {
        None => Ready::Tcp,
        Some(Some("tcp")) => Ready::Tcp,
        Some(Some(path)) if path.starts_with('/') => Ready::Http(path.to_owned()),
        Some(_) => {
            return Err(error(
                "ready",
                "write an HTTP path such as \"/health\", or \"tcp\"".to_owned(),
            ));
        }
    };
    let restart = match server.get("restart").map(|v| v.as_str()) {
        None | Some(Some("per-run")) => Restart::PerRun,
        Some(Some("per-test")) => Restart::PerTest,
        Some(_) => {
            return Err(error(
                "restart",
                "write \"per-run\" or \"per-test\"".to_owned(),
            ));
        }
    };
    let env = match server.get("env") {
        None => BTreeMap::new(),
        Some(serde_json::Value::Object(vars)) => vars
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|v| (k.clone(), v.to_owned()))
                    .ok_or_else(|| {
                        error(
                            &format!("env.{k}"),
                            "write the value as a string".to_owned(),
                        )
                    })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(error("env", "write a table of NAME = \"value\"".to_owned())),
    };
    let port = match server.get("port") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .filter(|&p| p > 0)
                .ok_or_else(|| error("port", "write a port number from 1 to 65535".to_owned()))?,
        ),
    };
    Ok(ServerSpec {
        program,
        args: strings("args")?,
        env,
        ready,
        startup_timeout: duration("startup-timeout", Duration::from_secs(30))?,
        stop_timeout: duration("stop-timeout", Duration::from_secs(5))?,
        restart,
        port,
        dir: manifest.parent().unwrap_or(Path::new(".")).to_path_buf(),
        manifest: manifest.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_are_checked() {
        let manifest = Path::new("/ws/Cargo.toml");
        let ok =
            serde_json::json!({"perf": {"regression-threshold": "5%", "baseline-dir": "perf"}});
        let config = parse_config(&ok, manifest, "package.metadata.perf").unwrap();
        assert_eq!(config.regression_threshold_pct, Some(5.0));
        assert_eq!(config.baseline_dir, Some(PathBuf::from("/ws/perf")));
        let bad = serde_json::json!({"perf": {"regression-threshold": "5"}});
        let message = parse_config(&bad, manifest, "package.metadata.perf")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("regression-threshold") && message.contains("/ws/Cargo.toml"),
            "{message}"
        );
        let typo = serde_json::json!({"perf": {"regresion-threshold": "5%"}});
        let message = parse_config(&typo, manifest, "package.metadata.perf")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("regresion-threshold") && message.contains("known keys"),
            "{message}"
        );
        assert_eq!(
            parse_config(&serde_json::Value::Null, manifest, "x").unwrap(),
            PerfConfig::default()
        );
    }
}
