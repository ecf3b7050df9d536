//! The kinds of catalogue test: one [`Kind`] type, and one module per kind
//! (or family of kinds) with its options, defaults, figures and thresholds.
//!
//! To add a kind:
//! 1. write its module here: its `Spec` (name, options, example, figures,
//!    default thresholds), its options struct with the [`ThinkTime`] it
//!    runs with, and the `check` that reads them (declare it with `mod`
//!    and re-export its options type below);
//! 2. add its one line to the list in `registry.rs`: its variant, its
//!    name, and its module's `Spec`, `check` and options type. `Kind`,
//!    `Kind::ALL`, `Kind::spec`, `Kind::check`, [`KindOptions`] and the
//!    macro's emitting of them follow from that line;
//! 3. in perf-runtime, write its runner (a `CatalogueKind` in
//!    `load/kinds/catalog/`, or its own `KindRun`) and add its one line to
//!    `load/kinds/runner.rs`; a new options struct also gets its line in
//!    perf-macros' `emit_structs!` (the compiler asks for both).
//!
//! Thresholds, comparisons and reports read a kind through its `Spec`; the
//! few report sections drawn for one kind (a soak's memory, a spike's
//! recovery) draw any other kind's levels as they are.

mod caching;
mod catalog;
mod kind;
mod n_plus_one;
mod options;
mod pool;
mod rate_limit;
mod registry;
mod response_time;
mod search;
mod soak;
mod spec;
mod spike;
mod sweep;
mod thresholds;
mod timeout;
mod value;
mod websocket;

pub use caching::{CachingOptions, WARM_SPEEDUP_INTERVAL};
pub use catalog::{by_threshold, figures};
pub use kind::{Kind, KindOptions};
pub use n_plus_one::{NPlusOneOptions, QueryCounter};
pub use options::ThinkTime;
pub use pool::PoolOptions;
pub use rate_limit::RateLimitOptions;
pub use response_time::ResponseTimeOptions;
pub use search::SearchOptions;
pub use soak::SoakOptions;
pub use soak::analyse as analyse_soak;
pub use spec::Spec;
pub use spike::SpikeOptions;
pub use sweep::{LevelSteps, UserSteps};
pub use thresholds::check_thresholds;
pub use timeout::TimeoutOptions;
pub use value::{List, Text, Think};
pub use websocket::WebSocketOptions;
