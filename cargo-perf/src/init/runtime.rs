//! How the perf-runtime dependency is written. perf-runtime is not on
//! crates.io yet: a cargo-perf built from a checkout (`cargo install
//! --path cargo-perf`) points at that checkout's perf-runtime, which it
//! knows from where it was built; one built from a published package
//! asks for the published perf-runtime of its own version.

use std::path::{Path, PathBuf};

/// The dependency on perf-runtime that `cargo perf init` adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// `perf-runtime = { path = "..." }`: the checkout cargo-perf was
    /// built from.
    Path(PathBuf),
    /// `perf-runtime = "0.1"`: the release of cargo-perf's own version.
    Version(String),
}

impl RuntimeDependency {
    /// The checkout's perf-runtime when it is still where cargo-perf was
    /// built from, else cargo-perf's own version.
    pub fn locate() -> Self {
        let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../perf-runtime");
        match checkout
            .join("Cargo.toml")
            .is_file()
            .then(|| checkout.canonicalize())
        {
            Some(Ok(path)) => Self::Path(path),
            _ => Self::Version(Self::own_version()),
        }
    }

    /// `MAJOR.MINOR` of cargo-perf, which perf-runtime shares.
    fn own_version() -> String {
        let version = env!("CARGO_PKG_VERSION");
        let mut parts = version.split('.');
        match (parts.next(), parts.next()) {
            (Some(major), Some(minor)) => format!("{major}.{minor}"),
            _ => version.to_owned(),
        }
    }

    /// As Cargo.toml spells it after `perf-runtime = `.
    pub fn to_toml(&self) -> toml_edit::Item {
        match self {
            Self::Path(path) => {
                let mut table = toml_edit::InlineTable::new();
                table.insert("path", path.display().to_string().into());
                toml_edit::value(table)
            }
            Self::Version(version) => toml_edit::value(version.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_from_this_checkout_points_at_its_perf_runtime() {
        let RuntimeDependency::Path(path) = RuntimeDependency::locate() else {
            panic!("the checkout's perf-runtime exists while its tests run");
        };
        assert!(path.join("src/lib.rs").is_file(), "{}", path.display());
        assert_eq!(RuntimeDependency::own_version(), "0.1");
        let version = RuntimeDependency::Version("0.1".into()).to_toml();
        assert_eq!(version.to_string(), "\"0.1\"");
    }
}
