//! The pass/fail rule, once: what fails a test at the gate, which of
//! several failures counts most, and what the whole run came to. The exit
//! code (`exit_code::decide`), the JSON summary line and every CI report's
//! per-test status (JUnit, the job summary, the HTML report) are all read
//! from here.

use perf_record::threshold::ThresholdResult;
use perf_record::{RunRecord, TestId, TestOutcome, TestRecord};

use super::comparison::{Comparison, TestComparison, Verdict};

/// One way a test fails the gate. Declared in the one severity order, most
/// severe first: a failed test is the most urgent news, then a missed SLA
/// threshold, then a regression. Where several apply, the most severe one
/// names the test and decides the exit code (README: "the lowest wins").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Breach {
    /// The test failed or panicked.
    Failed,
    /// It missed an SLA threshold.
    Missed,
    /// A metric regressed beyond its threshold.
    Regressed,
}

impl Breach {
    /// Every breach, most severe first.
    pub const ALL: [Self; 3] = [Self::Failed, Self::Missed, Self::Regressed];
}

/// Where one test stands: its most severe breach, else whether a metric
/// improved. Ordered by severity, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// It fails the gate; the most severe of its breaches.
    Fails(Breach),
    /// A metric improved, none regressed.
    Improved,
    /// Nothing went wrong.
    Passed,
}

impl Status {
    /// The word the reports use.
    pub fn label(self) -> &'static str {
        match self {
            Self::Fails(Breach::Regressed) => "regressed",
            Self::Fails(Breach::Failed) => "failed",
            Self::Fails(Breach::Missed) => "missed a threshold",
            Self::Improved => "improved",
            Self::Passed => "passed",
        }
    }

    /// Whether it fails the run.
    pub fn fails(self) -> bool {
        matches!(self, Self::Fails(_))
    }
}

/// One test at the gate: as recorded, with its compared metrics.
#[derive(Debug)]
pub struct GatedTest<'a> {
    /// The test as recorded.
    pub test: &'a TestRecord,
    /// Its metrics in the comparison (none without one).
    pub metrics: Vec<&'a TestComparison>,
}

impl<'a> GatedTest<'a> {
    /// The failure message, when the test failed.
    pub fn failure(&self) -> Option<&'a str> {
        match &self.test.outcome {
            TestOutcome::Passed => None,
            TestOutcome::Failed { message } => Some(message),
        }
    }

    /// The thresholds it missed.
    pub fn missed(&self) -> impl Iterator<Item = &'a ThresholdResult> + use<'a> {
        self.test.thresholds.iter().filter(|r| !r.passed)
    }

    /// The metrics that regressed.
    pub fn regressions(&self) -> impl Iterator<Item = &'a TestComparison> + '_ {
        self.metrics
            .iter()
            .copied()
            .filter(|m| m.verdict == Verdict::Regressed)
    }

    /// Whether it fails the gate in this way: the rule itself.
    pub fn breaches(&self, breach: Breach) -> bool {
        match breach {
            Breach::Failed => self.failure().is_some(),
            Breach::Missed => self.missed().next().is_some(),
            Breach::Regressed => self.regressions().next().is_some(),
        }
    }

    /// Its most severe breach, else whether it improved.
    pub fn status(&self) -> Status {
        match Breach::ALL.into_iter().find(|&b| self.breaches(b)) {
            Some(breach) => Status::Fails(breach),
            None if self.metrics.iter().any(|m| m.verdict == Verdict::Improved) => Status::Improved,
            None => Status::Passed,
        }
    }
}

/// Every test of the run, in the record's order, with its metrics.
pub fn of<'a>(record: &'a RunRecord, comparison: Option<&'a Comparison>) -> Vec<GatedTest<'a>> {
    record
        .tests
        .iter()
        .map(|test| GatedTest {
            test,
            metrics: comparison
                .map(|c| c.tests.iter().filter(|m| m.id == test.id).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// What a run that reached its report came to: what its exit code is
/// decided from and its JSON summary line names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many tests ran.
    pub tests: usize,
    /// The tests that failed or panicked.
    pub failed: Vec<TestId>,
    /// The load tests that missed an SLA threshold.
    pub missed: Vec<TestId>,
    /// The tests with a metric that regressed beyond its threshold.
    pub regressed: Vec<TestId>,
    /// Reports the run could not write (each named on stderr): the gate's
    /// verdict still decides the exit code, and a run that passed it
    /// fails with 1, its reports missing.
    pub unwritten: Vec<std::path::PathBuf>,
}

impl Summary {
    /// The run's tests at the gate, each listed under every breach it has
    /// (a test that failed and regressed is in both lists).
    pub fn of(tests: &[GatedTest<'_>]) -> Self {
        let with = |breach| {
            tests
                .iter()
                .filter(|t| t.breaches(breach))
                .map(|t| t.test.id.clone())
                .collect()
        };
        Self {
            tests: tests.len(),
            failed: with(Breach::Failed),
            missed: with(Breach::Missed),
            regressed: with(Breach::Regressed),
            unwritten: Vec::new(),
        }
    }

    /// The tests with `breach`.
    pub fn with(&self, breach: Breach) -> &[TestId] {
        match breach {
            Breach::Failed => &self.failed,
            Breach::Missed => &self.missed,
            Breach::Regressed => &self.regressed,
        }
    }

    /// The most severe breach of any test: the one the exit code says.
    pub fn worst(&self) -> Option<Breach> {
        Breach::ALL.into_iter().find(|&b| !self.with(b).is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn the_severity_order_is_the_declared_one() {
        let mut sorted = Breach::ALL;
        sorted.sort();
        assert_eq!(sorted, Breach::ALL);
        assert!(Status::Fails(Breach::Regressed) < Status::Improved);
        assert!(Status::Improved < Status::Passed);
    }

    #[test]
    fn each_test_gets_its_most_severe_breach_and_the_run_every_one() {
        let (record, comparison) = (sample::record(), sample::comparison());
        let tests = of(&record, Some(&comparison));
        let statuses: Vec<Status> = tests.iter().map(GatedTest::status).collect();
        assert_eq!(
            statuses,
            [
                Status::Fails(Breach::Regressed),
                Status::Passed,
                Status::Fails(Breach::Failed),
                Status::Fails(Breach::Missed),
            ]
        );
        let summary = Summary::of(&tests);
        assert_eq!(summary.tests, 4);
        assert_eq!(summary.regressed, [record.tests[0].id.clone()]);
        assert_eq!(summary.failed, [record.tests[2].id.clone()]);
        assert_eq!(summary.missed, [record.tests[3].id.clone()]);
        assert_eq!(summary.worst(), Some(Breach::Failed));
    }

    #[test]
    fn a_test_that_failed_and_regressed_is_failed_in_its_status_and_in_the_exit_code() {
        let (mut record, comparison) = (sample::record(), sample::comparison());
        record.tests[0].outcome = TestOutcome::Failed {
            message: "timed out".to_owned(),
        };
        record.tests.truncate(1);
        let tests = of(&record, Some(&comparison));
        assert_eq!(tests[0].status(), Status::Fails(Breach::Failed));
        let summary = Summary::of(&tests);
        // Listed under both, named by the more severe.
        assert_eq!(summary.failed, summary.regressed);
        assert_eq!(summary.worst(), Some(Breach::Failed));
        let without = of(&record, None);
        assert_eq!(Summary::of(&without).regressed, Vec::<TestId>::new());
    }
}
