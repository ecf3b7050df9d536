//! `PREFIX_stats_history.csv`: each load test's per-second timeline in
//! the columns of Locust's history file, one row per second (Locust's
//! default: the aggregated row of the test, `Name` the test's id).
//!
//! What the timeline does not hold reads `N/A`, as Locust writes it:
//! `Timestamp` is the second since the test's start (the record keeps
//! when the run started, not each test); the 50%, 95% and 99% columns are
//! that second's own percentiles, the others `N/A`; the `Total` counts
//! are running sums; the `Total` latencies are `N/A` but on each test's
//! last second, where they are the whole test's.

use perf_record::load::LoadStats;

use super::percentiles::{COLUMNS, NA};
use super::{ms, to_csv};
use crate::export::Source;

/// `PREFIX_stats_history.csv`.
pub(super) fn render(source: &Source<'_>) -> String {
    let header: Vec<&str> = [
        "Timestamp",
        "User Count",
        "Type",
        "Name",
        "Requests/s",
        "Failures/s",
    ]
    .into_iter()
    .chain(COLUMNS.iter().map(|(name, _)| *name))
    .chain([
        "Total Request Count",
        "Total Failure Count",
        "Total Median Response Time",
        "Total Average Response Time",
        "Total Min Response Time",
        "Total Max Response Time",
        "Total Average Content Size",
    ])
    .collect();
    let rows = source
        .record
        .tests
        .iter()
        .filter_map(|t| t.load.as_ref().map(|l| (t.id.to_string(), l)))
        .flat_map(|(name, load)| rows(name, load));
    to_csv(&header, rows)
}

fn rows(name: String, load: &LoadStats) -> Vec<Vec<String>> {
    let (mut requests, mut failures) = (0u64, 0u64);
    let last = load.timeline.len().saturating_sub(1);
    load.timeline
        .iter()
        .enumerate()
        .map(|(i, second)| {
            requests += second.requests;
            failures += second.errors;
            let mut row = vec![
                second.t.to_string(),
                second.active.to_string(),
                String::new(),
                name.clone(),
                format!("{:.3}", second.requests as f64),
                format!("{:.3}", second.errors as f64),
            ];
            row.extend(COLUMNS.iter().map(|&(column, _)| {
                let us = match column {
                    "50%" => second.p50_us,
                    "95%" => second.p95_us,
                    "99%" => second.p99_us,
                    _ => return NA.to_owned(),
                };
                if second.requests == 0 {
                    NA.to_owned()
                } else {
                    ms(us as f64)
                }
            }));
            row.extend([requests.to_string(), failures.to_string()]);
            let l = &load.latency;
            if i == last && l.count > 0 {
                let size = load.transfer.received_bytes.checked_div(load.requests);
                row.extend([
                    ms(l.p50_us as f64),
                    ms(l.mean_us),
                    ms(l.min_us as f64),
                    ms(l.max_us as f64),
                    size.unwrap_or(0).to_string(),
                ]);
            } else {
                row.extend(std::iter::repeat_n(NA.to_owned(), 5));
            }
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn one_row_a_second_with_running_totals() {
        let record = sample::record();
        let text = render(&Source {
            record: &record,
            comparison: None,
            history: None,
        });
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header.len(), 6 + 11 + 7);
        assert_eq!(header[..4], ["Timestamp", "User Count", "Type", "Name"]);
        assert_eq!(header[23], "Total Average Content Size");
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let get = |row: usize, column: &str| {
            let at = header.iter().position(|h| h == column).unwrap();
            rows[row][at].to_owned()
        };
        assert_eq!(get(0, "Name"), "demo/load::browse_catalog");
        assert_eq!(get(1, "Timestamp"), "1");
        assert_eq!(get(1, "User Count"), "8");
        assert_eq!(get(1, "Requests/s"), "60.000");
        assert_eq!(get(1, "95%"), "96.000");
        assert_eq!(get(1, "66%"), NA);
        assert_eq!(get(1, "Total Request Count"), "100");
        assert_eq!(get(1, "Total Failure Count"), "3");
        assert_eq!(get(0, "Total Max Response Time"), NA);
        assert_eq!(get(1, "Total Average Content Size"), "1000");
    }
}
