//! How a run's executables come to be: built by cargo (the default),
//! taken from an archive that `--archive-file` opened, or built and noted
//! for `cargo perf archive` to pack. Cargo's options carry it to every
//! place that builds: the perf targets, the servers, and the
//! `--compare-ref` base.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use super::manifest::{Revision, TargetKey};
use super::unpack::Archive;
use crate::error::CliError;

/// Where the executables of one build (the working tree's or the base's)
/// come from.
#[derive(Debug, Clone, Default)]
pub struct Link {
    source: Source,
    revision: Revision,
}

#[derive(Debug, Clone, Default)]
enum Source {
    /// Cargo builds them.
    #[default]
    Build,
    /// They are an archive's.
    Read(Arc<Archive>),
    /// Cargo builds them and each is noted here.
    Collect(Arc<Mutex<Vec<Built>>>),
}

/// An executable built for an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// The target it was built from.
    pub key: TargetKey,
    /// Where cargo put it.
    pub path: PathBuf,
}

impl Link {
    /// The executables come from `archive`.
    pub fn reading(archive: Archive) -> Self {
        Self {
            source: Source::Read(Arc::new(archive)),
            revision: Revision::Head,
        }
    }

    /// Cargo builds them and notes each, for an archive.
    pub fn collecting() -> Self {
        Self {
            source: Source::Collect(Arc::default()),
            revision: Revision::Head,
        }
    }

    /// The same source, for the `--compare-ref` base's build.
    #[must_use]
    pub fn for_base(&self) -> Self {
        Self {
            source: self.source.clone(),
            revision: Revision::Base,
        }
    }

    /// The archive the executables come from, if they come from one.
    pub fn archive(&self) -> Option<&Archive> {
        match &self.source {
            Source::Read(archive) => Some(archive),
            Source::Build | Source::Collect(_) => None,
        }
    }

    /// The key of a target of this build.
    pub fn key(&self, package: &str, kind: cargo_metadata::TargetKind, target: &str) -> TargetKey {
        TargetKey {
            revision: self.revision,
            package: package.to_owned(),
            kind,
            target: target.to_owned(),
        }
    }

    /// The archived executable of `key` when reading an archive (an error
    /// naming the target and the fix when the archive lacks it); `None`
    /// when cargo builds.
    pub fn archived(&self, key: &TargetKey) -> Option<Result<PathBuf, CliError>> {
        self.archive().map(|archive| archive.executable(key))
    }

    /// Notes that cargo built `key` at `path`, when collecting for an
    /// archive.
    pub fn note(&self, key: TargetKey, path: PathBuf) {
        if let Source::Collect(built) = &self.source {
            let mut built = built.lock().unwrap_or_else(PoisonError::into_inner);
            built.retain(|b| b.key != key);
            built.push(Built { key, path });
        }
    }

    /// What was built and noted, in the order of the keys.
    pub fn collected(&self) -> Vec<Built> {
        let mut built = match &self.source {
            Source::Collect(built) => built.lock().unwrap_or_else(PoisonError::into_inner).clone(),
            Source::Build | Source::Read(_) => Vec::new(),
        };
        built.sort_by(|a, b| a.key.cmp(&b.key));
        built
    }
}

#[cfg(test)]
mod tests {
    use cargo_metadata::TargetKind;

    use super::*;

    #[test]
    fn the_base_shares_the_notes_under_its_own_revision() {
        let head = Link::collecting();
        let base = head.for_base();
        head.note(head.key("demo", TargetKind::Bench, "perf"), "a/perf".into());
        base.note(base.key("demo", TargetKind::Bench, "perf"), "b/perf".into());
        // Noted again (a second build of the same target): the last wins.
        head.note(head.key("demo", TargetKind::Bin, "server"), "a/old".into());
        head.note(
            head.key("demo", TargetKind::Bin, "server"),
            "a/server".into(),
        );
        let built = base.collected();
        let paths: Vec<_> = built.iter().map(|b| b.path.to_str().unwrap()).collect();
        assert_eq!(paths, ["a/perf", "a/server", "b/perf"]);
        assert_eq!(built[2].key.revision, Revision::Base);
        // Building plainly notes nothing and reads nothing.
        let plain = Link::default();
        plain.note(plain.key("demo", TargetKind::Bench, "perf"), "x".into());
        assert!(plain.collected().is_empty());
        assert!(
            plain
                .archived(&plain.key("demo", TargetKind::Bench, "perf"))
                .is_none()
        );
    }
}
