//! The end of a run that reached its report: the report printed (human
//! or JSON), the errors named, and what it found for the exit code (the
//! JSON summary line is printed by `main`, after every ending).

use perf_record::record::SCHEMA_VERSION;
use perf_record::{RunRecord, TestOutcome};

use crate::exit_code::Findings;
use crate::report::{self, JsonMessage};
use crate::verdict::compare::Comparison;

/// Prints the reports and says what the run found.
pub(crate) fn finish(
    record: &RunRecord,
    comparison: Option<&Comparison>,
    saved: Option<&std::path::Path>,
    latest: &std::path::Path,
    written: &[std::path::PathBuf],
    advice: &[crate::export::Finding],
    json: bool,
) -> Findings {
    let failed: Vec<_> = record
        .tests
        .iter()
        .filter(|t| !matches!(t.outcome, TestOutcome::Passed))
        .map(|t| &t.id)
        .collect();
    let regressed: Vec<_> = comparison
        .map(Comparison::regressed_tests)
        .unwrap_or_default();
    let missed: Vec<_> = record
        .tests
        .iter()
        .filter(|t| t.thresholds.iter().any(|r| !r.passed))
        .map(|t| &t.id)
        .collect();
    let findings = Findings {
        tests: record.tests.len(),
        failed: failed.iter().map(|&id| id.clone()).collect(),
        missed: missed.iter().map(|&id| id.clone()).collect(),
        regressed: regressed.iter().map(|&id| id.clone()).collect(),
        unwritten: Vec::new(),
    };
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
    if !failed.is_empty() {
        eprintln!(
            "error: {} perf test(s) failed: {}",
            failed.len(),
            join_ids(&failed)
        );
    }
    if !missed.is_empty() {
        eprintln!(
            "error: {} load test(s) missed an SLA threshold: {}",
            missed.len(),
            join_ids(&missed)
        );
    }
    if !regressed.is_empty() {
        eprintln!(
            "error: {} perf test(s) regressed beyond their threshold: {}",
            regressed.len(),
            join_ids(&regressed)
        );
    }
    findings
}

/// Test ids as a comma-separated list, for messages.
pub(crate) fn join_ids<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
