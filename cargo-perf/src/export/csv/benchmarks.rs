//! `PREFIX_benchmarks.csv`: a row per micro-benchmark, its statistics in
//! nanoseconds per iteration (Locust has no micro-benchmarks: see the
//! module above).

use perf_record::TestOutcome;

use super::to_csv;
use crate::export::Source;

/// The columns.
const HEADER: [&str; 15] = [
    "Name",
    "Status",
    "Median (ns)",
    "Median CI Low (ns)",
    "Median CI High (ns)",
    "Mean (ns)",
    "Std Dev (ns)",
    "Min (ns)",
    "Max (ns)",
    "Q1 (ns)",
    "Q3 (ns)",
    "Rounds",
    "Iterations per Round",
    "Instructions per Iteration",
    "Failure",
];

/// `PREFIX_benchmarks.csv`.
pub(super) fn render(source: &Source<'_>) -> String {
    let rows = source
        .record
        .tests
        .iter()
        .filter(|t| t.kind == perf_record::TestKind::Bench)
        .map(|test| {
            let (status, failure) = match &test.outcome {
                TestOutcome::Passed => ("passed", String::new()),
                TestOutcome::Failed { message } => ("failed", message.clone()),
            };
            let mut row = vec![test.id.to_string(), status.to_owned()];
            match &test.stats {
                Some(s) => {
                    row.extend(
                        [
                            s.median_ns,
                            s.median_ci_low_ns,
                            s.median_ci_high_ns,
                            s.mean_ns,
                            s.stddev_ns,
                            s.min_ns,
                            s.max_ns,
                            s.q1_ns,
                            s.q3_ns,
                        ]
                        .map(|ns| format!("{ns:.3}")),
                    );
                    row.extend([s.rounds.to_string(), s.iterations_per_round.to_string()]);
                }
                None => row.extend(std::iter::repeat_n(String::new(), 11)),
            }
            row.push(
                test.instructions
                    .as_ref()
                    .map_or_else(String::new, |c| format!("{:.1}", c.per_iteration)),
            );
            row.push(failure);
            row
        });
    to_csv(&HEADER, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn a_row_per_benchmark_with_quoting_where_needed() {
        let record = sample::record();
        let text = render(&Source {
            record: &record,
            comparison: None,
            history: None,
        });
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap(), HEADER.as_slice());
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let names: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
        let odd = format!("demo/perf::{}", sample::ODD_NAME);
        assert_eq!(
            names,
            [
                "demo/perf::checksum_64k",
                odd.as_str(),
                "demo/perf::explodes"
            ]
        );
        assert_eq!(&rows[0][2], "3900.000");
        assert_eq!(&rows[0][13], "52000.0");
        assert_eq!(&rows[2][1], "failed");
        assert_eq!(&rows[2][2], "");
        // The message, line break and quotes included, comes back whole.
        assert_eq!(&rows[2][14], sample::PANIC);
    }
}
