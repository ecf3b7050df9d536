//! The servers load tests run against: what to start, starting and
//! stopping one, which package's server each load test needs, sampling it,
//! and where each load test sends its requests.

mod handle;
mod rotation;
mod sampler;
mod spec;
mod target;
pub mod watchdog;

pub use handle::{ServerHandle, server_error};
pub use rotation::{PlannedServer, ServerManager};
pub use sampler::Sampler;
pub use spec::{Program, Ready, Restart, ServerSpec};
pub(crate) use target::{check_loopback, prepare_servers};
