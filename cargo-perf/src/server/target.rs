//! Where load tests send their requests: a server cargo perf builds and
//! starts from `[package.metadata.perf.server]`, or the user's own
//! `--target-url`, which must be on this machine unless allowed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cargo::{self, Program, ServerSpec, Workspace};
use crate::discover::DiscoveredTest;
use crate::error::CliError;
use crate::server::{PlannedServer, ServerManager};

/// Where load tests send their requests: the user's target, or for each
/// package with load tests among `selected`, the server built and started
/// from its `[package.metadata.perf.server]`. Packages that configure the
/// same server (inherited from `[workspace.metadata.perf.server]`) share
/// it.
pub(crate) fn prepare_servers(
    cargo_options: &crate::cli::CargoOptions,
    target_url: Option<String>,
    allow_remote: bool,
    workspace: &Workspace,
    configs: &BTreeMap<String, cargo::PerfConfig>,
    selected: &[DiscoveredTest],
    log: &Path,
) -> Result<ServerManager, CliError> {
    let load_tests: Vec<&DiscoveredTest> = selected
        .iter()
        .filter(|t| t.listed.kind == perf_record::TestKind::Load)
        .collect();
    if load_tests.is_empty() {
        return Ok(ServerManager::none());
    }
    let target = target_url.or_else(|| {
        std::env::var(perf_record::protocol::env::TARGET_URL)
            .ok()
            .filter(|u| !u.trim().is_empty())
    });
    if let Some(url) = target {
        check_loopback(&url, allow_remote)?;
        return Ok(ServerManager::fixed(url));
    }
    let mut planned: Vec<PlannedServer> = Vec::new();
    // Each planned server's configuration as written, to find a shared one.
    let mut configured: Vec<&ServerSpec> = Vec::new();
    let mut built = Vec::new();
    for test in load_tests {
        let package = &test.id.package;
        if planned.iter().any(|p| p.packages.contains(package)) {
            continue;
        }
        let Some(spec) = configs.get(package).and_then(|c| c.server.as_ref()) else {
            return Err(CliError::Server(format!(
                "{} is a load test, but no server is configured: add [package.metadata.perf.server] to {}'s \
                 Cargo.toml (`bin = \"NAME\"` or `command = [...]`, `args = [\"--port\", \"{{port}}\"]`, \
                 `ready = \"/health\"`), or pass --target-url http://127.0.0.1:PORT",
                test.id, package
            )));
        };
        if let Some(shared) = configured.iter().position(|c| *c == spec) {
            planned[shared].packages.push(package.clone());
            continue;
        }
        let (program, resolved, owner) = resolve(cargo_options, workspace, spec, package)?;
        if let Some(owner) = owner {
            let this = (program.clone(), owner, spec.manifest.clone());
            check_distinct(&built, &this)?;
            built.push(this);
        }
        configured.push(spec);
        planned.push(PlannedServer {
            spec: resolved,
            program,
            packages: vec![package.clone()],
        });
    }
    Ok(ServerManager::spawned(planned, log.to_path_buf()))
}

/// The program `spec` runs, built when it is a `bin` (of `package` itself
/// when it has one by that name, else of any member), the spec with a
/// `command`'s arguments first in `args`, and the package that owns the
/// `bin`.
fn resolve(
    cargo_options: &crate::cli::CargoOptions,
    workspace: &Workspace,
    spec: &ServerSpec,
    package: &str,
) -> Result<(PathBuf, ServerSpec, Option<String>), CliError> {
    match &spec.program {
        Program::Bin(name) => {
            let members = workspace.metadata.workspace_packages();
            let has_bin = |p: &&&cargo_metadata::Package| {
                p.targets
                    .iter()
                    .any(|t| t.is_kind(cargo_metadata::TargetKind::Bin) && t.name == *name)
            };
            let owner = members
                .iter()
                .filter(has_bin)
                .find(|p| p.name.as_str() == package)
                .or_else(|| members.iter().find(has_bin));
            let Some(owner) = owner else {
                let mut bins: Vec<String> = members
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
            Ok((
                cargo::build_bin(cargo_options, owner.name.as_str(), name)?,
                spec.clone(),
                Some(owner.name.to_string()),
            ))
        }
        Program::Command(command) => {
            let mut spec = spec.clone();
            let mut arguments: Vec<String> = command[1..].to_vec();
            arguments.extend(spec.args);
            spec.args = arguments;
            Ok((PathBuf::from(&command[0]), spec, None))
        }
    }
}

/// Two packages' `bin`s of one name are built to one path, the second
/// over the first: the first package's tests would load the other's
/// server. Refused, rather than measured wrong. `built` holds each built
/// server's path, owner and manifest.
fn check_distinct(
    built: &[(PathBuf, String, PathBuf)],
    (program, owner, manifest): &(PathBuf, String, PathBuf),
) -> Result<(), CliError> {
    match built.iter().find(|(p, o, _)| p == program && o != owner) {
        Some((_, _, other)) => Err(CliError::Server(format!(
            "the server binaries of {} and {} have one name, and cargo builds both to {}; rename one of them \
             (a [[bin]] `name` in its Cargo.toml)",
            other.display(),
            manifest.display(),
            program.display()
        ))),
        None => Ok(()),
    }
}

/// Refuses a target that is not on this machine unless the user opted in
/// (the rule the harness applies too: `TargetUrl::resolve`).
pub(crate) fn check_loopback(url: &str, allow_remote: bool) -> Result<(), CliError> {
    perf_record::target::TargetUrl::parse(url)
        .and_then(|target| target.resolve(allow_remote))
        .map(drop)
        .map_err(|e| CliError::Usage(format!("--target-url: {e}")))
}
