//! `cargo perf init --openapi SPEC`: load tests written from an OpenAPI
//! 3.0/3.1 document.

mod encode;
mod error;
mod example;
mod load_tests;
mod model;
mod names;
mod read;
mod refs;
mod render;
mod targets;

pub use error::SpecError;
pub use load_tests::{LoadTests, load_tests};
pub use read::MAX_BYTES;
pub use render::Counts;

#[cfg(test)]
mod tests;
