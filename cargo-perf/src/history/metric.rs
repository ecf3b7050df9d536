//! The metrics a history follows (described in `perf_record::metric`:
//! reader, scale, direction), and how steps are found on each scale.

use perf_record::metric::{Metric, Scale};

use super::trend::Detector;

/// Every metric a history follows: a benchmark's median time and its
/// instructions when counted; a load test's p95 and p99 latency,
/// throughput and error rate.
pub const FOLLOWED: [Metric; 6] = [
    Metric::MEDIAN,
    Metric::INSTRUCTIONS,
    Metric::P95,
    Metric::P99,
    Metric::THROUGHPUT,
    Metric::ERROR_RATE,
];

/// How steps are detected on a metric's scale.
pub fn detector(scale: Scale) -> Detector {
    match scale {
        Scale::Log => Detector::RATIO,
        Scale::Difference => Detector::DIFFERENCE,
    }
}
