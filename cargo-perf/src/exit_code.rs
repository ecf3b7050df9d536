//! The exit codes of `cargo perf`, as README.md documents them, and the one
//! function that decides which one a run ends with.
//!
//! When several outcomes apply to one run, the most severe wins, in this
//! order: a fatal error (1 to 6, the run stopped), then the gate's most
//! severe breach ([`Breach`]'s order: a failed test (10), a missed SLA
//! threshold (11), a regression (12)), then a report that could not be
//! written (1). The report names all.

/// Everything ran and nothing regressed.
pub const SUCCESS: u8 = 0;
/// A bug or an unexpected failure of the environment.
pub const INTERNAL: u8 = 1;
/// Bad flags or configuration, or an archive (`--archive-file`) that is
/// damaged or does not hold what the run needs.
pub const USAGE: u8 = 2;
/// Cargo could not build the perf targets.
pub const BUILD_FAILED: u8 = 3;
/// No perf test matched the selection.
pub const NO_TESTS: u8 = 4;
/// The server failed to start or crashed (load tests).
pub const SERVER_FAILED: u8 = 5;
/// A baseline is missing, corrupt or of an incompatible schema.
pub const BASELINE: u8 = 6;
/// A perf test failed or panicked.
pub const TEST_FAILED: u8 = 10;
/// An SLA threshold was missed (load tests).
pub const THRESHOLD_MISSED: u8 = 11;
/// Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;
/// A metric regressed beyond its threshold.
pub const REGRESSION: u8 = 12;

use crate::error::CliError;
use crate::verdict::gate::{Breach, Summary};

/// How a run ended.
#[derive(Debug)]
pub enum Ending<'a> {
    /// `--help` or `--version` was printed.
    Help,
    /// The flags did not parse.
    BadFlags,
    /// The run stopped early.
    Error(&'a CliError),
    /// The run reached its report (or listed its tests).
    Reported(Summary),
}

/// The exit code of a run that ended so. An interrupt wins over whatever
/// the run made of its killed children; then the most severe outcome.
pub fn decide(ending: &Ending<'_>, interrupted: bool) -> u8 {
    if interrupted {
        return INTERRUPTED;
    }
    match ending {
        Ending::Help => SUCCESS,
        Ending::BadFlags => USAGE,
        Ending::Error(error) => of_error(error),
        Ending::Reported(summary) => match summary.worst() {
            Some(breach) => of_breach(breach),
            None if !summary.unwritten.is_empty() => INTERNAL,
            None => SUCCESS,
        },
    }
}

/// The code of a run whose most severe breach is `breach`.
fn of_breach(breach: Breach) -> u8 {
    match breach {
        Breach::Failed => TEST_FAILED,
        Breach::Missed => THRESHOLD_MISSED,
        Breach::Regressed => REGRESSION,
    }
}

fn of_error(error: &CliError) -> u8 {
    match error {
        // cargo metadata fails on what the user gave: a manifest path
        // that does not exist, a Cargo.toml that does not parse.
        CliError::Usage(_)
        | CliError::Git(_)
        | CliError::Archive { .. }
        | CliError::UnknownPackage { .. }
        | CliError::Config { .. }
        | CliError::Metadata(_)
        | CliError::Shard { .. }
        | CliError::Init { .. }
        | CliError::OpenApi { .. } => USAGE,
        CliError::BuildFailed => BUILD_FAILED,
        CliError::NoPerfTargets(_) | CliError::NoTestMatched(_) => NO_TESTS,
        CliError::Baseline { .. } => BASELINE,
        CliError::Server(_) => SERVER_FAILED,
        CliError::Interrupted => INTERRUPTED,
        CliError::Cargo { .. }
        | CliError::Manifest { .. }
        | CliError::Listing { .. }
        | CliError::Write { .. }
        | CliError::Io { .. } => INTERNAL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_more_severe_breach_has_the_lower_code() {
        let codes = Breach::ALL.map(of_breach);
        assert!(codes.is_sorted(), "{codes:?}");
    }

    #[test]
    fn the_most_severe_outcome_wins_and_an_interrupt_over_all() {
        let id = perf_record::TestId {
            package: "p".into(),
            target: "t".into(),
            name: "n".into(),
        };
        let all = Summary {
            tests: 1,
            failed: vec![id.clone()],
            missed: vec![id.clone()],
            regressed: vec![id],
            unwritten: vec!["junit.xml".into()],
        };
        assert_eq!(decide(&Ending::Reported(all.clone()), false), TEST_FAILED);
        let missed = Summary {
            failed: Vec::new(),
            ..all.clone()
        };
        assert_eq!(
            decide(&Ending::Reported(missed.clone()), false),
            THRESHOLD_MISSED
        );
        let regressed = Summary {
            missed: Vec::new(),
            ..missed
        };
        assert_eq!(
            decide(&Ending::Reported(regressed.clone()), false),
            REGRESSION
        );
        // A report that could not be written fails a run the gate passed,
        // and never hides what the gate found.
        let unwritten = Summary {
            regressed: Vec::new(),
            ..regressed
        };
        assert_eq!(decide(&Ending::Reported(unwritten), false), INTERNAL);
        assert_eq!(
            decide(&Ending::Reported(Summary::default()), false),
            SUCCESS
        );
        assert_eq!(decide(&Ending::Reported(all), true), INTERRUPTED);
        let error = CliError::BuildFailed;
        assert_eq!(decide(&Ending::Error(&error), false), BUILD_FAILED);
        assert_eq!(decide(&Ending::BadFlags, false), USAGE);
        assert_eq!(decide(&Ending::Help, false), SUCCESS);
    }
}
