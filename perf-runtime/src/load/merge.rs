//! One result for several load runs: a sweep's levels, or a catalogue
//! test's steps, merged into the test's overall figures.

use std::collections::BTreeMap;

use perf_record::load::{Connections, EndpointStats, LoadStats, Transfer, error_rate_pct};

use crate::load::latency::merge_summaries;

/// One result for several runs: sums (bytes too, their rates over the
/// summed time), the union of the histograms, and the timelines one after
/// the other.
pub(crate) fn merge(runs: &[LoadStats]) -> LoadStats {
    let Some(first) = runs.first() else {
        unreachable!("a sweep has at least one level: the macro checks it")
    };
    let mut total = first.clone();
    if runs.len() == 1 {
        return total;
    }
    let duration_s: f64 = runs.iter().map(|r| r.duration_s).sum();
    let secs = duration_s.max(1e-9);
    total.duration_s = duration_s;
    total.iterations = runs.iter().map(|r| r.iterations).sum();
    total.requests = runs.iter().map(|r| r.requests).sum();
    total.latency = merge_summaries(runs.iter().map(|r| &r.latency));
    total.raw_latency = None;
    total.rps = total.latency.count as f64 / secs;
    total.transfer = Transfer::sum(runs.iter().map(|r| &r.transfer), duration_s);
    total.connections = Connections::sum(runs.iter().filter_map(|r| r.connections.as_ref()));
    let failed: u64 = runs.iter().map(LoadStats::failed).sum();
    total.error_rate_pct = error_rate_pct(failed, total.requests);
    let mut names: Vec<&str> = runs
        .iter()
        .flat_map(|r| r.endpoints.iter().map(|e| e.name.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    total.endpoints = names
        .into_iter()
        .map(|name| {
            let parts: Vec<&EndpointStats> = runs
                .iter()
                .filter_map(|r| r.endpoints.iter().find(|e| e.name == name))
                .collect();
            let latency = merge_summaries(parts.iter().map(|e| &e.latency));
            EndpointStats {
                name: name.to_owned(),
                rps: latency.count as f64 / secs,
                errors: parts.iter().map(|e| e.errors).sum(),
                latency,
                transfer: Transfer::sum(parts.iter().map(|e| &e.transfer), duration_s),
            }
        })
        .collect();
    total.errors = BTreeMap::new();
    total.status_codes = BTreeMap::new();
    total.timeline = Vec::new();
    total.warnings = Vec::new();
    let mut offset = 0u32;
    for run in runs {
        for (kind, errors) in &run.errors {
            let entry = total.errors.entry(*kind).or_default();
            entry.count += errors.count;
            for message in &errors.first_messages {
                if entry.first_messages.len() < 5 && !entry.first_messages.contains(message) {
                    entry.first_messages.push(message.clone());
                }
            }
        }
        for (code, count) in &run.status_codes {
            *total.status_codes.entry(*code).or_default() += count;
        }
        let len = u32::try_from(run.timeline.len()).unwrap_or(u32::MAX);
        total.timeline.extend(run.timeline.iter().map(|s| {
            let mut s = s.clone();
            s.t += offset;
            s
        }));
        offset = offset.saturating_add(len);
        for warning in &run.warnings {
            warning.clone().merge_into(&mut total.warnings);
        }
    }
    total.late_iterations = runs.iter().map(|r| r.late_iterations).sum();
    total.dropped_iterations = runs.iter().map(|r| r.dropped_iterations).sum();
    total.generator_cpu_s = runs.iter().map(|r| r.generator_cpu_s).sum();
    total.generator_cpu_pct = runs
        .iter()
        .map(|r| r.generator_cpu_pct * r.duration_s)
        .sum::<f64>()
        / secs;
    total
}

#[cfg(test)]
mod tests {
    use perf_record::load::LatencySummary;

    use super::*;

    /// A level that ran `duration_s` and moved `received` and `sent` bytes
    /// on the endpoint `name`.
    fn level(name: &str, duration_s: f64, received: u64, sent: u64) -> LoadStats {
        let transfer = Transfer::over(received, sent, duration_s);
        LoadStats {
            duration_s,
            requests: 4,
            transfer,
            endpoints: vec![EndpointStats {
                name: name.to_owned(),
                rps: 4.0 / duration_s,
                errors: 0,
                latency: LatencySummary::default(),
                transfer,
            }],
            ..LoadStats::default()
        }
    }

    #[test]
    fn levels_sum_their_bytes_and_rate_them_over_the_whole_sweep() {
        let total = merge(&[
            level("POST /upload", 2.0, 1_000, 64 << 10),
            level("POST /upload", 2.0, 1_000, 1 << 20),
            level("GET /health", 4.0, 400, 200),
        ]);
        assert_eq!(total.transfer.received_bytes, 2_400);
        assert_eq!(total.transfer.sent_bytes, (64 << 10) + (1 << 20) + 200);
        assert_eq!(total.transfer.received_per_s, 300.0);
        let upload = &total.endpoints[1];
        assert_eq!(upload.name, "POST /upload");
        assert_eq!(
            (upload.transfer.received_bytes, upload.transfer.sent_bytes),
            (2_000, (64 << 10) + (1 << 20))
        );
        assert_eq!(upload.transfer.received_per_s, 250.0);
        assert_eq!(total.endpoints[0].transfer.received_bytes, 400);
    }
}
