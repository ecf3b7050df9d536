//! divan's API on cargo perf's harness.
//!
//! A package whose benchmarks use [divan](https://docs.rs/divan) changes
//! one line of its `Cargo.toml`, and no bench file:
//!
//! ```toml
//! [dev-dependencies]
//! divan = { package = "perf-divan-compat", version = "0.1" }
//! ```
//!
//! (`cargo add --dev --rename divan perf-divan-compat`). Each
//! `#[divan::bench]` then registers with perf-runtime's harness, so that
//! `cargo perf`, `--save-baseline`, `--compare` and `--compare-ref`
//! measure and gate it with cargo perf's statistics, and `cargo test` runs
//! it once as a smoke test. Every argument, type and constant of a bench is
//! a test of its own, named as divan's tree shows it:
//! `fibonacci::slow/10`, `push/<String>`, `copy/<u8>/64`.
//!
//! ```no_run
//! # extern crate perf_divan_compat as divan;
//! use divan::{Bencher, black_box};
//!
//! #[divan::bench(args = [10, 20])]
//! fn fibonacci(n: u64) -> u64 {
//!     if n <= 1 { n } else { fibonacci(n - 1) + fibonacci(n - 2) }
//! }
//!
//! #[divan::bench(types = [Vec<u64>, std::collections::VecDeque<u64>])]
//! fn extend<T: Default + Extend<u64>>(bencher: Bencher) {
//!     bencher.bench_local(|| {
//!         let mut collection = T::default();
//!         collection.extend(black_box(0..100));
//!         collection
//!     });
//! }
//!
//! fn main() {
//!     divan::main();
//! }
//! ```
//!
//! What divan offers and cargo perf does not honour (`threads`,
//! `sample_count`, `sample_size`, `skip_ext_time`, a counter's throughput)
//! is said in one line per benchmark when cargo perf runs it; the book's
//! "divan benchmarks" page maps every feature.

mod arg;
mod bencher;
#[cfg(doctest)]
mod book;
pub mod counter;
mod entry;
mod options;
#[cfg(test)]
mod tests;

// The attributes name the crate `::divan`, as its users rename it.
#[cfg(test)]
extern crate self as divan;

pub use bencher::{Bencher, BencherConfig};
pub use perf_divan_compat_macros::{bench, bench_group};
pub use std::hint::black_box;

/// Runs the benchmarks of this binary: measured under `cargo perf` and
/// `cargo bench`, once each under `cargo test`. divan's `main` returns
/// nothing, so a failed run ends the process here with libtest's exit
/// status (101).
pub fn main() {
    Divan::default().main();
}

/// Drops `value` where the optimizer cannot see that it is unused.
pub fn black_box_drop<T>(value: T) {
    drop(black_box(value));
}

/// divan's runner. Its settings come from cargo perf (or the libtest
/// command line), not from this builder.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Divan {}

impl Divan {
    /// The runner, configured by the command line as libtest reads it.
    pub fn from_args() -> Self {
        Self::default()
    }

    /// Runs the benchmarks; see [`main`].
    pub fn main(self) {
        self.run_benches();
    }

    /// Runs the benchmarks; see [`main`].
    pub fn run_benches(self) {
        let code = perf_runtime::__private::run_main_with(entry::benches());
        if code != std::process::ExitCode::SUCCESS {
            // divan's `main` cannot return the status; libtest's for a
            // failed test is 101.
            std::process::exit(101);
        }
    }
}

/// What the attributes expand to. Not public API: it changes with the
/// macros, which are pinned to the same version.
#[doc(hidden)]
pub mod __private {
    pub use crate::arg::{ArgName, ByDebug, ByDisplay, FromArg};
    pub use crate::counter::IntoCounter;
    pub use crate::entry::{BenchEntry, GroupEntry, Variants};
    pub use crate::options::{BenchOptions, IntoDuration};
    pub use inventory;
}
