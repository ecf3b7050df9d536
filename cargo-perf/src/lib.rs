//! `cargo perf`: performance tests the cargo way.
//!
//! The library holds the whole subcommand so that its parts can be tested;
//! the `cargo-perf` binary calls [`main`].
//!
//! Builds the `#[perf_test]` targets of the selected packages with an
//! optimised profile, runs every test one at a time, prints a table, and
//! saves or compares JSON baselines; the exit code says whether anything
//! failed or regressed (see README.md).

use std::process::ExitCode;

pub mod app;
pub mod archive;
pub mod atomic_write;
pub mod baseline;
pub mod cargo;
pub(crate) mod ci;
pub mod cli;
pub(crate) mod criterion;
pub mod discover;
pub mod environment;
pub mod error;
pub mod exit_code;
pub(crate) mod export;
pub(crate) mod histogram;
pub mod history;
pub mod init;
pub mod interrupt;
pub(crate) mod k8s;
pub mod merge;
pub mod report;
pub mod run;
#[cfg(test)]
pub(crate) mod sample;
pub mod server;
pub mod shard;
pub(crate) mod shell;
pub mod split;
pub mod verdict;

/// The regression threshold when nothing else sets one, in percent.
pub const DEFAULT_THRESHOLD_PCT: f64 = 10.0;
/// Processes each test is measured in, unless `--processes` or `--quick`
/// says otherwise.
pub const DEFAULT_PROCESSES: u32 = 3;
/// Alternating rounds per test with `--compare-ref`, unless `--rounds`
/// says otherwise.
pub const DEFAULT_ROUNDS: u32 = 20;
/// Rounds with `--compare-ref --quick`.
pub const QUICK_ROUNDS: u32 = 6;

/// Parses the command line, runs, prints errors; the one exit point, whose
/// code [`exit_code::decide`] chooses.
pub fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == server::watchdog::ARG) {
        server::watchdog::run(&argv[2..]);
        return ExitCode::from(exit_code::SUCCESS);
    }
    let mut args = match cli::parse_from(argv) {
        Ok(args) => args,
        Err(error) => {
            // Help and version go to stdout and are not errors.
            let ending = if error.use_stderr() {
                exit_code::Ending::BadFlags
            } else {
                exit_code::Ending::Help
            };
            let _ = error.print();
            return ExitCode::from(exit_code::decide(&ending, false));
        }
    };
    let result = match &args.command {
        Some(cli::PerfCommand::History(history)) => app::history(&args, history),
        Some(cli::PerfCommand::K8s(k8s)) => app::k8s(k8s),
        Some(cli::PerfCommand::Ci(ci)) => app::ci(ci),
        Some(cli::PerfCommand::Merge(merge)) => app::merge(&args, merge),
        Some(cli::PerfCommand::Archive(archive)) => app::archive(&args, archive),
        Some(cli::PerfCommand::Init(init)) => app::init(&args, init),
        None => app::run(&mut args),
    };
    // After an interrupt, whatever the run made of its killed children is
    // not news: the interrupt is.
    let interrupted = interrupt::interrupted();
    let ending = match &result {
        Ok(summary) => exit_code::Ending::Reported(summary.clone()),
        Err(error) => exit_code::Ending::Error(error),
    };
    let code = exit_code::decide(&ending, interrupted);
    if interrupted {
        eprintln!("\n{}", error::CliError::Interrupted);
    } else if let Err(error) = &result {
        error::print_error(error);
    }
    if args.message_format == cli::MessageFormat::Json {
        // The last line, whatever happened: what the exit code means.
        let summary = result.as_ref().ok().cloned().unwrap_or_default();
        report::JsonMessage::Summary {
            schema_version: perf_record::record::SCHEMA_VERSION,
            exit_code: code,
            tests: summary.tests,
            failed: summary.failed.iter().collect(),
            thresholds_missed: summary.missed.iter().collect(),
            regressed: summary.regressed.iter().collect(),
            reports_unwritten: summary
                .unwritten
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            error: match (&result, interrupted) {
                (_, true) => Some(error::CliError::Interrupted.to_string()),
                (Err(error), false) => Some(error.to_string()),
                (Ok(_), false) => None,
            },
        }
        .print();
    }
    ExitCode::from(code)
}
