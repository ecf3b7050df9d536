//! Which thresholds a load test may set given its kind, and which it gets
//! by default.

use super::catalog::by_threshold;
use super::kind::Kind;
use crate::attr::{Checked, OptionError, Spot};

/// Checks the metrics of a test's `threshold(...)` against its kind
/// (`None`: a plain load test), and returns the kind's default thresholds
/// on the figures the test leaves unset. An error's [`Spot::Key`] is the
/// place of the threshold in `metrics`; [`Spot::Name`] is the kind.
pub fn check_thresholds(
    kind: Option<Kind>,
    metrics: &[&str],
) -> Checked<Vec<(&'static str, &'static str)>> {
    for (i, metric) in metrics.iter().enumerate() {
        let Some(figure) = by_threshold(metric) else {
            continue;
        };
        let belongs = figure.kinds();
        if !kind.is_some_and(|k| belongs.contains(&k)) {
            return Err(OptionError::new(
                Spot::Key(i),
                format!(
                    "`{metric}` is measured by {} tests only: add `{}(...)`, or remove this threshold",
                    figure.kind_names(" and "),
                    belongs[0]
                ),
            ));
        }
    }
    let Some(kind) = kind else {
        return Ok(Vec::new());
    };
    if let Some(why) = kind.spec().needs_threshold
        && metrics.iter().all(|m| by_threshold(m).is_some())
    {
        return Err(OptionError::new(Spot::Name, why));
    }
    Ok(kind
        .default_thresholds()
        .iter()
        .filter(|(metric, _)| !metrics.contains(metric))
        .copied()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_of_another_kind_is_refused_at_its_threshold() {
        let error = check_thresholds(Some(Kind::Stress), &["p95", "growth"]).unwrap_err();
        assert_eq!(error.spot, Spot::Key(1));
        assert_eq!(
            error.message,
            "`growth` is measured by volume and pagination tests only: add `volume(...)`, \
             or remove this threshold"
        );
        assert!(check_thresholds(None, &["recovery"]).is_err());
    }

    #[test]
    fn stress_needs_a_threshold_to_break() {
        let error = check_thresholds(Some(Kind::Stress), &["breaking_point"]).unwrap_err();
        assert_eq!(error.spot, Spot::Name);
        assert!(error.message.starts_with("a stress test steps the load up"));
        assert_eq!(
            check_thresholds(Some(Kind::Stress), &["p95"]),
            Ok(Vec::new())
        );
    }

    #[test]
    fn defaults_fill_in_what_the_test_leaves_unset() {
        assert_eq!(
            check_thresholds(Some(Kind::Timeout), &["timeouts"]),
            Ok(vec![("served_after", ">= 100%")])
        );
        assert_eq!(check_thresholds(None, &["p95"]), Ok(Vec::new()));
    }
}
