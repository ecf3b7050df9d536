//! Progress on stderr while the jobs run: a line per process, and a load
//! test's live state from its generator.

use std::io::{IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

/// Progress on stderr: a line per process, rewritten in place on a
/// terminal.
pub(crate) struct Progress {
    total: usize,
    tty: bool,
    started: Instant,
    label: String,
    last_plain: Option<Instant>,
}

/// The load generator's progress lines on stderr start with this.
pub(crate) const PROGRESS_PREFIX: &str = "cargo-perf-progress ";
/// Without a terminal, a progress line this often.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

impl Progress {
    pub(crate) fn new(total: usize) -> Self {
        Self {
            total,
            tty: std::io::stderr().is_terminal(),
            started: Instant::now(),
            label: String::new(),
            last_plain: None,
        }
    }

    /// A load test's live state, from its progress line.
    pub(crate) fn live(&mut self, json: &str) {
        let Ok(state) = serde_json::from_str::<serde_json::Value>(json) else {
            return;
        };
        let number = |key: &str| state[key].as_f64().unwrap_or(0.0);
        let line = format!(
            "{:>12} {} {:.0}s/{:.0}s, active {}, {:.0} req/s, p95 {:.2} ms, errors {}",
            "Loading",
            self.label,
            number("elapsed_s"),
            number("total_s"),
            number("active"),
            number("rps"),
            number("p95_us") / 1e3,
            number("errors"),
        );
        let mut stderr = std::io::stderr().lock();
        if self.tty {
            let _ = write!(stderr, "\r\x1b[2K{line}");
            let _ = stderr.flush();
        } else if self.last_plain.is_none_or(|t| t.elapsed() >= PLAIN_EVERY) {
            self.last_plain = Some(Instant::now());
            let _ = writeln!(stderr, "{line}");
        }
    }

    /// How many jobs the schedule has.
    pub(crate) fn total(&self) -> usize {
        self.total
    }

    /// A process starts; `label` names it.
    pub(crate) fn begin(&mut self, label: String) {
        self.started = Instant::now();
        self.label = label;
        self.last_plain = None;
        if !self.tty {
            return;
        }
        let mut stderr = std::io::stderr().lock();
        // A failed write to the terminal is not worth stopping the run for.
        let _ = write!(stderr, "\r\x1b[2K{:>12} {} ...", "Running", self.label);
        let _ = stderr.flush();
    }

    /// The process started by [`Self::begin`] ended.
    pub(crate) fn end(&mut self, summary: Option<String>) {
        let elapsed = self.started.elapsed().as_secs_f64();
        let what = summary.unwrap_or_else(|| "FAILED".to_owned());
        let line = format!("{:>12} {} {what} ({elapsed:.1}s)", "Measured", self.label);
        let mut stderr = std::io::stderr().lock();
        let _ = if self.tty {
            writeln!(stderr, "\r\x1b[2K{line}")
        } else {
            writeln!(stderr, "{line}")
        };
    }
}
