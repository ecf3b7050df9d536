//! A document read, checked and turned into the bench file's text.

use std::path::Path;

use super::error::SpecError;
use super::render::Counts;
use super::{model, read, render, targets};

/// The load tests of one document.
#[derive(Debug)]
pub struct LoadTests {
    /// The bench file's text.
    pub source: String,
    /// What it holds.
    pub counts: Counts,
    /// The document's server, for the commented server section.
    pub server_url: Option<String>,
    /// A GET without required parameters that looks like a health check,
    /// for the server section's `ready`.
    pub ready: Option<String>,
}

/// The load tests of the document at `path`.
pub fn load_tests(path: &Path) -> Result<LoadTests, SpecError> {
    let root = read::read(path)?;
    let api = model::read(&root)?;
    let spec_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (source, counts) = render::render(&api, &spec_name);
    let ready = api
        .operations
        .iter()
        .find(|op| {
            op.method == model::Method::Get
                && op.parameters.iter().all(|p| !p.required)
                && targets::read(&op.path) == targets::read("/health")
        })
        .map(|op| format!("{}{}", api.base_path, op.path));
    Ok(LoadTests {
        source,
        counts,
        server_url: api.server_url,
        ready,
    })
}
