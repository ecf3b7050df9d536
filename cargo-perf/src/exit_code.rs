//! The exit codes of `cargo perf`, as README.md documents them, and the one
//! function that decides which one a run ends with.
//!
//! When several outcomes apply to one run, the most severe wins, in this
//! order: a fatal error (1 to 6, the run stopped), then a failed test (10),
//! a missed SLA threshold (11), a regression (12). The report names all.

/// Everything ran and nothing regressed.
pub const SUCCESS: u8 = 0;
/// A bug or an unexpected failure of the environment.
pub const INTERNAL: u8 = 1;
/// Bad flags or configuration.
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
    Reported(Findings),
}

/// What a run that reached its report found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Findings {
    /// A test failed or panicked.
    pub failed: bool,
    /// An SLA threshold was missed.
    pub missed: bool,
    /// A metric regressed beyond its threshold.
    pub regressed: bool,
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
        Ending::Reported(f) if f.failed => TEST_FAILED,
        Ending::Reported(f) if f.missed => THRESHOLD_MISSED,
        Ending::Reported(f) if f.regressed => REGRESSION,
        Ending::Reported(_) => SUCCESS,
    }
}

fn of_error(error: &CliError) -> u8 {
    match error {
        // cargo metadata fails on what the user gave: a manifest path
        // that does not exist, a Cargo.toml that does not parse.
        CliError::Usage(_)
        | CliError::Git(_)
        | CliError::UnknownPackage { .. }
        | CliError::Config { .. }
        | CliError::Metadata(_) => USAGE,
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
    fn the_most_severe_outcome_wins_and_an_interrupt_over_all() {
        let all = Findings {
            failed: true,
            missed: true,
            regressed: true,
        };
        assert_eq!(decide(&Ending::Reported(all), false), TEST_FAILED);
        let missed = Findings {
            failed: false,
            ..all
        };
        assert_eq!(decide(&Ending::Reported(missed), false), THRESHOLD_MISSED);
        let regressed = Findings {
            missed: false,
            ..missed
        };
        assert_eq!(decide(&Ending::Reported(regressed), false), REGRESSION);
        assert_eq!(
            decide(&Ending::Reported(Findings::default()), false),
            SUCCESS
        );
        assert_eq!(decide(&Ending::Reported(all), true), INTERRUPTED);
        let error = CliError::BuildFailed;
        assert_eq!(decide(&Ending::Error(&error), false), BUILD_FAILED);
        assert_eq!(decide(&Ending::BadFlags, false), USAGE);
        assert_eq!(decide(&Ending::Help, false), SUCCESS);
    }
}
