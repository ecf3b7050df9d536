//! The server load tests run against: what to start, starting and stopping
//! it, sampling it, and where each load test sends its requests.

mod handle;
mod sampler;
mod spec;
mod target;
pub mod watchdog;

pub use handle::{ServerHandle, ServerManager, server_error};
pub use sampler::Sampler;
pub use spec::{Program, Ready, Restart, ServerSpec};
pub(crate) use target::{check_loopback, prepare_servers};
