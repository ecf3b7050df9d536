//! The confirmation re-run: a test flagged as regressed is measured again
//! before it may fail the run, whichever mode flagged it.

use perf_record::TestId;

use super::compare::{Comparison, TestComparison};
use crate::error::CliError;

/// Re-measures the tests `comparison` flagged, with `rerun` (which says in
/// `how` what it does), and keeps each verdict only where the re-run finds
/// the regression again.
pub(crate) fn confirm(
    comparison: &mut Comparison,
    how: &str,
    rerun: impl FnOnce(&[TestId]) -> Result<Vec<TestComparison>, CliError>,
) -> Result<(), CliError> {
    let flagged = comparison.unconfirmed_tests();
    if flagged.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = flagged.iter().map(ToString::to_string).collect();
    eprintln!(
        "{:>12} {} flagged test(s) with {how}: {}",
        "Confirming",
        flagged.len(),
        names.join(", ")
    );
    let again = rerun(&flagged)?;
    comparison.confirm(&again);
    Ok(())
}
