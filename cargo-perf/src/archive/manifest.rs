//! What an archive holds, as its first entry says: the build it was made
//! from (flags, profile, commits) and each executable with its digest.

use cargo_metadata::TargetKind;
use serde::{Deserialize, Serialize};

/// The manifest's format; a reader refuses others.
pub const FORMAT_VERSION: u32 = 1;

/// The name of the manifest, the archive's first entry.
pub const MANIFEST_NAME: &str = "cargo-perf-archive.json";

/// The description of an archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] of the cargo perf that wrote it.
    pub format_version: u32,
    /// The version of cargo perf that wrote it.
    pub cargo_perf_version: String,
    /// When it was written (UTC, RFC 3339).
    pub created_utc: String,
    /// The flags the executables were built with.
    pub build: BuildFlags,
    /// `rustc -vV`'s first line where it was built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rustc: Option<String>,
    /// The target triple the executables were built for (rustc's host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The commit of the working tree that was built, where it is a git
    /// repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_commit: Option<String>,
    /// Whether that working tree had uncommitted changes.
    #[serde(default)]
    pub head_dirty: bool,
    /// The `--compare-ref` revision built beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<BaseBuild>,
    /// The executables.
    pub executables: Vec<Executable>,
}

/// The cargo flags that decide what was built.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildFlags {
    /// `--package`, as given.
    #[serde(default)]
    pub packages: Vec<String>,
    /// `--workspace`.
    #[serde(default)]
    pub workspace: bool,
    /// `--exclude`, as given.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// `--features`, as given.
    #[serde(default)]
    pub features: Vec<String>,
    /// `--all-features`.
    #[serde(default)]
    pub all_features: bool,
    /// `--no-default-features`.
    #[serde(default)]
    pub no_default_features: bool,
    /// `--profile`, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

impl BuildFlags {
    /// The flags that change how a target is compiled (features and
    /// profile), as they would be written on the command line.
    pub fn compilation(&self) -> Vec<String> {
        let mut flags = Vec::new();
        for features in &self.features {
            flags.extend(["--features".to_owned(), features.clone()]);
        }
        if self.all_features {
            flags.push("--all-features".to_owned());
        }
        if self.no_default_features {
            flags.push("--no-default-features".to_owned());
        }
        if let Some(profile) = &self.profile {
            flags.extend(["--profile".to_owned(), profile.clone()]);
        }
        flags
    }

    /// The package selection, as it would be written on the command line.
    pub fn selection(&self) -> Vec<String> {
        let mut flags = Vec::new();
        for package in &self.packages {
            flags.extend(["--package".to_owned(), package.clone()]);
        }
        if self.workspace {
            flags.push("--workspace".to_owned());
        }
        for exclude in &self.exclude {
            flags.extend(["--exclude".to_owned(), exclude.clone()]);
        }
        flags
    }
}

/// The base revision of `--compare-ref` built into the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseBuild {
    /// The revision as given (`main`, `HEAD~1`).
    pub rev: String,
    /// The commit it named.
    pub commit: String,
}

/// Which build an executable belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Revision {
    /// The working tree.
    #[default]
    Head,
    /// The `--compare-ref` revision.
    Base,
}

impl Revision {
    /// As the archive's file names and messages say it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Head => "head",
            Self::Base => "base",
        }
    }
}

/// A cargo target of one build: what an executable is looked up by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TargetKey {
    /// The build.
    pub revision: Revision,
    /// The package's name.
    pub package: String,
    /// `bench` or `test` (a perf target), `bin` (a server).
    pub kind: TargetKind,
    /// The target's name.
    pub target: String,
}

impl std::fmt::Display for TargetKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}'s {} `{}`",
            self.package,
            kind_name(&self.kind),
            self.target
        )?;
        if self.revision == Revision::Base {
            f.write_str(" of the --compare-ref base")?;
        }
        Ok(())
    }
}

/// `bench`, `test`, `bin`: cargo's word for a kind.
fn kind_name(kind: &TargetKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}"))
}

/// One executable in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Executable {
    /// The target it was built from.
    #[serde(flatten)]
    pub key: TargetKey,
    /// Its entry in the archive: one plain file name.
    pub file: String,
    /// Its length in bytes.
    pub size: u64,
    /// The SHA-256 of its bytes, in lowercase hex.
    pub sha256: String,
}

impl Manifest {
    /// The executable built from `key`.
    pub fn find(&self, key: &TargetKey) -> Option<&Executable> {
        self.executables.iter().find(|e| e.key == *key)
    }

    /// The bytes of every executable together.
    pub fn total_size(&self) -> u64 {
        self.executables.iter().map(|e| e.size).sum()
    }

    /// Why this manifest cannot be read safely, if it cannot: another
    /// format, an entry name that is not one plain file name, a name or
    /// target twice, or more bytes than `limit`.
    pub fn check(&self, limit: u64) -> Result<(), String> {
        if self.format_version != FORMAT_VERSION {
            return Err(format!(
                "it has format {} (made by cargo perf {}); this cargo perf {} reads format {FORMAT_VERSION}: \
                 make the archive again with this version",
                self.format_version,
                self.cargo_perf_version,
                env!("CARGO_PKG_VERSION")
            ));
        }
        let mut names = std::collections::BTreeSet::new();
        let mut keys = std::collections::BTreeSet::new();
        for executable in &self.executables {
            if !is_plain_name(&executable.file) || executable.file == MANIFEST_NAME {
                return Err(format!(
                    "its entry `{}` is not a plain file name; refused",
                    executable.file
                ));
            }
            if !names.insert(executable.file.as_str()) {
                return Err(format!("it lists the entry `{}` twice", executable.file));
            }
            if !keys.insert(&executable.key) {
                return Err(format!("it lists {} twice", executable.key));
            }
            let hex = executable.sha256.len() == 64
                && executable.sha256.bytes().all(|b| b.is_ascii_hexdigit());
            if !hex {
                return Err(format!(
                    "the digest of `{}` is not a SHA-256",
                    executable.file
                ));
            }
        }
        let total = self
            .executables
            .iter()
            .try_fold(0u64, |sum, e| sum.checked_add(e.size));
        match total {
            Some(total) if total <= limit => Ok(()),
            _ => Err(format!(
                "its executables would take more than {} MiB; refused",
                limit / (1024 * 1024)
            )),
        }
    }
}

/// One path component that names a file in the folder it is unpacked in:
/// not empty, no separator, not `.` or `..`, not hidden.
pub(super) fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && name.len() <= 255
}

#[cfg(test)]
mod tests;
