//! Progress on stderr while the jobs run: a line per process, and a load
//! test's live state from its generator.
//!
//! On a terminal the live line is an indicatif spinner, cut to the
//! terminal's width so that it stays on one line; elsewhere (CI logs, the
//! e2e tests) plain lines, a live one every few seconds.

use std::io::{IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress on stderr: a line per process, with a live line below them on
/// a terminal.
pub(crate) struct Progress {
    total: usize,
    /// The live line, on a terminal only.
    bar: Option<ProgressBar>,
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
        let bar = std::io::stderr()
            .is_terminal()
            .then(|| live_bar(ProgressDrawTarget::stderr()));
        Self {
            total,
            bar,
            started: Instant::now(),
            label: String::new(),
            last_plain: None,
        }
    }

    /// A load test's live state, from its progress line.
    pub(crate) fn live(&mut self, json: &str) {
        let Some(line) = live_line(&self.label, json) else {
            return;
        };
        if let Some(bar) = &self.bar {
            bar.set_message(line);
        } else if self.last_plain.is_none_or(|t| t.elapsed() >= PLAIN_EVERY) {
            self.last_plain = Some(Instant::now());
            // A failed write to stderr is not worth stopping the run for.
            let _ = writeln!(std::io::stderr().lock(), "{line}");
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
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{:>12} {} ...", "Running", self.label));
        }
    }

    /// A line of news between processes (a server starts), above the
    /// live line.
    pub(crate) fn note(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
        }
    }

    /// The process started by [`Self::begin`] ended.
    pub(crate) fn end(&mut self, summary: Option<String>) {
        let line = end_line(&self.label, summary, self.started.elapsed());
        match &self.bar {
            // Above the live line, which stays below until the next begins.
            Some(bar) => {
                bar.println(line);
                bar.set_message(String::new());
            }
            None => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The live line: the message cut to the terminal's width, and a spinner
/// that shows the run is alive between the generator's updates.
fn live_bar(target: ProgressDrawTarget) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, target);
    if let Ok(style) = ProgressStyle::with_template("{wide_msg} {spinner}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A load test's live state as a line, from the generator's JSON.
fn live_line(label: &str, json: &str) -> Option<String> {
    let state = serde_json::from_str::<perf_record::protocol::Progress>(json).ok()?;
    Some(format!(
        "{:>12} {label} {:.0}s/{:.0}s, active {}, {:.0} req/s, p95 {:.2} ms, errors {}",
        "Loading",
        state.elapsed_s,
        state.total_s,
        state.active,
        state.rps,
        state.p95_us / 1e3,
        state.errors,
    ))
}

/// The line that stays once a process has ended.
fn end_line(label: &str, summary: Option<String>, elapsed: Duration) -> String {
    let what = summary.unwrap_or_else(|| "FAILED".to_owned());
    format!(
        "{:>12} {label} {what} ({:.1}s)",
        "Measured",
        elapsed.as_secs_f64()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_before() {
        let json =
            r#"{"elapsed_s":3.2,"total_s":10,"active":4,"rps":1234.4,"p95_us":2500,"errors":0}"#;
        assert_eq!(
            live_line("[1/2] demo/load::fast", json).unwrap(),
            "     Loading [1/2] demo/load::fast 3s/10s, active 4, 1234 req/s, p95 2.50 ms, errors 0"
        );
        assert_eq!(live_line("x", "not json"), None);
        assert_eq!(
            end_line("[2/2] a", None, Duration::from_millis(1500)),
            "    Measured [2/2] a FAILED (1.5s)"
        );
    }

    /// A 40-column terminal that keeps what is written on it, line by
    /// line (a line ends where a new one is started).
    #[derive(Debug, Default, Clone)]
    struct Terminal(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

    impl Terminal {
        fn lines(&self) -> Vec<String> {
            self.0.lock().unwrap().clone()
        }
        fn push(&self, text: &str, new_line: bool) {
            let mut lines = self.0.lock().unwrap();
            match lines.last_mut() {
                Some(last) if !new_line => last.push_str(text),
                _ => lines.push(text.to_owned()),
            }
        }
    }

    impl indicatif::TermLike for Terminal {
        fn width(&self) -> u16 {
            40
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.push(s, true);
            Ok(())
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.push(s, false);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            self.push("", true);
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_live_line_wider_than_the_terminal_is_cut_to_its_width() {
        let terminal = Terminal::default();
        let mut progress = Progress {
            total: 1,
            bar: Some(live_bar(ProgressDrawTarget::term_like(Box::new(
                terminal.clone(),
            )))),
            started: Instant::now(),
            label: "[1/1] a_package_with_a_long_name/load::a_test".to_owned(),
            last_plain: None,
        };
        progress
            .live(r#"{"elapsed_s":1,"total_s":10,"active":4,"rps":100,"p95_us":900,"errors":0}"#);
        let lines = terminal.lines();
        let live = lines
            .iter()
            .rfind(|l| l.contains("Loading"))
            .unwrap_or_else(|| panic!("{lines:?}"));
        assert!(live.chars().count() <= 40, "{live:?}");
        assert!(live.starts_with("     Loading [1/1] a_package"), "{live:?}");
        progress.end(Some("ok".to_owned()));
        assert!(
            terminal
                .lines()
                .iter()
                .any(|l| l.starts_with("    Measured [1/1] a_package")),
            "{:?}",
            terminal.lines()
        );
    }
}
