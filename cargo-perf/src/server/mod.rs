//! The servers load tests run against (as `[package.metadata.perf.server]`
//! configures them: [`crate::cargo::ServerSpec`]): starting and stopping one, which package's server each load test needs, sampling it,
//! and where each load test sends its requests.

mod family;
mod handle;
mod log;
mod ready;
mod rotation;
mod sampler;
mod target;
mod tls;
pub mod watchdog;

pub use handle::{ServerHandle, server_error};
pub use rotation::{PlannedServer, ServerManager};
pub use sampler::Sampler;
pub(crate) use target::{check_loopback, prepare_servers};
pub use tls::Trust;
