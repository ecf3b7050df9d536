//! The end of a run that reached its report: the report printed (human
//! or JSON), the errors named, and the run at the gate for the exit code
//! (the JSON summary line is printed by `main`, after every ending).

use perf_record::RunRecord;
use perf_record::record::SCHEMA_VERSION;

use crate::report::{self, JsonMessage};
use crate::verdict::compare::Comparison;
use crate::verdict::gate;

/// Prints the reports and says what the run found.
pub(crate) fn finish(
    record: &RunRecord,
    comparison: Option<&Comparison>,
    saved: Option<&std::path::Path>,
    latest: &std::path::Path,
    written: &[std::path::PathBuf],
    advice: &[crate::export::Finding],
    json: bool,
) -> gate::Summary {
    let summary = gate::Summary::of(&gate::of(record, comparison));
    if json {
        JsonMessage::RunFinished {
            schema_version: SCHEMA_VERSION,
            path: latest.display().to_string(),
            record,
        }
        .print();
        if let Some(comparison) = comparison {
            JsonMessage::Comparison {
                schema_version: SCHEMA_VERSION,
                comparison,
            }
            .print();
        }
        if let Some(path) = saved {
            JsonMessage::BaselineSaved {
                schema_version: SCHEMA_VERSION,
                path: path.display().to_string(),
            }
            .print();
        }
        if !advice.is_empty() {
            JsonMessage::Findings {
                schema_version: SCHEMA_VERSION,
                findings: advice
                    .iter()
                    .map(|f| report::FindingMessage {
                        severity: f.severity.label(),
                        test: f.test.as_ref(),
                        text: &f.text,
                        recommendation: &f.recommendation,
                    })
                    .collect(),
            }
            .print();
        }
        for path in written {
            JsonMessage::ReportWritten {
                schema_version: SCHEMA_VERSION,
                path: path.display().to_string(),
            }
            .print();
        }
    } else {
        report::print_run(record);
        if let Some(comparison) = comparison {
            report::print_comparison(comparison);
        }
        if let Some(path) = saved {
            report::print_saved(path);
        }
        for path in written {
            report::print_written(path);
        }
    }
    for breach in gate::Breach::ALL {
        let tests = summary.with(breach);
        if tests.is_empty() {
            continue;
        }
        let what = match breach {
            gate::Breach::Failed => "perf test(s) failed",
            gate::Breach::Missed => "load test(s) missed an SLA threshold",
            gate::Breach::Regressed => "perf test(s) regressed beyond their threshold",
        };
        eprintln!("error: {} {what}: {}", tests.len(), join_ids(tests));
    }
    summary
}

/// Test ids as a comma-separated list, for messages.
pub(crate) fn join_ids<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
