//! Recognising a criterion bench target and listing its benchmarks. A
//! binary that wrote no perf-runtime listing is asked again with
//! `CARGO_CRITERION_PORT` set: criterion connects as it starts and greets
//! with its version, which tells it apart from any other harness, and
//! lists its benchmarks on stdout (`NAME: benchmark`, libtest's terse
//! format).

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use perf_record::protocol::SourceLocation;
use perf_record::{ListedTest, TestKind};

use crate::cargo::PerfBinary;
use crate::criterion::{Connection, Listener, PORT_ENV};
use crate::error::CliError;

/// The benchmarks of a criterion bench target, or `None` if `binary` is
/// not one.
pub(super) fn list(binary: &PerfBinary) -> Result<Option<Vec<ListedTest>>, CliError> {
    let failed = |message: String| CliError::Listing {
        binary: binary.executable.clone(),
        message,
    };
    let listener = Listener::open().map_err(|e| failed(format!("no port to listen on: {e}")))?;
    let port = listener
        .port()
        .map_err(|e| failed(format!("no port to listen on: {e}")))?;
    let ended = Arc::new(AtomicBool::new(false));
    let greeted = {
        let ended = Arc::clone(&ended);
        std::thread::spawn(move || {
            listener
                .accept(&ended, Duration::from_secs(600))
                .and_then(|socket| Connection::handshake(socket).ok())
                .map(|connection| connection.criterion_version)
        })
    };
    let output = Command::new(&binary.executable)
        .args(["--list", "--format", "terse"])
        .env(PORT_ENV, port.to_string())
        .current_dir(&binary.target.manifest_dir)
        .output();
    ended.store(true, Ordering::Release);
    let version = greeted.join().ok().flatten();
    let output = output.map_err(|e| failed(e.to_string()))?;
    if version.is_none() || !output.status.success() {
        return Ok(None);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(Some(
        names(&stdout)
            .map(|name| listed(name, &binary.target.name))
            .collect(),
    ))
}

/// The benchmark names of a terse listing.
fn names(stdout: &str) -> impl Iterator<Item = &str> {
    stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": benchmark"))
}

/// A criterion benchmark as a listed test: a benchmark with none of the
/// settings of `#[perf_test]` (criterion's own settings apply as it runs).
fn listed(name: &str, target: &str) -> ListedTest {
    ListedTest {
        name: name.to_owned(),
        kind: TestKind::Bench,
        ignored: false,
        ignore_reason: None,
        regression_threshold_pct: None,
        warm_up_ns: None,
        measurement_ns: None,
        // Criterion does not say where a benchmark is defined: the target
        // is named, line 0 meaning unknown.
        source: SourceLocation {
            file: format!("criterion bench target `{target}`"),
            line: 0,
        },
        instructions: false,
        thresholds: Vec::new(),
        time_limit_ns: None,
        whole_run: false,
        load_shape: None,
        unsupported: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terse_listing_gives_the_full_names() {
        let stdout = "combine/16: benchmark\nhash/1024: benchmark\nbaseline/1024: benchmark\n\
                      skipping specialized benches\n";
        assert_eq!(
            names(stdout).collect::<Vec<_>>(),
            ["combine/16", "hash/1024", "baseline/1024"]
        );
        let test = listed("combine/16", "bench");
        assert_eq!(test.kind, TestKind::Bench);
        assert!(!test.ignored && !test.whole_run && !test.instructions);
    }
}
