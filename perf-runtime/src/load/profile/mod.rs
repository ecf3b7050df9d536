//! The workload of a load test: the options the macro writes, the named
//! presets, and the profile they resolve to.

mod options;
mod overrides;
mod presets;
mod stages;

pub use options::LoadOptions;
pub use overrides::apply_to_kind;
pub use presets::{PRESETS, Preset};
pub use stages::{LoadProfile, Model, ProfileError, Stage};
