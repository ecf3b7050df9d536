//! `--message-format json`: one JSON object per line on stdout, each with
//! a `reason` and the schema version (documented in README.md).

use perf_record::{ListedTest, RunRecord, TestId};
use serde::Serialize;

use crate::verdict::compare::Comparison;

/// One finding of a run.
#[derive(Debug, Serialize)]
pub struct FindingMessage<'a> {
    /// `failure`, `regression`, `warning` or `note`.
    pub severity: &'static str,
    /// The test it is about, if it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<&'a TestId>,
    /// What was found.
    pub text: &'a str,
    /// What to do about it.
    pub recommendation: &'a str,
}

/// A line of JSON output.
#[derive(Debug, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum JsonMessage<'a> {
    /// `--list`: the tests that would run.
    TestList {
        /// Schema version.
        schema_version: u32,
        /// The tests.
        tests: Vec<ListedTestMessage<'a>>,
    },
    /// Every test has run.
    RunFinished {
        /// Schema version.
        schema_version: u32,
        /// Where the record was written.
        path: String,
        /// The run record.
        record: &'a RunRecord,
    },
    /// The comparison with `--compare`'s baseline.
    Comparison {
        /// Schema version.
        schema_version: u32,
        /// The comparison.
        comparison: &'a Comparison,
    },
    /// `cargo perf archive` wrote the archive.
    ArchiveWritten {
        /// Schema version.
        schema_version: u32,
        /// The file.
        path: String,
        /// What it holds.
        manifest: &'a crate::archive::Manifest,
        /// Its size in bytes.
        bytes: u64,
    },
    /// `--save-baseline` wrote a file.
    BaselineSaved {
        /// Schema version.
        schema_version: u32,
        /// The file.
        path: String,
    },
    /// What the run found, in plain words, each with what to do about it
    /// (worst first): the same findings the HTML report's summary lists.
    Findings {
        /// Schema version.
        schema_version: u32,
        /// The findings.
        findings: Vec<FindingMessage<'a>>,
    },
    /// A report file was written (`--html`, `--junit`, ...).
    ReportWritten {
        /// Schema version.
        schema_version: u32,
        /// The file.
        path: String,
    },
    /// `cargo perf history`: a baseline's saved runs, each test's series
    /// and the step changes found.
    History {
        /// Schema version.
        schema_version: u32,
        /// The baseline as the user named it.
        baseline: &'a str,
        /// The history.
        history: &'a crate::history::History,
    },
    /// The last line: what the exit code means.
    Summary {
        /// Schema version.
        schema_version: u32,
        /// The process's exit code.
        exit_code: u8,
        /// Tests that ran.
        tests: usize,
        /// Tests that failed or panicked.
        failed: Vec<&'a TestId>,
        /// Load tests that missed an SLA threshold.
        thresholds_missed: Vec<&'a TestId>,
        /// Tests that regressed beyond their threshold.
        regressed: Vec<&'a TestId>,
        /// Reports that could not be written (named on stderr).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        reports_unwritten: Vec<String>,
        /// Why the run stopped early, when it did.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

/// A test in the `test-list` message.
#[derive(Debug, Serialize)]
pub struct ListedTestMessage<'a> {
    /// Which test.
    pub id: &'a TestId,
    /// What the binary declares.
    #[serde(flatten)]
    pub listed: &'a ListedTest,
}

impl JsonMessage<'_> {
    /// Prints the message as one line on stdout.
    pub fn print(&self) {
        if let Ok(line) = serde_json::to_string(self) {
            anstream::println!("{line}");
        }
    }
}
