//! `PREFIX_stats.csv` and `PREFIX_failures.csv`, as Locust writes them.
//!
//! `PREFIX_stats.csv` has, per load test, a row for the test (`Type`
//! empty, `Name` the test's id) and a row per endpoint (`Type` its HTTP
//! method, `Name` the test's id and the request's path or name, so that
//! two tests' endpoints stay apart), then Locust's `Aggregated` row over
//! every load test (percentiles from their histograms added; requests per
//! second over their summed durations). `Average Content Size` is the
//! bytes read per request, heads included.

use perf_record::TestRecord;
use perf_record::load::{EndpointStats, LatencySummary, LoadStats};

use super::percentiles::{self, COLUMNS};
use super::{ms, to_csv};
use crate::export::Source;

/// Locust's columns before the percentiles.
const STATS_COLUMNS: [&str; 11] = [
    "Type",
    "Name",
    "Request Count",
    "Failure Count",
    "Median Response Time",
    "Average Response Time",
    "Min Response Time",
    "Max Response Time",
    "Average Content Size",
    "Requests/s",
    "Failures/s",
];

/// The load tests of a run, with their figures.
fn load_tests<'a>(source: &Source<'a>) -> impl Iterator<Item = (&'a TestRecord, &'a LoadStats)> {
    source
        .record
        .tests
        .iter()
        .filter_map(|t| t.load.as_ref().map(|l| (t, l)))
}

/// What one row counts.
struct Counts<'a> {
    requests: u64,
    failures: u64,
    received_bytes: u64,
    duration_s: f64,
    latency: &'a LatencySummary,
}

fn row(
    kind: &str,
    name: String,
    counts: &Counts<'_>,
    hist: Option<&hdrhistogram::Histogram<u64>>,
) -> Vec<String> {
    let l = counts.latency;
    let per_s = |n: u64| format!("{:.3}", n as f64 / counts.duration_s.max(1e-9));
    let average_size = counts
        .received_bytes
        .checked_div(counts.requests)
        .unwrap_or(0);
    let latency = |us: f64| {
        if l.count == 0 { "0".to_owned() } else { ms(us) }
    };
    let median = match hist {
        Some(hist) if l.count > 0 => ms(hist.value_at_quantile(0.5) as f64),
        _ => latency(l.p50_us as f64),
    };
    let mut fields = vec![
        kind.to_owned(),
        name,
        counts.requests.to_string(),
        counts.failures.to_string(),
        median,
        latency(l.mean_us),
        latency(l.min_us as f64),
        latency(l.max_us as f64),
        average_size.to_string(),
        per_s(counts.requests),
        per_s(counts.failures),
    ];
    fields.extend(percentiles::fields(l, hist));
    fields
}

/// An endpoint's method (when its name starts with one) and the rest.
fn method_and_path(endpoint: &EndpointStats) -> (&str, &str) {
    const METHODS: [&str; 9] = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE",
    ];
    match endpoint.name.split_once(' ') {
        Some((method, path)) if METHODS.contains(&method) => (method, path),
        _ => ("", endpoint.name.as_str()),
    }
}

/// A load test's failures: every failed request and check, of every kind
/// (what `_failures.csv` lists), not only those counted on an endpoint (a
/// failed check or connection is on none).
fn failures(load: &LoadStats) -> u64 {
    load.errors.values().map(|e| e.count).sum()
}

/// A load test's own row.
fn test_row(name: String, load: &LoadStats) -> Vec<String> {
    let counts = Counts {
        requests: load.requests,
        failures: failures(load),
        received_bytes: load.transfer.received_bytes,
        duration_s: load.duration_s,
        latency: &load.latency,
    };
    let hist = percentiles::histogram(&load.latency);
    row("", name, &counts, hist.as_ref())
}

/// `PREFIX_stats.csv`.
pub(super) fn render_stats(source: &Source<'_>) -> String {
    let header: Vec<&str> = STATS_COLUMNS
        .iter()
        .copied()
        .chain(COLUMNS.iter().map(|(name, _)| *name))
        .collect();
    let mut rows = Vec::new();
    for (test, load) in load_tests(source) {
        let id = test.id.to_string();
        rows.push(test_row(id.clone(), load));
        for endpoint in &load.endpoints {
            let (method, path) = method_and_path(endpoint);
            let counts = Counts {
                requests: endpoint.latency.count,
                failures: endpoint.errors,
                received_bytes: endpoint.transfer.received_bytes,
                duration_s: load.duration_s,
                latency: &endpoint.latency,
            };
            let hist = percentiles::histogram(&endpoint.latency);
            rows.push(row(method, format!("{id} {path}"), &counts, hist.as_ref()));
        }
    }
    rows.push(aggregated(source));
    to_csv(&header, rows)
}

/// Locust's `Aggregated` row: every load test's requests together (one
/// load test's own figures when there is one).
fn aggregated(source: &Source<'_>) -> Vec<String> {
    let tests: Vec<&LoadStats> = load_tests(source).map(|(_, l)| l).collect();
    if let [load] = tests[..] {
        return test_row("Aggregated".to_owned(), load);
    }
    let hist = percentiles::merged(tests.iter().map(|l| &l.latency));
    let count: u64 = tests.iter().map(|l| l.latency.count).sum();
    let summary = match &hist {
        Some(h) if count > 0 => LatencySummary {
            count,
            min_us: h.min(),
            mean_us: h.mean(),
            max_us: h.max(),
            ..LatencySummary::default()
        },
        // Without every histogram only the count, extremes and mean are
        // exact; the percentiles read N/A.
        _ => LatencySummary {
            count,
            min_us: tests.iter().map(|l| l.latency.min_us).min().unwrap_or(0),
            mean_us: tests
                .iter()
                .map(|l| l.latency.mean_us * l.latency.count as f64)
                .sum::<f64>()
                / count.max(1) as f64,
            max_us: tests.iter().map(|l| l.latency.max_us).max().unwrap_or(0),
            ..LatencySummary::default()
        },
    };
    let counts = Counts {
        requests: tests.iter().map(|l| l.requests).sum(),
        failures: tests.iter().map(|l| failures(l)).sum(),
        received_bytes: tests.iter().map(|l| l.transfer.received_bytes).sum(),
        duration_s: tests.iter().map(|l| l.duration_s).sum(),
        latency: &summary,
    };
    let mut fields = row("", "Aggregated".to_owned(), &counts, hist.as_ref());
    if hist.is_none() && count > 0 {
        // The summary's zero percentiles are not measurements.
        for field in fields.iter_mut().skip(STATS_COLUMNS.len()) {
            *field = percentiles::NA.to_owned();
        }
        fields[4] = percentiles::NA.to_owned();
    }
    fields
}

/// `PREFIX_failures.csv`: a row per kind of error of each load test,
/// with its first message.
pub(super) fn render_failures(source: &Source<'_>) -> String {
    let header = ["Method", "Name", "Error", "Occurrences"];
    let rows = load_tests(source).flat_map(|(test, load)| {
        load.errors.iter().map(|(kind, errors)| {
            let error = match errors.first_messages.first() {
                Some(message) => format!("{kind}: {message}"),
                None => kind.to_string(),
            };
            vec![
                String::new(),
                test.id.to_string(),
                error,
                errors.count.to_string(),
            ]
        })
    });
    to_csv(&header, rows)
}

#[cfg(test)]
mod tests;
