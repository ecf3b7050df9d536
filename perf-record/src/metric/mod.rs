//! The one vocabulary of what is measured: a [`Metric`] per metric (a
//! benchmark's median and instructions, a load test's latency
//! percentiles, throughput, error rate and transfer, and every kind's
//! figure), each described once by its [`MetricSpec`]: key, threshold
//! name, labels, unit, direction, change rule, history scale, where a
//! record keeps it, and how its values are written. Comparisons,
//! thresholds, drift, history and every report go through it; no other
//! module spells a metric's name.

mod base;
mod display;
mod handle;
mod read;
mod spec;

pub use handle::{Metric, threshold_name};
pub use read::Reading;
pub use spec::{Change, MetricSpec, Scale, Source, Unit};

#[cfg(test)]
mod tests;
