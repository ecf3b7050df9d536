//! The perf targets of the selected packages: `harness = false` benches
//! and tests of packages that depend on perf-runtime, benches of packages
//! that depend on criterion, and those their
//! `required-features` leave out.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cargo_metadata::{Package, PackageId, TargetKind};

use super::features::{enabled_features, missing_features};
use crate::cli::CargoOptions;
use crate::error::CliError;

/// The runtime crate whose users have perf targets.
pub const RUNTIME_CRATE: &str = "perf-runtime";
/// Criterion: its users' bench targets are measured unchanged (see
/// [`crate::criterion`]).
const CRITERION_CRATE: &str = "criterion";

/// Crates built on perf-runtime's harness that their users depend on
/// instead, under the name of the library they stand in for
/// (`divan = { package = "perf-divan-compat", ... }`).
const COMPAT_CRATES: [&str; 1] = ["perf-divan-compat"];

/// Whether the package's harness-less targets may be perf binaries: it
/// depends on perf-runtime or on a compat crate.
fn uses_the_harness(package: &Package) -> bool {
    package
        .dependencies
        .iter()
        .any(|d| d.name == RUNTIME_CRATE || COMPAT_CRATES.contains(&d.name.as_str()))
}

/// A `harness = false` target of a package that depends on perf-runtime
/// (or a compat crate; or a bench of one that depends on criterion).
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

/// The perf targets of the selected packages: `harness = false` bench and
/// test targets of packages that depend on perf-runtime, and bench targets
/// of packages that depend on criterion, whose
/// `required-features` the selected features turn on (cargo refuses to
/// build the others by name, as `cargo bench` skips them).
pub fn perf_targets(
    packages: &[&Package],
    options: &CargoOptions,
) -> Result<Vec<PerfTarget>, CliError> {
    let mut targets = Vec::new();
    for package in packages {
        let depends_on = |name: &str| package.dependencies.iter().any(|d| d.name == name);
        let runtime = uses_the_harness(package);
        if !runtime && !depends_on(CRITERION_CRATE) {
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
            } else if runtime && target.kind.contains(&TargetKind::Test) {
                // A package on criterion alone: only its benches are
                // criterion's; its harness-less tests are not run.
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

/// The harness-less targets of the selected packages that are left out
/// because of their `required-features`, each with the flag that would
/// build it: `demo's bench `catalog` (-F catalog)`.
pub fn feature_gated_targets(packages: &[&Package], options: &CargoOptions) -> Vec<String> {
    let mut gated = Vec::new();
    for package in packages {
        if !uses_the_harness(package) {
            continue;
        }
        let features = enabled_features(package, options);
        for target in &package.targets {
            let is_perf_kind =
                target.kind.contains(&TargetKind::Bench) || target.kind.contains(&TargetKind::Test);
            let missing = missing_features(package, target, &features);
            if is_perf_kind && !missing.is_empty() {
                gated.push(format!(
                    "{}'s {} `{}` (-F {})",
                    package.name,
                    if target.kind.contains(&TargetKind::Bench) {
                        "bench"
                    } else {
                        "test"
                    },
                    target.name,
                    missing.join(",")
                ));
            }
        }
    }
    gated
}
