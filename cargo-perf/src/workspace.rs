//! The workspace as `cargo metadata` describes it: which packages the
//! user selected (as cargo would select them), their perf targets, and the
//! `[package.metadata.perf]` configuration.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;
use std::time::Duration;

use cargo_metadata::{Metadata, MetadataCommand, Package, PackageId, TargetKind};

use crate::cargo::cargo_path;
use crate::cli::CargoOptions;
use crate::error::CliError;
pub use crate::features::feature_gated_targets;
use crate::features::{enabled_features, missing_features};
use crate::server::{Program, Ready, Restart, ServerSpec};

/// The runtime crate whose users have perf targets.
pub(crate) const RUNTIME_CRATE: &str = "perf-runtime";
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

/// A `harness = false` target of a package that depends on perf-runtime.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PerfTarget {
    /// The package's id.
    pub package_id: PackageId,
    /// The package's name.
    pub package: String,
    /// The directory of the package's Cargo.toml; tests run there, as
    /// under `cargo bench`.
    pub manifest_dir: PathBuf,
    /// The target's name.
    pub name: String,
    /// `bench` or `test`.
    pub kind: TargetKindName,
}

/// The kinds of target a perf test can live in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetKindName {
    /// `[[bench]]`
    Bench,
    /// `[[test]]`
    Test,
}

impl TargetKindName {
    /// Cargo's flag selecting a target of this kind.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Bench => "--bench",
            Self::Test => "--test",
        }
    }
}

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

/// The workspace and what the user selected of it.
#[derive(Debug)]
pub struct Workspace {
    /// `cargo metadata` output.
    pub metadata: Metadata,
    /// The target directory (`--target-dir`, else cargo's).
    pub target_dir: PathBuf,
    /// `[workspace.metadata.perf]`.
    pub config: PerfConfig,
}

impl Workspace {
    /// Reads the workspace the way cargo would for the same flags.
    pub fn load(options: &CargoOptions) -> Result<Self, CliError> {
        let mut command = MetadataCommand::new();
        command.cargo_path(cargo_path()).no_deps();
        if let Some(path) = &options.manifest_path {
            command.manifest_path(path);
        }
        command.other_options(options.manifest_flags());
        let metadata = command.exec().map_err(CliError::Metadata)?;
        let target_dir = match &options.target_dir {
            Some(dir) => std::env::current_dir()
                .map(|cwd| cwd.join(dir))
                .unwrap_or_else(|_| dir.clone()),
            None => metadata.target_directory.clone().into_std_path_buf(),
        };
        let root_manifest = metadata
            .workspace_root
            .join("Cargo.toml")
            .into_std_path_buf();
        let config = parse_config(
            &metadata.workspace_metadata,
            &root_manifest,
            "workspace.metadata.perf",
        )?;
        Ok(Self {
            metadata,
            target_dir,
            config,
        })
    }

    /// The workspace's root directory.
    pub fn root(&self) -> &Path {
        self.metadata.workspace_root.as_std_path()
    }

    /// The members, sorted by name.
    fn members(&self) -> Vec<&Package> {
        let mut members = self.metadata.workspace_packages();
        members.sort_by(|a, b| a.name.cmp(&b.name));
        members
    }

    /// The packages cargo would build for these flags.
    pub fn select(&self, options: &CargoOptions) -> Result<Vec<&Package>, CliError> {
        let members = self.members();
        if options.workspace {
            return Ok(members
                .into_iter()
                .filter(|p| !options.exclude.iter().any(|e| matches_spec(p, e)))
                .collect());
        }
        if !options.packages.is_empty() {
            let mut selected = Vec::new();
            for spec in &options.packages {
                let found: Vec<_> = members.iter().filter(|p| matches_spec(p, spec)).collect();
                if found.is_empty() {
                    return Err(CliError::UnknownPackage {
                        name: spec.clone(),
                        members: members.iter().map(|p| p.name.to_string()).collect(),
                    });
                }
                selected.extend(found.into_iter().copied());
            }
            selected.sort_by(|a, b| a.name.cmp(&b.name));
            selected.dedup_by(|a, b| a.id == b.id);
            return Ok(selected);
        }
        if let Some(root) = self.metadata.root_package() {
            return Ok(vec![root]);
        }
        let defaults: BTreeSet<&PackageId> =
            self.metadata.workspace_default_members.iter().collect();
        Ok(members
            .into_iter()
            .filter(|p| defaults.contains(&p.id))
            .collect())
    }

    /// The package's own perf configuration, over the workspace's.
    pub fn package_config(&self, package: &Package) -> Result<PerfConfig, CliError> {
        let own = parse_config(
            &package.metadata,
            package.manifest_path.as_std_path(),
            "package.metadata.perf",
        )?;
        Ok(PerfConfig {
            regression_threshold_pct: own
                .regression_threshold_pct
                .or(self.config.regression_threshold_pct),
            baseline_dir: own
                .baseline_dir
                .or_else(|| self.config.baseline_dir.clone()),
            thresholds: {
                let mut thresholds = own.thresholds;
                for default in &self.config.thresholds {
                    if !thresholds.iter().any(|t| t.metric == default.metric) {
                        thresholds.push(default.clone());
                    }
                }
                thresholds
            },
            server: own.server.or_else(|| self.config.server.clone()),
        })
    }
}

/// Whether `spec` (`name` or `name@version`) names this package.
fn matches_spec(package: &Package, spec: &str) -> bool {
    match spec.split_once('@') {
        Some((name, version)) => {
            package.name.as_str() == name && package.version.to_string().starts_with(version)
        }
        None => package.name.as_str() == spec,
    }
}

/// The perf targets of the selected packages: `harness = false` bench and
/// test targets of packages that depend on perf-runtime, whose
/// `required-features` the selected features turn on (cargo refuses to
/// build the others by name, as `cargo bench` skips them).
pub fn perf_targets(
    packages: &[&Package],
    options: &CargoOptions,
) -> Result<Vec<PerfTarget>, CliError> {
    let mut targets = Vec::new();
    for package in packages {
        if !package.dependencies.iter().any(|d| d.name == RUNTIME_CRATE) {
            continue;
        }
        let manifest_path = package.manifest_path.as_std_path();
        let no_harness = harnessless_targets(manifest_path)?;
        let features = enabled_features(package, options);
        for target in &package.targets {
            if !missing_features(package, target, &features).is_empty() {
                continue;
            }
            let kind = if target.kind.contains(&TargetKind::Bench) {
                TargetKindName::Bench
            } else if target.kind.contains(&TargetKind::Test) {
                TargetKindName::Test
            } else {
                continue;
            };
            if no_harness.contains(&(kind, target.name.clone())) {
                targets.push(PerfTarget {
                    package_id: package.id.clone(),
                    package: package.name.to_string(),
                    manifest_dir: manifest_path
                        .parent()
                        .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
                    name: target.name.clone(),
                    kind,
                });
            }
        }
    }
    targets.sort();
    Ok(targets)
}

/// `[[bench]]` and `[[test]]` entries with `harness = false`; cargo
/// metadata does not report the harness setting.
fn harnessless_targets(manifest: &Path) -> Result<BTreeSet<(TargetKindName, String)>, CliError> {
    let text = std::fs::read_to_string(manifest).map_err(|e| CliError::Manifest {
        path: manifest.to_path_buf(),
        source: Box::new(e),
    })?;
    let value: toml::Table = toml::from_str(&text).map_err(|e| CliError::Manifest {
        path: manifest.to_path_buf(),
        source: Box::new(e),
    })?;
    let mut found = BTreeSet::new();
    for (key, kind) in [
        ("bench", TargetKindName::Bench),
        ("test", TargetKindName::Test),
    ] {
        let Some(entries) = value.get(key).and_then(toml::Value::as_array) else {
            continue;
        };
        for entry in entries {
            let harness = entry.get("harness").and_then(toml::Value::as_bool);
            let name = entry.get("name").and_then(toml::Value::as_str);
            if let (Some(false), Some(name)) = (harness, name) {
                found.insert((kind, name.to_owned()));
            }
        }
    }
    Ok(found)
}

/// Reads the `perf` table of a package's or workspace's metadata.
fn parse_config(
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
