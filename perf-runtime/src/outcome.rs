//! What becomes of a test's run, for the harness and the load tests alike:
//! a panic as its failure message, and its result appended to the file
//! cargo perf reads.

use std::fs::OpenOptions;
use std::io::Write as _;

use perf_record::TestResult;

/// Results are appended as JSON lines, so a binary asked to run several
/// tests writes all of them.
pub(crate) fn append_result(path: &std::path::Path, result: &TestResult) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(result).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(&line)
}

/// A panic's payload as the test's failure message.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string panic payload".to_owned());
    format!("panicked: {text}")
}
