//! The kinds of catalogue test: one [`Kind`] type, and one module per kind
//! (or family of kinds) with its options, defaults, figures and thresholds.
//! To add a kind: write its module with a `Spec`, add its variant in
//! `kind.rs` (and to `Kind::ALL`), its member of the family that runs it
//! in `family.rs`, and its arm of `Kind::spec()` in `catalog.rs`.

mod caching;
mod catalog;
mod family;
mod figure;
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
mod websocket;

pub use catalog::{by_key, by_threshold, figures};
pub use family::{CatalogKind, Family, SingleKind, SweepKind};
pub use figure::{Change, KindMetric, Unit};
pub use kind::Kind;
pub use options::KindOptions;
pub use soak::analyse as analyse_soak;
pub use spec::Spec;
pub use thresholds::check_thresholds;
