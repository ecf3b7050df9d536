#![doc = include_str!("../README.md")]

mod bench;
#[cfg(doctest)]
mod book;
mod harness;
pub mod load;
mod outcome;
mod registry;
mod watchdog;

pub use bench::Bencher;
pub use harness::{DEFAULT_MEASUREMENT, DEFAULT_WARM_UP, QUICK_MEASUREMENT, QUICK_WARM_UP};
pub use hyper::Method;
#[cfg(feature = "websocket")]
pub use load::WebSocket;
pub use load::{Error, RequestBuilder, RequestErrorKind, Response, Result, User};
pub use perf_macros::perf_test;

/// Defines the perf binary's `main`. Put it once at the end of a
/// `harness = false` bench or test target.
#[macro_export]
macro_rules! main {
    () => {
        fn main() -> ::std::process::ExitCode {
            $crate::__private::run_main()
        }
    };
}

/// What `#[perf_test]` expands to. Not public API: it changes with the
/// macro, which is pinned to the same version.
#[doc(hidden)]
pub mod __private {
    pub use crate::harness::{run_main, run_main_with};
    pub use crate::load::profile::LoadOptions;
    pub use perf_record::kinds;

    /// Picks a task index by weight with the user's own random sequence.
    pub fn pick_task(user: &mut crate::User, weights: &[u32]) -> usize {
        user.pick(weights)
    }
    pub use crate::registry::{DynamicBench, PerfTestEntry, TestFn};
    pub use inventory;

    /// Runs an async perf test on a tokio runtime built for it, before any
    /// timing starts.
    pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
        match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime.block_on(future),
            // Building a current-thread runtime fails only when the OS
            // refuses the timer or I/O driver; the test cannot run then.
            Err(error) => {
                panic!("failed to build a tokio runtime for the async perf test: {error}")
            }
        }
    }
}
