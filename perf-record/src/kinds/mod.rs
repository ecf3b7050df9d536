//! The kinds of catalogue test: one [`Kind`] type, and one module per kind
//! (or family of kinds) with its options, defaults, figures and thresholds.
//! To add a kind: write its module with a `Spec`, its options struct and
//! the `check` that reads them; add its variant in `kind.rs` (and to
//! `Kind::ALL`), its member of the family that runs it in `family.rs`, its
//! options' variant of that family in `options.rs`, and its arms of
//! `Kind::spec()` and `Kind::check()` in `catalog.rs`. The compiler then
//! names what is left: the macro's emitting of the options (perf-macros'
//! `kind.rs`) and the family's runner in perf-runtime.

mod caching;
mod catalog;
mod family;
mod kind;
mod n_plus_one;
mod options;
mod pool;
mod rate_limit;
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

pub use caching::CachingOptions;
pub use catalog::{by_threshold, figures};
pub use family::{CatalogKind, Family, SingleKind, SweepKind};
pub use kind::Kind;
pub use n_plus_one::{NPlusOneOptions, QueryCounter};
pub use options::{CatalogOptions, KindOptions, SingleOptions, SweepOptions};
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
