//! One load test measured by several generators at once (split shards)
//! as one measurement: every histogram added, every count summed, the
//! timelines aligned on the wall clock.

use std::collections::BTreeMap;

use perf_record::load::{EndpointStats, LoadStats, Transfer, error_rate_pct};

use super::{latency, timeline};

/// Distinct messages kept per error kind, as the runtime keeps them.
const MESSAGES_KEPT: usize = 5;

/// Why parts of a load test cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LoadMergeError {
    /// A part counted requests but carries no histogram to add.
    #[error(
        "its {0} latency has no histogram (a record from an older cargo-perf): percentiles cannot be added"
    )]
    NoHistogram(String),
    /// A sweep's levels are not one load that adds up.
    #[error("it is a sweep (levels run one after another), whose shards do not add up")]
    Sweep,
}

/// The parts' load as one, as if one generator had sent it all.
pub(crate) fn concurrent(parts: &[&LoadStats]) -> Result<LoadStats, LoadMergeError> {
    let Some(first) = parts.first() else {
        return Ok(LoadStats::default());
    };
    if parts.iter().any(|p| p.sweep.is_some()) {
        return Err(LoadMergeError::Sweep);
    }
    let starts: Vec<Option<u64>> = parts.iter().map(|p| p.started_unix_ms).collect();
    let offsets = timeline::offsets(&starts);
    // Wall time from the first start to the last end.
    let duration_s = match starts.iter().copied().collect::<Option<Vec<u64>>>() {
        Some(starts) => {
            let begin = starts.iter().copied().min().unwrap_or(0) as f64 / 1000.0;
            parts
                .iter()
                .zip(&starts)
                .map(|(p, &s)| s as f64 / 1000.0 + p.duration_s - begin)
                .fold(0.0, f64::max)
        }
        None => parts.iter().map(|p| p.duration_s).fold(0.0, f64::max),
    };
    let secs = duration_s.max(1e-9);
    let add = |what: &str, summaries: Vec<&perf_record::load::LatencySummary>| {
        latency::add(summaries).ok_or_else(|| LoadMergeError::NoHistogram(what.to_owned()))
    };
    let mut total = (*first).clone();
    total.workload = workload(parts);
    total.duration_s = duration_s;
    total.started_unix_ms = starts.iter().copied().flatten().min();
    total.iterations = parts.iter().map(|p| p.iterations).sum();
    total.requests = parts.iter().map(|p| p.requests).sum();
    total.latency = add("overall", parts.iter().map(|p| &p.latency).collect())?;
    total.raw_latency = match parts
        .iter()
        .map(|p| p.raw_latency.as_ref())
        .collect::<Option<Vec<_>>>()
    {
        Some(raw) => Some(add("raw", raw)?),
        None => None,
    };
    total.rps = total.latency.count as f64 / secs;
    total.transfer = Transfer::sum(parts.iter().map(|p| &p.transfer), duration_s);
    total.connections =
        perf_record::load::Connections::sum(parts.iter().filter_map(|p| p.connections.as_ref()));
    let failed: u64 = parts.iter().map(|p| p.failed()).sum();
    total.error_rate_pct = error_rate_pct(failed, total.requests);
    let mut names: Vec<&str> = parts
        .iter()
        .flat_map(|p| p.endpoints.iter().map(|e| e.name.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    total.endpoints = names
        .into_iter()
        .map(|name| {
            let of: Vec<&EndpointStats> = parts
                .iter()
                .filter_map(|p| p.endpoints.iter().find(|e| e.name == name))
                .collect();
            let latency = add(name, of.iter().map(|e| &e.latency).collect())?;
            Ok(EndpointStats {
                name: name.to_owned(),
                rps: latency.count as f64 / secs,
                errors: of.iter().map(|e| e.errors).sum(),
                latency,
                transfer: Transfer::sum(of.iter().map(|e| &e.transfer), duration_s),
            })
        })
        .collect::<Result<_, _>>()?;
    total.errors = BTreeMap::new();
    total.status_codes = BTreeMap::new();
    total.warnings = Vec::new();
    for part in parts {
        for (kind, errors) in &part.errors {
            let entry = total.errors.entry(*kind).or_default();
            entry.count += errors.count;
            for message in &errors.first_messages {
                if entry.first_messages.len() < MESSAGES_KEPT
                    && !entry.first_messages.contains(message)
                {
                    entry.first_messages.push(message.clone());
                }
            }
        }
        for (code, count) in &part.status_codes {
            *total.status_codes.entry(*code).or_default() += count;
        }
        for warning in &part.warnings {
            warning.clone().merge_into(&mut total.warnings);
        }
    }
    let shifted: Vec<(u32, &[perf_record::load::Second])> = offsets
        .iter()
        .zip(parts)
        .map(|(offset, p)| (*offset, p.timeline.as_slice()))
        .collect();
    total.timeline = timeline::aligned(&shifted);
    total.late_iterations = parts.iter().map(|p| p.late_iterations).sum();
    total.dropped_iterations = parts.iter().map(|p| p.dropped_iterations).sum();
    total.generator_cpu_s = parts.iter().map(|p| p.generator_cpu_s).sum();
    // Each generator on its own machine: the busiest says whether one was
    // the bottleneck.
    total.generator_cpu_pct = parts
        .iter()
        .map(|p| p.generator_cpu_pct)
        .fold(0.0, f64::max);
    // Each part's figures describe a share of the load, not a repeat of
    // the whole: they say nothing of the noise between runs.
    total.processes = Vec::new();
    Ok(total)
}

/// The whole workload: where the parts ran the same stages, their
/// targets (users or arrival rate) summed; else the first part's.
fn workload(parts: &[&LoadStats]) -> perf_record::load::WorkloadSummary {
    let first = &parts[0].workload;
    let same_shape = parts.iter().all(|p| {
        p.workload.model == first.model
            && p.workload.stages.len() == first.stages.len()
            && p.workload
                .stages
                .iter()
                .zip(&first.stages)
                .all(|(a, b)| (a.0 - b.0).abs() < 1e-6)
    });
    let mut whole = first.clone();
    if same_shape {
        for (index, stage) in whole.stages.iter_mut().enumerate() {
            stage.1 = parts.iter().map(|p| p.workload.stages[index].1).sum();
        }
    }
    whole
}

#[cfg(test)]
mod tests {
    use perf_record::load::{ErrorKindStats, RequestErrorKind, WorkloadSummary};

    use super::*;

    /// A shard of an open-model test at `rate` iterations a second that
    /// started at `start_ms` and ran 2 s.
    fn part(rate: f64, start_ms: u64, requests: u64) -> LoadStats {
        LoadStats {
            workload: WorkloadSummary {
                model: "open".into(),
                stages: vec![(2.0, rate)],
                ..WorkloadSummary::default()
            },
            duration_s: 2.0,
            started_unix_ms: Some(start_ms),
            requests,
            iterations: requests,
            error_rate_pct: 10.0,
            transfer: Transfer::over(requests * 100, requests * 10, 2.0),
            errors: [(
                RequestErrorKind::Status,
                ErrorKindStats {
                    count: requests / 10,
                    first_messages: vec![format!("503 from {start_ms}")],
                },
            )]
            .into(),
            status_codes: [(200, requests - requests / 10), (503, requests / 10)].into(),
            generator_cpu_pct: rate / 10.0,
            ..LoadStats::default()
        }
    }

    #[test]
    fn shards_counts_bytes_and_rates_add_up_over_the_wall_clock() {
        let (a, b) = (part(100.0, 10_000, 200), part(50.0, 10_500, 100));
        let total = concurrent(&[&a, &b]).unwrap();
        // From the first start to the last end: 2.5 s.
        assert_eq!(total.duration_s, 2.5);
        assert_eq!(total.started_unix_ms, Some(10_000));
        assert_eq!((total.requests, total.iterations), (300, 300));
        assert_eq!(total.transfer.received_bytes, 30_000);
        assert_eq!(total.transfer.received_per_s, 12_000.0);
        assert!((total.error_rate_pct - 10.0).abs() < 1e-9);
        assert_eq!(total.status_codes[&200], 270);
        assert_eq!(total.status_codes[&503], 30);
        let status = &total.errors[&RequestErrorKind::Status];
        assert_eq!(status.count, 30);
        assert_eq!(status.first_messages, ["503 from 10000", "503 from 10500"]);
        // The whole arrival rate, and the busier generator.
        assert_eq!(total.workload.stages, [(2.0, 150.0)]);
        assert_eq!(total.generator_cpu_pct, 10.0);
        assert!(total.processes.is_empty());
        // A sweep's levels do not add up across shards.
        let mut sweep = part(1.0, 0, 1);
        sweep.sweep = Some(perf_record::load::SweepStats::of(
            perf_record::kinds::Kind::Stress,
            Vec::new(),
            std::collections::BTreeMap::new(),
            Vec::new(),
        ));
        assert_eq!(concurrent(&[&sweep, &sweep]), Err(LoadMergeError::Sweep));
    }
}
