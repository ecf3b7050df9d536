//! Cargo's own flags (package and feature selection, profile, target
//! directory, manifest options), forwarded to cargo as the user wrote them,
//! and `--archive-file`, which replaces the build.

use std::path::PathBuf;

use clap::Args;

/// Cargo's own flags, forwarded to cargo as the user wrote them.
#[derive(Debug, Clone, Default, Args)]
pub struct CargoOptions {
    /// Path to Cargo.toml.
    #[arg(
        long,
        value_name = "PATH",
        global = true,
        help_heading = "Package selection"
    )]
    pub manifest_path: Option<PathBuf>,

    /// Package(s) to run the perf tests of.
    #[arg(
        short,
        long = "package",
        value_name = "SPEC",
        global = true,
        help_heading = "Package selection"
    )]
    pub packages: Vec<String>,

    /// All packages in the workspace.
    #[arg(long, global = true, help_heading = "Package selection")]
    pub workspace: bool,

    /// Exclude packages from --workspace.
    #[arg(
        long,
        value_name = "SPEC",
        requires = "workspace",
        global = true,
        help_heading = "Package selection"
    )]
    pub exclude: Vec<String>,

    /// Space or comma separated list of features to activate.
    #[arg(
        short = 'F',
        long,
        value_name = "FEATURES",
        global = true,
        help_heading = "Feature selection"
    )]
    pub features: Vec<String>,

    /// Activate all available features.
    #[arg(long, global = true, help_heading = "Feature selection")]
    pub all_features: bool,

    /// Do not activate the `default` feature.
    #[arg(long, global = true, help_heading = "Feature selection")]
    pub no_default_features: bool,

    /// Build with this profile [default: bench].
    #[arg(
        long,
        value_name = "NAME",
        global = true,
        help_heading = "Compilation options"
    )]
    pub profile: Option<String>,

    /// Directory for all generated artifacts.
    #[arg(
        long,
        value_name = "DIR",
        global = true,
        help_heading = "Compilation options"
    )]
    pub target_dir: Option<PathBuf>,

    /// Run the perf binaries and servers of this archive (made by `cargo
    /// perf archive`) instead of building them; the checkout is still
    /// needed, its build is not.
    #[arg(long, value_name = "PATH", help_heading = "Compilation options")]
    pub archive_file: Option<PathBuf>,
    /// Where the executables come from: cargo, or the opened archive.
    #[arg(skip)]
    pub archive: crate::archive::Link,

    /// Require Cargo.lock to be up to date.
    #[arg(long, global = true, help_heading = "Manifest options")]
    pub locked: bool,

    /// Run without accessing the network.
    #[arg(long, global = true, help_heading = "Manifest options")]
    pub offline: bool,

    /// Require Cargo.lock and cache to be up to date.
    #[arg(long, global = true, help_heading = "Manifest options")]
    pub frozen: bool,
}

impl CargoOptions {
    /// The flags as cargo takes them, in the user's spelling.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(path) = &self.manifest_path {
            args.push("--manifest-path".to_owned());
            args.push(path.display().to_string());
        }
        for package in &self.packages {
            args.extend(["--package".to_owned(), package.clone()]);
        }
        if self.workspace {
            args.push("--workspace".to_owned());
        }
        for exclude in &self.exclude {
            args.extend(["--exclude".to_owned(), exclude.clone()]);
        }
        for features in &self.features {
            args.extend(["--features".to_owned(), features.clone()]);
        }
        if self.all_features {
            args.push("--all-features".to_owned());
        }
        if self.no_default_features {
            args.push("--no-default-features".to_owned());
        }
        if let Some(profile) = &self.profile {
            args.extend(["--profile".to_owned(), profile.clone()]);
        }
        if let Some(dir) = &self.target_dir {
            args.push("--target-dir".to_owned());
            args.push(dir.display().to_string());
        }
        args.extend(self.manifest_flags());
        args
    }

    /// `--locked`, `--offline`, `--frozen`: the flags every cargo command
    /// takes, `cargo metadata` included.
    pub fn manifest_flags(&self) -> Vec<String> {
        [
            (self.locked, "--locked"),
            (self.offline, "--offline"),
            (self.frozen, "--frozen"),
        ]
        .into_iter()
        .filter(|(set, _)| *set)
        .map(|(_, flag)| flag.to_owned())
        .collect()
    }

    /// The profile the tests are built with.
    pub fn profile_name(&self) -> &str {
        self.profile.as_deref().unwrap_or("bench")
    }
}
