//! What a run found, typed: a load test's [`Warning`]s (why its figures
//! may not mean what they say) and a kind's analysis [`Finding`]s. Each
//! has a stable code and carries the figures it is about; its words are
//! rendered by its `Display`, at the edge, and never parsed back.
//!
//! In JSON each is `{"code": …, …its figures, "message": …}`, so a
//! reader keeps the text and gains the code. A record written before they
//! had codes held plain strings: those load as a `Note` with the string.

mod analysis;
mod coded;
mod warning;

pub use analysis::{Finding, LeakRate};
pub use warning::{GENERATOR_SATURATED_PCT, LATE_ITERATIONS_PCT, OTHER_ENDPOINTS, Warning};
