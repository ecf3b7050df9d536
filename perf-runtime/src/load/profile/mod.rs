//! The workload of a load test: the options the macro writes, the named
//! presets, and the profile they resolve to.

mod options;
mod presets;
mod stages;

pub use options::LoadOptions;
pub use presets::{PRESETS, Preset};
pub use stages::{LoadProfile, Model, ProfileError, Stage};
