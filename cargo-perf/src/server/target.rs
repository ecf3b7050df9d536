//! Where load tests send their requests: a server cargo perf builds and
//! starts from `[package.metadata.perf.server]`, or the user's own
//! `--target-url`, which must be on this machine unless allowed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cargo;
use crate::cargo::Workspace;
use crate::discover::DiscoveredTest;
use crate::error::CliError;
use crate::server::{Program, ServerManager};

/// Where load tests send their requests: the user's target, or a server
/// built and started from `[package.metadata.perf.server]`.
pub(crate) fn prepare_servers(
    cargo_options: &crate::cli::CargoOptions,
    target_url: Option<String>,
    allow_remote: bool,
    workspace: &Workspace,
    configs: &BTreeMap<String, crate::cargo::PerfConfig>,
    selected: &[DiscoveredTest],
    log: &Path,
) -> Result<ServerManager, CliError> {
    let Some(first_load) = selected
        .iter()
        .find(|t| t.listed.kind == perf_record::TestKind::Load)
    else {
        return Ok(ServerManager::none());
    };
    let target = target_url.or_else(|| {
        std::env::var(perf_record::protocol::env::TARGET_URL)
            .ok()
            .filter(|u| !u.trim().is_empty())
    });
    if let Some(url) = target {
        check_loopback(&url, allow_remote)?;
        return Ok(ServerManager::fixed(url));
    }
    let Some(spec) = configs
        .get(&first_load.id.package)
        .and_then(|c| c.server.clone())
    else {
        return Err(CliError::Server(format!(
            "{} is a load test, but no server is configured: add [package.metadata.perf.server] to {}'s Cargo.toml \
             (`bin = \"NAME\"` or `command = [...]`, `args = [\"--port\", \"{{port}}\"]`, `ready = \"/health\"`), \
             or pass --target-url http://127.0.0.1:PORT",
            first_load.id, first_load.id.package
        )));
    };
    let (program, spec) = match &spec.program {
        Program::Bin(name) => {
            let owner = workspace
                .metadata
                .workspace_packages()
                .into_iter()
                .find(|p| {
                    p.targets
                        .iter()
                        .any(|t| t.is_kind(cargo_metadata::TargetKind::Bin) && t.name == *name)
                });
            let Some(owner) = owner else {
                let mut bins: Vec<String> = workspace
                    .metadata
                    .workspace_packages()
                    .iter()
                    .flat_map(|p| {
                        p.targets
                            .iter()
                            .filter(|t| t.is_kind(cargo_metadata::TargetKind::Bin))
                    })
                    .map(|t| t.name.clone())
                    .collect();
                bins.sort();
                return Err(CliError::Server(format!(
                    "the server binary `{name}` (bin in [package.metadata.perf.server] of {}) is not a binary of this \
                     workspace; its binaries are: {}",
                    spec.manifest.display(),
                    if bins.is_empty() {
                        "none".to_owned()
                    } else {
                        bins.join(", ")
                    }
                )));
            };
            (
                cargo::build_bin(cargo_options, owner.name.as_str(), name)?,
                spec.clone(),
            )
        }
        Program::Command(command) => {
            let mut spec = spec.clone();
            let mut arguments: Vec<String> = command[1..].to_vec();
            arguments.extend(spec.args);
            spec.args = arguments;
            (PathBuf::from(&command[0]), spec)
        }
    };
    Ok(ServerManager::spawned(spec, program, log.to_path_buf()))
}

/// Refuses a target that is not on this machine unless the user opted in
/// (the rule the harness applies too: `TargetUrl::resolve`).
pub(crate) fn check_loopback(url: &str, allow_remote: bool) -> Result<(), CliError> {
    perf_record::target::TargetUrl::parse(url)
        .and_then(|target| target.resolve(allow_remote))
        .map(drop)
        .map_err(|e| CliError::Usage(format!("--target-url: {e}")))
}
