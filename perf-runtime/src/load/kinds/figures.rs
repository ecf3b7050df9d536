//! What every step-by-step kind reads from a step: its level's figures,
//! the think time it ran with, and shares in percent.

use perf_record::kinds::Think;
use perf_record::load::{LevelStats, LoadStats};

/// A test's think time, `[min, max]` in milliseconds after
/// `--duration-scale`, for its workload summary.
pub(crate) fn think_ms(think_ns: Think, scale: f64) -> [f64; 2] {
    let ms = |ns: u64| ns as f64 / 1e6 * scale;
    think_ns.map_or([0.0, 0.0], |(low, high)| [ms(low), ms(high)])
}

/// One step's figures as a level of the kind's result.
pub(crate) fn level_stats(
    level: u64,
    users: u32,
    stats: &LoadStats,
    missed: Vec<String>,
) -> LevelStats {
    LevelStats {
        level,
        users,
        requests: stats.requests,
        rps: stats.rps,
        error_rate_pct: stats.error_rate_pct,
        mean_us: stats.latency.mean_us,
        p50_us: stats.latency.p50_us,
        p95_us: stats.latency.p95_us,
        p99_us: stats.latency.p99_us,
        phase: None,
        per_request: None,
        missed,
    }
}

/// `part` in percent of `whole` (0 when there is none).
pub(crate) fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64 * 100.0
    }
}
