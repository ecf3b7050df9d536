//! The kinds of catalogue test: one [`Kind`] type, and one module per kind
//! (or family of kinds) with its options, defaults, figures and thresholds.
//! To add a kind: write its module with a `Spec`, add the variant and its
//! `spec()` arm in `kind.rs`.

mod caching;
mod figure;
mod kind;
mod n_plus_one;
mod options;
mod pool;
mod rate_limit;
mod response_time;
mod search;
mod soak;
mod spike;
mod sweep;
mod thresholds;
mod timeout;
mod websocket;

pub use figure::{Change, KindMetric, Unit, by_key, by_threshold, figures};
pub use kind::{Kind, Spec};
pub use options::KindOptions;
pub use thresholds::check_thresholds;
