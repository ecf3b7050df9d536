//! `cargo perf archive`'s file: the perf binaries and servers of a build
//! (and of a `--compare-ref` base) packed once, with a manifest, so that
//! `cargo perf --archive-file F` runs them on a machine that has the
//! source but no build.

mod digest;
mod link;
mod manifest;
mod pack;
mod prune;
mod unpack;

pub use link::{Built, Link};
pub use manifest::{
    BaseBuild, BuildFlags, Executable, FORMAT_VERSION, MANIFEST_NAME, Manifest, Revision, TargetKey,
};
pub use pack::write;
pub use unpack::{Archive, MAX_UNPACKED};
