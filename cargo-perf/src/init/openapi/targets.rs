//! The targets of the performance suites cargo perf grew from (the seeds:
//! pytest-benchmark's per-endpoint table, Locust's load-testing targets),
//! written beside each generated test as a commented threshold.

/// A commented threshold: what it is, and the `threshold(...)` to
/// uncomment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target {
    /// Which target of the seeds, in words.
    pub(crate) what: &'static str,
    /// The option, as `#[perf_test]` takes it.
    pub(crate) threshold: &'static str,
}

/// The path's last segments that name a health check.
const HEALTH: [&str; 8] = [
    "health",
    "healthz",
    "ping",
    "status",
    "ready",
    "readiness",
    "live",
    "liveness",
];

/// The target of a GET of `path` measured alone.
pub(crate) fn read(path: &str) -> Target {
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if HEALTH.contains(&last.to_ascii_lowercase().as_str()) {
        Target {
            what: "a health check: mean under 10 ms, 50 ms at worst",
            threshold: r#"threshold(mean = "10ms", max = "50ms")"#,
        }
    } else if path == "/" {
        Target {
            what: "a root endpoint: mean under 20 ms, 100 ms at worst",
            threshold: r#"threshold(mean = "20ms", max = "100ms")"#,
        }
    } else {
        Target {
            what: "a read (their list operations): mean under 200 ms, 1 s at worst",
            threshold: r#"threshold(mean = "200ms", max = "1s")"#,
        }
    }
}

/// The targets of the mix under load: latency and failures.
pub(crate) const LOAD: Target = Target {
    what: "under load, p95 under 500 ms, p99 under 1 s, at most 1% failed",
    threshold: r#"threshold(p95 = "500ms", p99 = "1s", error_rate = "1%")"#,
};

/// The throughput target: only reached with enough users for the think
/// time.
pub(crate) const THROUGHPUT: Target = Target {
    what: "at least 50 requests a second (100 their goal); needs users / think time to reach it",
    threshold: r#"threshold(rps = ">= 50")"#,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_health_check_gets_the_health_check_target() {
        assert_eq!(
            read("/health").threshold,
            r#"threshold(mean = "10ms", max = "50ms")"#
        );
        assert_eq!(read("/api/v1/Ping/").threshold, read("/health").threshold);
        assert_eq!(
            read("/").threshold,
            r#"threshold(mean = "20ms", max = "100ms")"#
        );
        assert_eq!(
            read("/items/{id}").threshold,
            r#"threshold(mean = "200ms", max = "1s")"#
        );
    }
}
