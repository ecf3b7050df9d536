//! Counting the instructions a benchmark iteration retires: a cost that a
//! busy machine does not change, where time moves by several percent.
//!
//! The perf binary runs the routine N times, untimed, under a counter, and
//! again 2N times; the difference divided by N is the cost of one
//! iteration, with the process's start-up, the harness and the test's own
//! setup cancelled out. The counter is Linux's hardware counters through
//! `perf stat` where the kernel allows them, else valgrind (cachegrind
//! without its cache simulation, which counts every instruction).

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use perf_record::InstructionCount;
use perf_record::protocol::env;

use crate::discover::{DiscoveredTest, Harness};

/// What counts the instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// `perf stat -e instructions:u`.
    Perf,
    /// `valgrind --tool=cachegrind --cache-sim=no`.
    Valgrind,
}

impl Counter {
    /// The counter this machine offers, if any (probed once).
    pub fn detect() -> Option<Self> {
        static DETECTED: OnceLock<Option<Counter>> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            let perf = Command::new("perf")
                .args(["stat", "-x,", "-e", "instructions:u", "true"])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .and_then(|o| parse_perf(&String::from_utf8_lossy(&o.stderr)));
            if perf.is_some_and(|n| n > 0) {
                return Some(Self::Perf);
            }
            let valgrind = Command::new("valgrind")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            valgrind.then_some(Self::Valgrind)
        })
    }

    /// Its name in records.
    pub fn name(self) -> &'static str {
        match self {
            Self::Perf => "perf",
            Self::Valgrind => "valgrind",
        }
    }

    /// Why nothing can count, for the error.
    pub const UNAVAILABLE: &'static str = "instruction counts need Linux perf events (`perf stat -e \
         instructions:u true` must print a count: install linux-perf and allow it with \
         `sysctl kernel.perf_event_paranoid=2` or lower) or valgrind (`apt install valgrind`); \
         neither works on this machine";

    /// How long N iterations may take natively, so that a count under
    /// this counter stays short.
    fn budget(self) -> Duration {
        match self {
            // valgrind runs code some 50 times slower.
            Self::Valgrind => Duration::from_millis(20),
            Self::Perf => Duration::from_millis(200),
        }
    }
}

/// Counts the instructions per iteration of `test`, whose median time per
/// iteration is `median_ns`.
pub fn count(
    counter: Counter,
    test: &DiscoveredTest,
    executable: &Path,
    manifest_dir: &Path,
    median_ns: f64,
) -> Result<InstructionCount, String> {
    if test.harness == Harness::Criterion {
        return Err(
            "instructions are not counted for a criterion benchmark: criterion cannot \
                    be told to run its routine a given number of times"
                .to_owned(),
        );
    }
    let per_iter = median_ns.max(1.0);
    // Capped: under `iter_with_setup` every iteration's input is made (and
    // held) before the batch, and the setup is not in the median.
    let iterations = ((counter.budget().as_nanos() as f64 / per_iter) as u64).clamp(1, 20_000);
    let once = run_counted(counter, test, executable, manifest_dir, iterations)?;
    let twice = run_counted(counter, test, executable, manifest_dir, iterations * 2)?;
    let difference = twice.saturating_sub(once);
    Ok(InstructionCount {
        per_iteration: difference as f64 / iterations as f64,
        iterations,
        counter: counter.name().to_owned(),
    })
}

fn run_counted(
    counter: Counter,
    test: &DiscoveredTest,
    executable: &Path,
    manifest_dir: &Path,
    iterations: u64,
) -> Result<u64, String> {
    let mut command = match counter {
        Counter::Perf => {
            let mut command = Command::new("perf");
            command.args(["stat", "-x,", "-e", "instructions:u", "--"]);
            command
        }
        Counter::Valgrind => {
            let mut command = Command::new("valgrind");
            command.args([
                "--tool=cachegrind",
                "--cache-sim=no",
                "--cachegrind-out-file=/dev/null",
            ]);
            command
        }
    };
    command
        .arg(executable)
        .args(crate::run::process::one_test_args(test))
        .current_dir(manifest_dir)
        .env("CARGO_MANIFEST_DIR", manifest_dir)
        .env(env::COUNT_ITERATIONS, iterations.to_string());
    if test.listed.ignored {
        command.arg("--include-ignored");
    }
    let output = command
        .output()
        .map_err(|e| format!("failed to run {}: {e}", counter.name()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "counting instructions with {} failed ({}): {}",
            counter.name(),
            output.status,
            stderr.lines().rev().take(5).collect::<Vec<_>>().join(" | ")
        ));
    }
    match counter {
        Counter::Perf => parse_perf(&stderr),
        Counter::Valgrind => parse_cachegrind(&stderr),
    }
    .ok_or_else(|| format!("{} printed no instruction count: {stderr}", counter.name()))
}

/// `perf stat -x,` prints `COUNT,,instructions:u,...`; hybrid CPUs print
/// one such line per core type (`cpu_core/instructions:u/`,
/// `cpu_atom/...`), which are summed. Lines that are not counts (the
/// test's own output on stderr, `<not supported>`) are skipped.
fn parse_perf(stderr: &str) -> Option<u64> {
    let counts: Vec<u64> = stderr
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(',');
            let count = fields.next()?.trim().parse::<u64>().ok()?;
            fields
                .nth(1)
                .is_some_and(|event| event.contains("instructions"))
                .then_some(count)
        })
        .collect();
    (!counts.is_empty()).then(|| counts.iter().sum())
}

/// cachegrind ends with `==PID== I   refs:      1,234,567` (`I refs` in
/// older versions).
fn parse_cachegrind(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        let (_, rest) = line.split_once("I")?;
        let rest = rest.trim_start().strip_prefix("refs:")?;
        rest.trim().replace(',', "").parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_criterion_benchmark_is_not_counted_and_says_why() {
        let mut test = DiscoveredTest::example("combine/16", perf_record::TestKind::Bench);
        test.harness = Harness::Criterion;
        let error = count(
            Counter::Perf,
            &test,
            Path::new("/nonexistent"),
            Path::new("."),
            10.0,
        )
        .unwrap_err();
        assert!(error.starts_with("instructions are not counted for a criterion benchmark"));
    }

    #[test]
    fn counts_are_read_from_both_counters() {
        assert_eq!(
            parse_perf("123456,,instructions:u,1000,100.00,,\n"),
            Some(123_456)
        );
        assert_eq!(
            parse_perf("<not supported>,,instructions:u,0,100.00,,"),
            None
        );
        assert_eq!(
            parse_perf(
                "output, instructions\n10,,cpu_core/instructions:u/,1,100,,\n5,,cpu_atom/instructions:u/,1,100,,\n"
            ),
            Some(15)
        );
        assert_eq!(
            parse_cachegrind("==12== \n==12== I   refs:      6,226,356\n"),
            Some(6_226_356)
        );
        assert_eq!(parse_cachegrind("==12== I refs: 42\n"), Some(42));
    }
}
