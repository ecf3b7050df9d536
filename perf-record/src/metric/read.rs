//! Reading a metric's value from a test's record or a load test's stats.

use super::handle::Metric;
use super::spec::Source;
use crate::load::{LoadStats, ProcessFigures};
use crate::record::TestRecord;

/// A metric's value in one run, and its interval when it has one.
pub type Reading = (f64, Option<[f64; 2]>);

impl Metric {
    /// Its value in a load test's stats (`None`: a benchmark's metric, or
    /// a kind's figure these stats do not hold).
    pub fn read_load(self, stats: &LoadStats) -> Option<f64> {
        let l = &stats.latency;
        Some(match self.source {
            Source::Median | Source::Instructions => return None,
            Source::P50 => l.p50_us as f64,
            Source::P90 => l.p90_us as f64,
            Source::P95 => l.p95_us as f64,
            Source::P99 => l.p99_us as f64,
            Source::P999 => l.p999_us as f64,
            Source::Mean => l.mean_us,
            Source::Max => l.max_us as f64,
            Source::Throughput => stats.rps,
            Source::ErrorRate => stats.error_rate_pct,
            Source::Received => stats.transfer.received_per_s,
            Source::Sent => stats.transfer.sent_per_s,
            Source::Figure => return stats.sweep.as_ref()?.metrics.get(self.key).copied(),
        })
    }

    /// Its 95% interval in a load test's stats, `[low, high]`, where its
    /// kind's analysis keeps one beside it ([`MetricSpec::interval`]).
    ///
    /// [`MetricSpec::interval`]: super::MetricSpec::interval
    pub fn read_interval(self, stats: &LoadStats) -> Option<[f64; 2]> {
        let [low, high] = self.interval?;
        let metrics = &stats.sweep.as_ref()?.metrics;
        Some([*metrics.get(low)?, *metrics.get(high)?])
    }

    /// Its value in one process of a load test, where each process keeps
    /// it (p95, p99 and throughput).
    pub fn read_process(self, process: &ProcessFigures) -> Option<f64> {
        Some(match self.source {
            Source::P95 => process.p95_us as f64,
            Source::P99 => process.p99_us as f64,
            Source::Throughput => process.rps,
            _ => return None,
        })
    }

    /// Whether its interval in a [`Reading`] is a confidence interval
    /// (each run's own noise) rather than the range of its processes.
    pub fn interval_is_ci(self) -> bool {
        self.source == Source::Median
    }

    /// Its value in a test's record, with the median's confidence interval
    /// or the range across a load test's processes (when it ran in
    /// several and they keep it).
    pub fn read(self, record: &TestRecord) -> Option<Reading> {
        match self.source {
            Source::Median => {
                let s = record.stats.as_ref()?;
                Some((s.median_ns, Some([s.median_ci_low_ns, s.median_ci_high_ns])))
            }
            Source::Instructions => Some((record.instructions.as_ref()?.per_iteration, None)),
            _ => {
                let load = record.load.as_ref()?;
                Some((self.read_load(load)?, self.range(load)))
            }
        }
    }

    /// The range of the metric across a load test's processes, when it
    /// ran in several and they keep it.
    fn range(self, load: &LoadStats) -> Option<[f64; 2]> {
        if load.processes.len() < 2 {
            return None;
        }
        let values: Vec<f64> = load
            .processes
            .iter()
            .map(|p| self.read_process(p))
            .collect::<Option<_>>()?;
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some([low, high])
    }
}
