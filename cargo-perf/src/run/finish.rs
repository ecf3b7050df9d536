//! One function finishes a test's record, whatever schedule measured it:
//! the processes or rounds merged, the soak analysis, instruction counts
//! and the thresholds.

use perf_record::load::{
    ErrorKindStats, LatencySummary, LoadStats, ProcessFigures, ServerStats, Transfer,
    error_rate_pct,
};
use perf_record::{BenchStats, TestConfig, TestOutcome, TestRecord, TestResult};

use super::scheduler::Measured;
use crate::discover::DiscoveredTest;
use crate::verdict::thresholds::Thresholds;

/// The record of `test` from what its jobs measured on one side.
pub(crate) fn finish(
    test: &DiscoveredTest,
    measured: Measured,
    thresholds: &Thresholds<'_>,
) -> TestRecord {
    let Measured {
        results,
        failure,
        servers,
        instructions,
    } = measured;
    let mut record = match failure {
        Some(mut failure) => {
            failure.server = servers.last().cloned().flatten();
            failure
        }
        None => {
            let loads: Vec<LoadStats> =
                results.iter().filter_map(|(_, r)| r.load.clone()).collect();
            let mut record = merge(test, results.into_iter().map(|(_, r)| r).collect());
            record.server = server_of(&loads, &servers);
            if let Some(load) = aggregate_load(loads) {
                record.load = Some(load);
            }
            record
        }
    };
    perf_record::kinds::analyse_soak(&mut record);
    if record.stats.is_some() {
        record.instructions = instructions;
    }
    thresholds.apply(&mut record, test);
    record
}

/// The server over a test's processes, each process's samples over its
/// part of the timeline that [`aggregate_load`] lays end to end.
fn server_of(loads: &[LoadStats], servers: &[Option<ServerStats>]) -> Option<ServerStats> {
    let mut offset_s = 0.0;
    let mut parts = Vec::new();
    for (load, server) in loads.iter().zip(servers) {
        if let Some(stats) = server {
            parts.push(crate::merge::server::ServerPart {
                stats,
                offset_s,
                load_started_unix_ms: load.started_unix_ms,
                duration_s: load.duration_s,
            });
        }
        offset_s += crate::merge::timeline::length(&load.timeline) as f64;
    }
    crate::merge::server::combine(&parts)
}

/// One record from the processes that measured a test: the samples are
/// pooled, and each process's median is kept to show their spread.
fn merge(test: &DiscoveredTest, results: Vec<TestResult>) -> TestRecord {
    let processes = u32::try_from(results.len()).unwrap_or(u32::MAX);
    let mut samples = Vec::new();
    let mut process_medians = Vec::new();
    let mut stopped = Vec::new();
    let mut iterations = 0;
    let mut config = None;
    let mut resolution = 0.0_f64;
    let mut kind = test.listed.kind;
    let mut load = None;
    for result in results {
        load = load.or(result.load);
        if let Some(stats) = &result.stats {
            process_medians.push(stats.median_ns);
            iterations += stats.iterations;
            stopped.extend(stats.stopped);
        }
        samples.extend(result.samples_ns);
        resolution = resolution.max(result.timer_resolution_ns);
        kind = result.kind;
        let config = config.get_or_insert_with(|| TestConfig {
            warm_up_ns: 0,
            measurement_ns: 0,
            ..result.config.clone()
        });
        config.warm_up_ns += result.config.warm_up_ns;
        config.measurement_ns += result.config.measurement_ns;
    }
    let mut config = config.unwrap_or(TestConfig {
        warm_up_ns: 0,
        measurement_ns: 0,
        quick: false,
        processes: 0,
        regression_threshold_pct: None,
        load_overrides: None,
    });
    config.processes = processes;
    let first_batch = samples.len().max(1);
    let stats =
        BenchStats::from_samples(&samples, iterations / first_batch as u64).map(|mut stats| {
            stats.iterations = iterations;
            stats.stopped = perf_record::StopReason::combine(stopped);
            stats
        });
    TestRecord {
        id: test.id.clone(),
        kind,
        config,
        outcome: TestOutcome::Passed,
        stats,
        samples_ns: samples,
        process_medians_ns: process_medians,
        timer_resolution_ns: resolution,
        load,
        server: None,
        thresholds: Vec::new(),
        instructions: None,
    }
}

/// One load test's processes (or paired rounds) as one: requests, errors,
/// status codes, bytes and time summed, the timelines one after the other,
/// rps, the transfer rates and every percentile the median over the
/// processes (so that MiB/s over req/s stays the bytes of a request), and
/// each process's figures kept. The serialized histograms are added
/// exactly: they hold every request (a distribution, where the percentiles
/// beside them are the processes' median, which is what a comparison's
/// noise is measured on).
fn aggregate_load(
    rounds: Vec<perf_record::load::LoadStats>,
) -> Option<perf_record::load::LoadStats> {
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    let median_u64 = |pick: &dyn Fn(&perf_record::load::LoadStats) -> u64| {
        median(rounds.iter().map(|r| pick(r) as f64).collect()) as u64
    };
    // Bytes summed, rates the median, as requests and rps are.
    let transfer = |parts: &[&Transfer]| Transfer {
        received_bytes: parts.iter().map(|t| t.received_bytes).sum(),
        sent_bytes: parts.iter().map(|t| t.sent_bytes).sum(),
        received_per_s: median(parts.iter().map(|t| t.received_per_s).collect()),
        sent_per_s: median(parts.iter().map(|t| t.sent_per_s).collect()),
    };
    let first = rounds.first()?.clone();
    if rounds.len() == 1 {
        return Some(first);
    }
    let requests: u64 = rounds.iter().map(|r| r.requests).sum();
    let errors: u64 = rounds.iter().map(LoadStats::failed).sum();
    let mut load = first;
    load.requests = requests;
    load.iterations = rounds.iter().map(|r| r.iterations).sum();
    load.duration_s = rounds.iter().map(|r| r.duration_s).sum();
    load.error_rate_pct = error_rate_pct(errors, requests);
    load.rps = median(rounds.iter().map(|r| r.rps).collect());
    load.transfer = transfer(&rounds.iter().map(|r| &r.transfer).collect::<Vec<_>>());
    let latency = &mut load.latency;
    latency.count = rounds.iter().map(|r| r.latency.count).sum();
    latency.min_us = rounds.iter().map(|r| r.latency.min_us).min().unwrap_or(0);
    latency.max_us = rounds.iter().map(|r| r.latency.max_us).max().unwrap_or(0);
    latency.mean_us = median(rounds.iter().map(|r| r.latency.mean_us).collect());
    latency.p50_us = median_u64(&|r| r.latency.p50_us);
    latency.p90_us = median_u64(&|r| r.latency.p90_us);
    latency.p95_us = median_u64(&|r| r.latency.p95_us);
    latency.p99_us = median_u64(&|r| r.latency.p99_us);
    latency.p999_us = median_u64(&|r| r.latency.p999_us);
    latency.histogram = merged_histogram(rounds.iter().map(|r| &r.latency));
    if let Some(raw) = &mut load.raw_latency {
        raw.histogram = merged_histogram(rounds.iter().filter_map(|r| r.raw_latency.as_ref()));
    }
    load.late_iterations = rounds.iter().map(|r| r.late_iterations).sum();
    load.dropped_iterations = rounds.iter().map(|r| r.dropped_iterations).sum();
    load.generator_cpu_s = rounds.iter().map(|r| r.generator_cpu_s).sum();
    // One timeline, each process's seconds after the previous one's, each
    // marked with its process: the same code lays out every merge.
    load.timeline =
        crate::merge::timeline::end_to_end(rounds.iter().map(|r| r.timeline.as_slice()));
    load.processes = rounds
        .iter()
        .map(|r| ProcessFigures {
            p95_us: r.latency.p95_us,
            p99_us: r.latency.p99_us,
            rps: r.rps,
            duration_s: r.duration_s,
        })
        .collect();
    // Unique warnings of every process, and what the merge did.
    load.warnings = Vec::new();
    for warning in rounds.iter().flat_map(|r| &r.warnings) {
        warning.clone().merge_into(&mut load.warnings);
    }
    for (key, errors) in rounds.iter().skip(1).flat_map(|r| &r.errors) {
        let merged = load.errors.entry(*key).or_insert_with(|| ErrorKindStats {
            count: 0,
            ..errors.clone()
        });
        merged.count += errors.count;
    }
    // An endpoint's counts and bytes are summed; its rates and percentiles
    // are the median over the processes that reached it.
    for endpoint in &mut load.endpoints {
        let all: Vec<&perf_record::load::EndpointStats> = rounds
            .iter()
            .filter_map(|r| r.endpoints.iter().find(|e| e.name == endpoint.name))
            .collect();
        endpoint.errors = all.iter().map(|e| e.errors).sum();
        endpoint.rps = median(all.iter().map(|e| e.rps).collect());
        endpoint.transfer = transfer(&all.iter().map(|e| &e.transfer).collect::<Vec<_>>());
        let l = &mut endpoint.latency;
        l.count = all.iter().map(|e| e.latency.count).sum();
        l.min_us = all.iter().map(|e| e.latency.min_us).min().unwrap_or(0);
        l.max_us = all.iter().map(|e| e.latency.max_us).max().unwrap_or(0);
        l.mean_us = median(all.iter().map(|e| e.latency.mean_us).collect());
        l.p50_us = median(all.iter().map(|e| e.latency.p50_us as f64).collect()) as u64;
        l.p90_us = median(all.iter().map(|e| e.latency.p90_us as f64).collect()) as u64;
        l.p95_us = median(all.iter().map(|e| e.latency.p95_us as f64).collect()) as u64;
        l.p99_us = median(all.iter().map(|e| e.latency.p99_us as f64).collect()) as u64;
        l.p999_us = median(all.iter().map(|e| e.latency.p999_us as f64).collect()) as u64;
        l.histogram = merged_histogram(all.iter().map(|e| &e.latency));
    }
    for (status, count) in rounds.iter().skip(1).flat_map(|r| &r.status_codes) {
        *load.status_codes.entry(*status).or_default() += count;
    }
    Some(load)
}

/// The processes' histograms added into one that holds all their
/// requests; empty when one that counted requests has none readable.
fn merged_histogram<'a>(summaries: impl Iterator<Item = &'a LatencySummary>) -> String {
    let counted: Vec<&str> = summaries
        .filter(|s| s.count > 0)
        .map(|s| s.histogram.as_str())
        .collect();
    crate::histogram::merge(counted)
        .and_then(|h| crate::histogram::encode(&h))
        .unwrap_or_default()
}

/// Finishes every test that ran on each side: `measured[side][test]`, with
/// each side's tests and thresholds. A test none of whose jobs ran (one
/// left out of a re-run) has no record.
pub(crate) fn finish_all(
    measured: Vec<Vec<Measured>>,
    sides: &[(&[DiscoveredTest], &Thresholds<'_>)],
) -> Vec<Vec<Option<TestRecord>>> {
    measured
        .into_iter()
        .zip(sides)
        .map(|(side, (tests, thresholds))| {
            side.into_iter()
                .zip(tests.iter())
                .map(|(measured, test)| {
                    let ran = !measured.results.is_empty() || measured.failure.is_some();
                    ran.then(|| finish(test, measured, thresholds))
                })
                .collect()
        })
        .collect()
}

/// The calibration benchmark of every process of `side` that timed it
/// (see [`perf_record::calibration`]), in the order the tests ran.
pub(crate) fn calibration(
    measured: &[Vec<Measured>],
    side: usize,
) -> Option<perf_record::calibration::Calibration> {
    perf_record::calibration::Calibration::of(
        measured
            .get(side)?
            .iter()
            .flat_map(|test| test.results.iter().filter_map(|(_, r)| r.calibration_ns)),
    )
}

#[cfg(test)]
mod tests {
    use perf_record::load::{EndpointStats, LatencySummary};

    use super::*;

    /// A process that ran `duration_s` and moved `received` and `sent`
    /// bytes, all on one endpoint.
    fn process(duration_s: f64, received: u64, sent: u64) -> LoadStats {
        let transfer = Transfer::over(received, sent, duration_s);
        LoadStats {
            duration_s,
            requests: 10,
            rps: 10.0 / duration_s,
            transfer,
            endpoints: vec![EndpointStats {
                name: "POST /echo".to_owned(),
                rps: 10.0 / duration_s,
                errors: 0,
                latency: LatencySummary::default(),
                transfer,
                protocol: None,
            }],
            ..LoadStats::default()
        }
    }

    #[test]
    fn processes_sum_their_bytes_and_take_the_median_rate_as_rps_does() {
        let load = aggregate_load(vec![
            process(1.0, 8 << 20, 1 << 20),
            process(2.0, 0, 0),
            process(1.0, 3 << 20, 1 << 20),
        ])
        .expect("three processes");
        assert_eq!(load.transfer.received_bytes, 11 << 20);
        assert_eq!(load.transfer.sent_bytes, 2 << 20);
        // The middle process's rates (3 MiB/s of 0, 3 and 8), as its
        // 10 req/s is the middle of 5, 10 and 10: not the 2.75 MiB/s of
        // the bytes over the four seconds.
        assert_eq!(load.rps, 10.0);
        assert_eq!(load.transfer.received_per_s, 3.0 * 1_048_576.0);
        assert_eq!(load.transfer.sent_per_s, 1_048_576.0);
        assert_eq!(load.endpoints[0].transfer, load.transfer);
    }

    #[test]
    fn the_processes_histograms_are_added_into_one_of_every_request() {
        let summary = |values: std::ops::RangeInclusive<u64>| {
            let mut h = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
            for v in values {
                h.record(v).unwrap();
            }
            LatencySummary {
                count: h.len(),
                histogram: crate::histogram::encode(&h).unwrap(),
                ..LatencySummary::default()
            }
        };
        let with = |latency: LatencySummary| {
            let mut p = process(1.0, 0, 0);
            p.endpoints[0].latency = latency.clone();
            p.latency = latency;
            p
        };
        let load = aggregate_load(vec![with(summary(1..=100)), with(summary(1001..=1100))])
            .expect("two processes");
        for latency in [&load.latency, &load.endpoints[0].latency] {
            let merged = crate::histogram::decode(&latency.histogram).unwrap();
            assert_eq!((merged.len(), latency.count), (200, 200));
            assert_eq!((merged.min(), merged.max()), (1, 1100));
        }
    }

    #[test]
    fn every_process_s_timeline_and_server_is_kept_each_over_its_own_time() {
        let timed = |start_ms: u64| {
            let mut p = process(2.0, 0, 0);
            p.started_unix_ms = Some(start_ms);
            p.timeline = (0..2)
                .map(|t| perf_record::load::Second {
                    t,
                    requests: 5,
                    active: 8,
                    ..Default::default()
                })
                .collect();
            p
        };
        let server = |start_ms: u64, cpu: f64| ServerStats {
            samples: (1..=8)
                .map(|i| (f64::from(i) * 0.25, cpu, 1 << 20))
                .collect(),
            started_unix_ms: Some(start_ms),
            ..ServerStats::default()
        };
        let loads = vec![timed(1_000), timed(9_000), timed(20_000)];
        let servers = vec![
            Some(server(900, 10.0)),
            Some(server(8_900, 20.0)),
            Some(server(19_900, 30.0)),
        ];
        let merged = server_of(&loads, &servers).expect("three servers");
        assert_eq!(merged.parts.len(), 3);
        assert_eq!(merged.cpu_pct_mean, 20.0);
        // The third process's server lies over seconds 4 to 6.
        assert!(
            merged
                .samples
                .iter()
                .filter(|s| s.1 == 30.0)
                .all(|s| (4.0..=6.0).contains(&s.0)),
            "{:?}",
            merged.samples
        );
        let load = aggregate_load(loads).expect("three processes");
        let shape: Vec<(u32, u32, u64)> = load
            .timeline
            .iter()
            .map(|s| (s.t, s.part, s.active))
            .collect();
        assert_eq!(
            shape,
            [
                (0, 0, 8),
                (1, 0, 8),
                (2, 1, 8),
                (3, 1, 8),
                (4, 2, 8),
                (5, 2, 8)
            ]
        );
        assert_eq!(load.processes[2].duration_s, 2.0);
    }
}
