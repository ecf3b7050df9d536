//! The workspace as `cargo metadata` describes it: which packages the
//! user selected (as cargo would select them), their perf targets, and the
//! `[package.metadata.perf]` configuration.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, MetadataCommand, Package, PackageId};

use super::build::cargo_path;
use super::config::{PerfConfig, parse_config};
use crate::cli::CargoOptions;
use crate::error::CliError;

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
