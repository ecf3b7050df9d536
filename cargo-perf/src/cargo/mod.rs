//! Cargo's side of a run: the workspace and its `[package.metadata.perf]`,
//! the features a selection turns on, and building the perf targets.

mod build;
mod config;
mod features;
mod server_spec;
mod targets;
mod workspace;

pub use build::{PerfBinary, build, build_bin, cargo_path};
pub use config::PerfConfig;
pub use server_spec::{Program, Ready, Restart, ServerSpec};
pub use targets::{PerfTarget, RUNTIME_CRATE, TargetKindName, feature_gated_targets, perf_targets};
pub use workspace::Workspace;
