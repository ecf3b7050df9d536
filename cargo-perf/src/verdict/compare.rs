//! Building a comparison from two sides' records: each metric of each
//! test, with its change and interval, before the verdict rule of
//! [`super::comparison`] judges it.

use std::collections::BTreeMap;
use std::path::Path;

use perf_record::metric::Metric;
use perf_record::{RunRecord, TestConfig, TestId, TestKind, TestRecord};

pub use super::comparison::{CompareMode, Comparison, Confirmation, TestComparison, Verdict};
use super::estimate::{ChangeEstimate, Side, against_one};
use crate::environment;

mod load;

pub use load::{LoadRatios, load_metrics};

/// Compares `current` with a saved `baseline`. Each current test carries
/// the threshold that applies to it in `config.regression_threshold_pct`.
/// The verdicts are preliminary until [`Comparison::judge`] runs.
pub fn compare(baseline: &RunRecord, baseline_path: &Path, current: &RunRecord) -> Comparison {
    let before: BTreeMap<&TestId, &TestRecord> =
        baseline.tests.iter().map(|t| (&t.id, t)).collect();
    let now: BTreeMap<&TestId, &TestRecord> = current.tests.iter().map(|t| (&t.id, t)).collect();
    let tests = now
        .iter()
        .filter_map(|(id, test)| before.get(id).map(|old| (old, test)))
        .flat_map(|(old, test)| compare_records(old, test))
        .collect();
    let mut comparison = Comparison {
        mode: CompareMode::Baseline,
        baseline_path: baseline_path.display().to_string(),
        baseline_created_utc: baseline.created_utc.clone(),
        baseline_git_commit: baseline.environment.git_commit.clone(),
        environment_differences: environment::differences(
            &baseline.environment,
            &current.environment,
        ),
        tests,
        only_in_baseline: before
            .keys()
            .filter(|id| !now.contains_key(*id))
            .map(|id| (*id).clone())
            .collect(),
        only_in_current: now
            .keys()
            .filter(|id| !before.contains_key(*id))
            .map(|id| (*id).clone())
            .collect(),
        noise_floor_pct: None,
        noise_warnings: Vec::new(),
        shift: None,
    };
    comparison.judge();
    comparison
}

/// The metrics of one test measured in two separate runs.
pub fn compare_records(old: &TestRecord, new: &TestRecord) -> Vec<TestComparison> {
    let mut metrics = if new.kind == TestKind::Load {
        load_metrics(old, new, None)
    } else {
        vec![bench_median(old, new, None)]
    };
    metrics.extend(instructions(old, new));
    metrics
}

/// The threshold that applies to a test.
fn threshold_of(record: &TestRecord) -> f64 {
    record
        .config
        .regression_threshold_pct
        .unwrap_or(crate::DEFAULT_THRESHOLD_PCT)
}

/// A comparison of one metric, before the verdict rule.
fn metric(
    new: &TestRecord,
    metric: Metric,
    values: (Option<f64>, Option<f64>),
    estimate: Option<ChangeEstimate>,
) -> TestComparison {
    let (base, current) = values;
    let change_pct = match (base, current, estimate) {
        (_, _, Some(e)) => Some(e.change_pct),
        (Some(b), Some(c), None) if metric.absolute_limit().is_some() => Some(c - b),
        (Some(b), Some(c), None) if b > 0.0 => Some((c / b - 1.0) * 100.0),
        _ => None,
    };
    TestComparison {
        id: new.id.clone(),
        metric,
        verdict: Verdict::NotComparable,
        higher_is_better: metric.higher_is_better,
        baseline_value: base,
        current_value: current,
        change_pct,
        estimate,
        baseline_interval: None,
        current_interval: None,
        threshold_pct: threshold_of(new),
        confirmation: None,
        config_diff: None,
        stopped: None,
    }
}

/// A one-process baseline (`--quick`) against a candidate measured in
/// several processes (its confirming re-run): see [`against_one`].
fn one_against_several(old: &TestRecord, new: &TestRecord) -> Option<ChangeEstimate> {
    let [single] = old.process_medians_ns.as_slice() else {
        return None;
    };
    let stats = new.stats.as_ref()?;
    against_one(
        *single,
        &new.process_medians_ns,
        [stats.median_ci_low_ns, stats.median_ci_high_ns],
    )
}

/// A benchmark's median. `paired_ratios`: the per-round ratios when both
/// sides ran in paired rounds.
pub fn bench_median(
    old: &TestRecord,
    new: &TestRecord,
    paired_ratios: Option<&[f64]>,
) -> TestComparison {
    let side = |t: &TestRecord| {
        t.stats.as_ref().and_then(|s| {
            Side::from_medians(
                &t.process_medians_ns,
                [s.median_ci_low_ns, s.median_ci_high_ns],
            )
        })
    };
    let estimate = match paired_ratios {
        Some(ratios) => ChangeEstimate::paired(ratios),
        None => side(old)
            .zip(side(new))
            .and_then(|(a, b)| ChangeEstimate::unpaired(a, b))
            .or_else(|| one_against_several(old, new)),
    };
    let median = |t: &TestRecord| t.stats.as_ref().map(|s| s.median_ns);
    let interval = |t: &TestRecord| {
        t.stats
            .as_ref()
            .map(|s| [s.median_ci_low_ns, s.median_ci_high_ns])
    };
    let mut comparison = metric(
        new,
        Metric::MEDIAN,
        (median(old), median(new)),
        estimate.filter(|_| median(old).is_some() && median(new).is_some()),
    );
    comparison.baseline_interval = interval(old);
    comparison.current_interval = interval(new);
    comparison.config_diff = config_diff(&old.config, &new.config);
    comparison
}

/// Instructions per iteration, when both sides counted them.
fn instructions(old: &TestRecord, new: &TestRecord) -> Option<TestComparison> {
    let (Some(before), Some(after)) = (&old.instructions, &new.instructions) else {
        return None;
    };
    Some(metric(
        new,
        Metric::INSTRUCTIONS,
        (Some(before.per_iteration), Some(after.per_iteration)),
        None,
    ))
}

/// A readable diff of what was configured differently, ignoring the
/// threshold (which may be changed freely without making runs
/// incomparable).
fn config_diff(old: &TestConfig, new: &TestConfig) -> Option<String> {
    let show = |config: &TestConfig| {
        let mut config = config.clone();
        config.regression_threshold_pct = None;
        serde_json::to_string_pretty(&config).unwrap_or_default()
    };
    let (old, new) = (show(old), show(new));
    if old == new {
        return None;
    }
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_lines(&old, &new);
    Some(
        diff.unified_diff()
            .context_radius(1)
            .header("baseline", "current")
            .to_string(),
    )
}

#[cfg(test)]
mod tests;
