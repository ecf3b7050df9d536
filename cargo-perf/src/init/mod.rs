//! `cargo perf init`: perf tests added to a package — a bench target, the
//! perf-runtime dev-dependency and a first test file, either a commented
//! example or load tests written from an OpenAPI document.

mod example;
mod manifest;
pub mod openapi;
mod runtime;

pub use example::EXAMPLE;
pub use manifest::{Change, ManifestEdit, ManifestError, ServerStub};
pub use runtime::RuntimeDependency;
