//! What a load test measured: latency from HDR histograms, throughput,
//! bytes transferred, errors, status codes, a per-second time series, and
//! the generator's own health.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Warning};

mod connections;
mod error_kind;
mod failures;

pub use connections::Connections;
pub use error_kind::RequestErrorKind;
pub use failures::{error_rate_pct, failed_of};

/// Latency percentiles of a set of requests, in microseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    /// Requests recorded.
    pub count: u64,
    /// Fastest.
    pub min_us: u64,
    /// Mean.
    pub mean_us: f64,
    /// Median.
    pub p50_us: u64,
    /// 90th percentile.
    pub p90_us: u64,
    /// 95th percentile.
    pub p95_us: u64,
    /// 99th percentile.
    pub p99_us: u64,
    /// 99.9th percentile.
    pub p999_us: u64,
    /// Slowest.
    pub max_us: u64,
    /// The HDR histogram itself (V2 + deflate, base64), from which any
    /// percentile can be recomputed and runs can be merged.
    pub histogram: String,
}

/// One named request (`/items/{id}`) or an unnamed path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointStats {
    /// The request's name (its method and path unless named).
    pub name: String,
    /// Requests per second over the test.
    pub rps: f64,
    /// Failed requests (any error kind).
    pub errors: u64,
    /// Latency of its requests.
    pub latency: LatencySummary,
    /// Bytes its requests and responses carried (absent from records made
    /// before it was measured: zero).
    #[serde(default)]
    pub transfer: Transfer,
}

/// The bytes that crossed the wire, both ways, and their rates: HTTP as
/// written and read on the connection, heads and bodies, a chunked or
/// compressed body as sent (framing included, not decoded); not TCP/IP's
/// own headers, nor WebSocket frames.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    /// Bytes of responses read: heads (interim 1xx heads too) and bodies.
    pub received_bytes: u64,
    /// Bytes of requests written: heads and bodies.
    pub sent_bytes: u64,
    /// `received_bytes` per second of the test.
    pub received_per_s: f64,
    /// `sent_bytes` per second of the test.
    pub sent_per_s: f64,
}

impl Transfer {
    /// `received` and `sent` bytes over `duration_s` seconds.
    pub fn over(received_bytes: u64, sent_bytes: u64, duration_s: f64) -> Self {
        let secs = duration_s.max(1e-9);
        Self {
            received_bytes,
            sent_bytes,
            received_per_s: received_bytes as f64 / secs,
            sent_per_s: sent_bytes as f64 / secs,
        }
    }

    /// Several runs' transfers as one: the bytes summed, and the rates
    /// over their summed `duration_s` (as requests per second are).
    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Self>, duration_s: f64) -> Self {
        let (received, sent) = parts.into_iter().fold((0u64, 0u64), |(r, s), part| {
            (
                r.saturating_add(part.received_bytes),
                s.saturating_add(part.sent_bytes),
            )
        });
        Self::over(received, sent, duration_s)
    }
}

/// The errors of one kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorKindStats {
    /// How many.
    pub count: u64,
    /// The first few distinct messages.
    pub first_messages: Vec<String>,
}

/// One second of the test.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Second {
    /// Seconds since the start.
    pub t: u32,
    /// Requests completed in this second.
    pub requests: u64,
    /// Of which failed.
    pub errors: u64,
    /// Median latency, µs.
    pub p50_us: u64,
    /// 95th percentile, µs.
    pub p95_us: u64,
    /// 99th percentile, µs.
    pub p99_us: u64,
    /// Virtual users running (closed model) or iterations in flight (open).
    pub active: u64,
    /// The second's latency histogram (V2 + deflate, base64; two
    /// significant digits), so that seconds of several shards add up
    /// exactly; empty in records made before it was kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub histogram: String,
    /// Which part of the test this second belongs to, from 0: a test
    /// measured in several processes lays their timelines end to end, and
    /// a chart marks where one ends and the next begins rather than
    /// drawing a line across the gap.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub part: u32,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

/// The workload that ran, as resolved from the test's options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkloadSummary {
    /// `closed` (virtual users) or `open` (arrival rate).
    pub model: String,
    /// The preset it came from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// `(seconds, target)` per stage: users (closed) or iterations per
    /// second (open), after `--duration-scale`.
    pub stages: Vec<(f64, f64)>,
    /// Think time between iterations, `[min, max]` in milliseconds.
    pub think_ms: [f64; 2],
    /// Cap on iterations in flight (open model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_in_flight: Option<u64>,
}

/// Everything one load test measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadStats {
    /// The workload.
    pub workload: WorkloadSummary,
    /// Wall time of the test, seconds.
    pub duration_s: f64,
    /// Iterations of the user function completed.
    pub iterations: u64,
    /// Requests sent.
    pub requests: u64,
    /// Requests per second.
    pub rps: f64,
    /// Bytes sent and received, and their rates (absent from records made
    /// before they were measured: zero).
    #[serde(default)]
    pub transfer: Transfer,
    /// Failed requests and failed checks over requests, in percent.
    pub error_rate_pct: f64,
    /// Connections opened, TLS handshakes, and their setup time (absent
    /// from records made before they were counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections: Option<Connections>,
    /// Latency of every request. Under the open model it is measured
    /// from each iteration's scheduled start, so a stalled server shows up
    /// (no coordinated omission).
    pub latency: LatencySummary,
    /// Under the open model: latency from the actual send, for comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_latency: Option<LatencySummary>,
    /// Per named request.
    pub endpoints: Vec<EndpointStats>,
    /// Errors by kind: `check`, `connect`, `io`, `panic`, `status`,
    /// `timeout`, `tls`, `user`.
    pub errors: BTreeMap<RequestErrorKind, ErrorKindStats>,
    /// Responses by status code.
    pub status_codes: BTreeMap<u16, u64>,
    /// One entry per second.
    pub timeline: Vec<Second>,
    /// Wall-clock time of the timeline's second 0, milliseconds since the
    /// Unix epoch: shards of one load test align their seconds on it.
    /// Absent from records made before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_unix_ms: Option<u64>,
    /// Open model: iterations that started late because the cap on
    /// iterations in flight was reached.
    pub late_iterations: u64,
    /// Open model: iterations not started at all before the end.
    pub dropped_iterations: u64,
    /// CPU time the generator used (user + system), seconds.
    pub generator_cpu_s: f64,
    /// Generator CPU as a share of its threads' capacity, percent.
    pub generator_cpu_pct: f64,
    /// Why the result may be unreliable (a saturated generator, iterations
    /// behind schedule), each with its code and words.
    pub warnings: Vec<Warning>,
    /// A sweep test (stress, scalability, volume, pagination): each level
    /// and what the analysis found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepStats>,
    /// Each process's figures, when the test ran in several (a plain run's
    /// processes, or a paired comparison's rounds on one side): their
    /// spread is the noise between runs that a comparison with a saved
    /// baseline measures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub processes: Vec<ProcessFigures>,
}

/// One level of a sweep: a short load run at one number of users, one
/// payload size or one page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LevelStats {
    /// The level: users (stress, scalability), bytes (volume) or page
    /// (pagination).
    pub level: u64,
    /// Virtual users at this level.
    pub users: u32,
    /// Requests sent.
    pub requests: u64,
    /// Answered requests per second.
    pub rps: f64,
    /// Failed requests and checks, percent.
    pub error_rate_pct: f64,
    /// Mean latency, µs.
    pub mean_us: f64,
    /// Median latency, µs.
    pub p50_us: u64,
    /// 95th percentile, µs.
    pub p95_us: u64,
    /// 99th percentile, µs.
    pub p99_us: u64,
    /// The level's name, where it has one: a spike's `before`, `spike` or
    /// `after +1.50s` (a window of the recovery, from the spike's end); a
    /// rate-limit test's `below` or `above`; a caching test's `cold` or
    /// `warm`; a search test's query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// N+1: the server-side queries per request at this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_request: Option<f64>,
    /// Stress: the thresholds this level missed, as written (empty: it
    /// held).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missed: Vec<String>,
}

/// One process's headline figures of a load test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessFigures {
    /// p95 latency, µs.
    pub p95_us: u64,
    /// p99 latency, µs.
    pub p99_us: u64,
    /// Requests per second.
    pub rps: f64,
    /// How long it ran, seconds (absent from records made before it was
    /// kept: zero): where its part of the test's timeline ends.
    #[serde(default)]
    pub duration_s: f64,
}

/// What a sweep measured and concluded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepStats {
    /// The kind of test (recorded by name: `"rate_limit"`).
    pub kind: crate::kinds::Kind,
    /// What the level counts: `users`, `bytes`, `page`, `items`, `query`,
    /// or `phase` (spike: each level is a phase, or a window of the
    /// recovery; rate limit, caching and timeout: a step).
    pub parameter: String,
    /// The levels that ran, in order (a stress sweep stops at the first
    /// level that breaks a threshold).
    pub levels: Vec<LevelStats>,
    /// The kind's figures: `breaking_point` (stress: the highest level that
    /// met every threshold, 0 when none did), `efficiency_pct` and
    /// `peak_rps` (scalability), `growth` (volume, pagination: the exponent
    /// k of latency ~ level^k over the upper half of the sweep);
    /// `recovery_us`, `baseline_p95_us` and `spike_p95_us` (spike: from the
    /// spike's end to the start of the first window whose p95 is back within
    /// the tolerance of the pre-spike p95, and stays back).
    pub metrics: BTreeMap<String, f64>,
    /// The other kinds' figures are listed in
    /// `perf_record::kinds::figures()`.
    /// What the analysis concluded, each with its code and words.
    pub findings: Vec<Finding>,
    /// The kind's figures it could not measure, by key, each with why
    /// (caching: a speedup from too few requests for an interval). They are absent from `metrics`; a threshold on one is
    /// missed and says why.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unmeasured: BTreeMap<String, String>,
}

impl SweepStats {
    /// A kind's result: its levels, figures and findings; what a level
    /// counts comes from the kind.
    pub fn of(
        kind: impl Into<crate::kinds::Kind>,
        levels: Vec<LevelStats>,
        metrics: BTreeMap<String, f64>,
        findings: Vec<Finding>,
    ) -> Self {
        let kind = kind.into();
        Self {
            kind,
            parameter: kind.parameter().to_owned(),
            levels,
            metrics,
            findings,
            unmeasured: BTreeMap::new(),
        }
    }
}

/// The server process, sampled from /proc while a test ran.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerStats {
    /// Mean CPU use, percent of one core.
    pub cpu_pct_mean: f64,
    /// Highest CPU use over a sampling interval.
    pub cpu_pct_max: f64,
    /// Resident memory at the start, bytes.
    pub rss_start_bytes: u64,
    /// Resident memory at the end, bytes.
    pub rss_end_bytes: u64,
    /// Highest resident memory seen, bytes.
    pub rss_peak_bytes: u64,
    /// `(seconds, cpu %, rss bytes)` samples, seconds on the test's
    /// timeline where the test ran in several parts.
    pub samples: Vec<(f64, f64, u64)>,
    /// Wall-clock time of the sampling's second 0, milliseconds since the
    /// Unix epoch (absent from records made before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_unix_ms: Option<u64>,
    /// Each part's own figures and samples, over its own time, where the
    /// test ran in several processes or shards (each saw its own server,
    /// or its own share of one): the figures above are over all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ServerStats>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfers_sum_their_bytes_and_rate_them_over_the_summed_time() {
        let a = Transfer::over(3_000, 100, 1.0);
        let b = Transfer::over(1_000, 300, 3.0);
        assert_eq!((a.received_per_s, a.sent_per_s), (3_000.0, 100.0));
        let total = Transfer::sum([&a, &b], 4.0);
        assert_eq!((total.received_bytes, total.sent_bytes), (4_000, 400));
        assert_eq!((total.received_per_s, total.sent_per_s), (1_000.0, 100.0));
        assert_eq!(Transfer::sum([], 0.0), Transfer::default());
    }

    #[test]
    fn a_record_from_before_findings_had_codes_still_loads() {
        // As schema 2 wrote them: warnings and findings in words, errors
        // keyed by kind.
        let old = r#"{"workload":{"model":"closed","stages":[[1.0,2.0]],"think_ms":[0.0,0.0]},
            "duration_s":1.0,"iterations":3,"requests":3,"rps":3.0,"error_rate_pct":66.7,
            "latency":{"count":1,"min_us":1,"mean_us":1.0,"p50_us":1,"p90_us":1,"p95_us":1,
                       "p99_us":1,"p999_us":1,"max_us":1,"histogram":""},
            "endpoints":[],"errors":{"connect":{"count":1,"first_messages":["refused"]},
                                     "panic":{"count":1,"first_messages":["boom"]}},
            "status_codes":{"200":1},"timeline":[],"late_iterations":0,"dropped_iterations":0,
            "generator_cpu_s":0.1,"generator_cpu_pct":5.0,
            "warnings":["2 of 3 requests failed: the latency and throughput figures describe only the answered ones"],
            "sweep":{"kind":"soak","parameter":"users","levels":[],"metrics":{},
                     "findings":["LEAK: the server's memory keeps growing, 3.5 MiB an hour at this rate"]}}"#;
        let stats: LoadStats = serde_json::from_str(old).unwrap();
        assert_eq!(
            stats.errors.keys().copied().collect::<Vec<_>>(),
            [RequestErrorKind::Connect, RequestErrorKind::Panic]
        );
        // Connections were not counted then.
        assert_eq!(stats.connections, None);
        assert_eq!(stats.warnings[0].code(), "note");
        assert_eq!(
            stats.warnings[0].to_string(),
            "2 of 3 requests failed: the latency and throughput figures describe only the answered ones"
        );
        let sweep = stats.sweep.as_ref().unwrap();
        assert_eq!(
            sweep.findings,
            [Finding::note(
                "note",
                "LEAK: the server's memory keeps growing, 3.5 MiB an hour at this rate"
            )]
        );
        // Written again, each keeps its words and gains a code.
        let again = serde_json::to_string(&stats).unwrap();
        assert!(!again.contains("connections"), "{again}");
        assert!(
            again.contains(
                r#""errors":{"connect":{"count":1,"first_messages":["refused"]},"panic""#
            ),
            "{again}"
        );
        assert!(
            again.contains(r#""warnings":[{"code":"note","message":"2 of 3 requests failed"#),
            "{again}"
        );
        assert_eq!(serde_json::from_str::<LoadStats>(&again).unwrap(), stats);
    }

    #[test]
    fn figures_saved_before_transfer_was_measured_still_load() {
        let endpoint = EndpointStats {
            name: "GET /".into(),
            rps: 10.0,
            errors: 0,
            latency: LatencySummary::default(),
            transfer: Transfer::over(2_048, 512, 2.0),
        };
        let mut stats = LoadStats {
            requests: 20,
            transfer: Transfer::over(2_048, 512, 2.0),
            endpoints: vec![endpoint],
            ..LoadStats::default()
        };
        let text = serde_json::to_string(&stats).unwrap();
        assert!(
            text.contains(r#""transfer":{"received_bytes":2048,"sent_bytes":512,"received_per_s":1024.0,"sent_per_s":256.0}"#),
            "{text}"
        );
        let old = text.replace(
            r#","transfer":{"received_bytes":2048,"sent_bytes":512,"received_per_s":1024.0,"sent_per_s":256.0}"#,
            "",
        );
        assert!(!old.contains("transfer"), "{old}");
        let loaded: LoadStats = serde_json::from_str(&old).unwrap();
        stats.transfer = Transfer::default();
        stats.endpoints[0].transfer = Transfer::default();
        assert_eq!(loaded, stats);
    }

    #[test]
    fn records_from_before_shards_could_be_merged_still_load() {
        // As an earlier cargo-perf wrote them: no per-second histogram or
        // part, no wall-clock start, no server parts.
        let second: Second = serde_json::from_str(
            r#"{"t":0,"requests":5,"errors":0,"p50_us":1,"p95_us":2,"p99_us":3,"active":4}"#,
        )
        .unwrap();
        assert_eq!((second.histogram.as_str(), second.part), ("", 0));
        let again = serde_json::to_string(&second).unwrap();
        assert!(
            !again.contains("histogram") && !again.contains("part"),
            "{again}"
        );
        let server: ServerStats = serde_json::from_str(
            r#"{"cpu_pct_mean":1.0,"cpu_pct_max":2.0,"rss_start_bytes":1,"rss_end_bytes":2,"rss_peak_bytes":3,"samples":[[0.25,1.0,1]]}"#,
        )
        .unwrap();
        assert_eq!((server.started_unix_ms, server.parts.len()), (None, 0));
        let stats = LoadStats::default();
        let text = serde_json::to_string(&stats).unwrap();
        assert!(!text.contains("started_unix_ms"), "{text}");
        assert_eq!(
            serde_json::from_str::<LoadStats>(&text)
                .unwrap()
                .started_unix_ms,
            None
        );
    }
}
