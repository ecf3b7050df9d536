//! What a report is: the run it is drawn from, and the file it goes to.

use std::path::PathBuf;

use perf_record::RunRecord;

use crate::history::History;
use crate::verdict::compare::Comparison;

/// What a report is drawn from.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    /// The run.
    pub(crate) record: &'a RunRecord,
    /// Its comparison, when it had one.
    pub(crate) comparison: Option<&'a Comparison>,
    /// The history of the baseline it saved to or compared with, by name,
    /// when that has saved runs.
    pub(crate) history: Option<(&'a str, &'a History)>,
}

/// One file to write: which flag asked for it, where, and its contents.
pub(crate) struct Output {
    /// The flag (or environment variable) that asked for it.
    pub(crate) origin: &'static str,
    /// Where it goes.
    pub(crate) path: PathBuf,
    /// Renders it.
    pub(crate) render: fn(&Source<'_>) -> String,
    /// Whether it replaces the file or is appended to it.
    pub(crate) mode: Mode,
}

/// How an output reaches its file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Written whole, atomically, over what was there.
    Replace,
    /// Appended (a CI system's summary file, which other steps share).
    Append,
}
