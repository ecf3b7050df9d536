//! Which thresholds apply to a test: its regression threshold (the test's
//! own, then the flag, then the package's) and its SLA thresholds, checked
//! against what it measured.

use std::collections::BTreeMap;

use perf_record::TestRecord;
use perf_record::metric::Metric;
use perf_record::threshold::Threshold;

use crate::DEFAULT_THRESHOLD_PCT;
use crate::cargo::PerfConfig;
use crate::discover::DiscoveredTest;

/// What one side of a run configures: the packages' settings and the
/// `--threshold` flag.
pub(crate) struct Thresholds<'a> {
    /// Each package's `[package.metadata.perf]`, by package name.
    pub(crate) package_configs: &'a BTreeMap<String, PerfConfig>,
    /// `--threshold`, in percent.
    pub(crate) flag: Option<f64>,
}

impl Thresholds<'_> {
    /// Fills in the record's effective regression threshold and checks its
    /// SLA thresholds. The most specific wins: the test's own, then the
    /// command line, then the package's (or workspace's) configuration.
    pub(crate) fn apply(&self, record: &mut TestRecord, test: &DiscoveredTest) {
        let package = self.package_configs.get(&record.id.package);
        record.config.regression_threshold_pct =
            Some(self.regression_pct(record.config.regression_threshold_pct, &record.id.package));
        let Some(load) = &record.load else {
            return;
        };
        // SLA thresholds: the test's own, then the package's defaults for
        // the metrics the test does not set.
        let mut thresholds = test.listed.thresholds.clone();
        let defaults = package.map(|c| c.thresholds.as_slice()).unwrap_or_default();
        for default in defaults {
            // A sweep's metric (`growth`, ...) as a package default applies
            // to the tests that measure it.
            if default.applies_to(load) && !thresholds.iter().any(|t| t.metric == default.metric) {
                thresholds.push(default.clone());
            }
        }
        if load.sweep.is_none() && !thresholds.iter().any(|t| t.metric == Metric::ERROR_RATE) {
            thresholds.push(default_error_rate());
        }
        // A figure the run could not measure (a soak test's memory without
        // a server to watch, a growth fit from one level) is not checked:
        // the findings say why it is missing. One the kind's analysis
        // declared not measurable (a caching test's speedup from too few
        // requests for an interval) is checked, missed, and says why.
        record.thresholds = thresholds
            .iter()
            .map(|t| t.check(load))
            .filter(|r| !r.value.is_nan())
            .collect();
    }
}

impl Thresholds<'_> {
    /// The regression threshold of a test of `package` whose own is `own`:
    /// its own, else the flag's, else the package's, else the default.
    pub(crate) fn regression_pct(&self, own: Option<f64>, package: &str) -> f64 {
        own.or(self.flag)
            .or(self
                .package_configs
                .get(package)
                .and_then(|c| c.regression_threshold_pct))
            .unwrap_or(DEFAULT_THRESHOLD_PCT)
    }
}

/// The error rate a plain load test may have when neither it nor its
/// package sets one: a run whose requests mostly fail measured nothing
/// worth passing. (A catalogue kind judges its errors by its own figures:
/// a rate-limit test's refusals are what it measures.)
pub(crate) const DEFAULT_ERROR_RATE: &str = "5%";

/// [`DEFAULT_ERROR_RATE`] as a threshold, named so that every report says
/// where it came from and how to change it.
fn default_error_rate() -> Threshold {
    let mut threshold = Threshold::parse(Metric::ERROR_RATE.threshold_name(), DEFAULT_ERROR_RATE)
        .unwrap_or_else(|e| unreachable!("the default error rate parses: {e}"));
    threshold.name = Some("cargo perf's default for load tests".to_owned());
    threshold
}
