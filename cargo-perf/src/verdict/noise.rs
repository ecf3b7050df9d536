//! Why a comparison could not judge some metrics: their noise, or the
//! drift between separate load runs, is as wide as their threshold.

use std::fmt;

use perf_record::TestId;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A comparison's warning that a metric's verdict cannot be trusted to
/// catch a change of its threshold's size. In JSON: `{code, …figures,
/// message}`.
#[derive(Debug, Clone, PartialEq)]
pub enum NoiseWarning {
    /// The metric's interval is as wide as its threshold (code
    /// `noisier_than_threshold`).
    NoisierThanThreshold {
        /// The test.
        id: TestId,
        /// The metric.
        metric: perf_record::metric::Metric,
        /// Its noise: the interval's half-width, percent.
        noise_pct: f64,
        /// Its threshold, percent.
        threshold_pct: f64,
        /// Whether it can fall back on instruction counts (a benchmark's
        /// median); a load test's figures steady only when both sides run
        /// alike.
        instructions_help: bool,
    },
    /// Load tests one run a side whose change is shown, not gated (code
    /// `load_run_drift`).
    LoadRunDrift {
        /// Each as `test metric`.
        metrics: Vec<String>,
    },
}

impl NoiseWarning {
    /// Its stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoisierThanThreshold { .. } => "noisier_than_threshold",
            Self::LoadRunDrift { .. } => "load_run_drift",
        }
    }

    /// Whether instruction counts are the way out (a benchmark's median),
    /// rather than measuring both sides alike (a load test).
    pub fn instructions_help(&self) -> bool {
        match self {
            Self::NoisierThanThreshold {
                instructions_help, ..
            } => *instructions_help,
            Self::LoadRunDrift { .. } => false,
        }
    }
}

impl fmt::Display for NoiseWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoisierThanThreshold {
                id,
                metric,
                noise_pct,
                threshold_pct,
                instructions_help,
            } => {
                let fix = if *instructions_help {
                    "raise it, measure longer, or count instructions (--instructions)"
                } else {
                    "raise it, run longer, or compare with --compare-ref REV (paired rounds)"
                };
                write!(
                    f,
                    "{id} {metric}: noise ±{noise_pct:.1}%: a {threshold_pct}% threshold cannot be checked \
                     here; {fix}"
                )
            }
            Self::LoadRunDrift { metrics } => write!(
                f,
                "{}: a load test's latency and throughput (and latency ratios such as a cache's speedup), one \
                 run a side, cannot be told from the drift between separate runs (p95 moved by up to ±60% \
                 between unchanged runs on a shared 2-core machine); the change is shown, not gated. Gate \
                 load tests with --compare-ref REV (paired rounds), or with SLA thresholds",
                metrics.join(", ")
            ),
        }
    }
}

impl Serialize for NoiseWarning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let message = self.to_string();
        match self {
            Self::NoisierThanThreshold {
                id,
                metric,
                noise_pct,
                threshold_pct,
                ..
            } => {
                let mut out = serializer.serialize_struct("NoiseWarning", 6)?;
                out.serialize_field("code", self.code())?;
                out.serialize_field("id", id)?;
                out.serialize_field("metric", metric)?;
                out.serialize_field("noise_pct", noise_pct)?;
                out.serialize_field("threshold_pct", threshold_pct)?;
                out.serialize_field("message", &message)?;
                out.end()
            }
            Self::LoadRunDrift { metrics } => {
                let mut out = serializer.serialize_struct("NoiseWarning", 3)?;
                out.serialize_field("code", self.code())?;
                out.serialize_field("metrics", metrics)?;
                out.serialize_field("message", &message)?;
                out.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_noise_warning_is_its_code_its_figures_and_its_words() {
        let warning = NoiseWarning::NoisierThanThreshold {
            id: TestId {
                package: "demo".into(),
                target: "perf".into(),
                name: "checksum".into(),
            },
            metric: perf_record::metric::Metric::MEDIAN,
            noise_pct: 12.04,
            threshold_pct: 10.0,
            instructions_help: true,
        };
        let json = serde_json::to_value(&warning).unwrap();
        assert_eq!(json["code"], "noisier_than_threshold");
        assert_eq!(json["metric"], perf_record::metric::Metric::MEDIAN.key);
        assert_eq!(
            json["message"],
            "demo/perf::checksum median_ns: noise ±12.0%: a 10% threshold cannot be checked here; raise it, \
             measure longer, or count instructions (--instructions)"
        );
        let drift = NoiseWarning::LoadRunDrift {
            metrics: vec!["demo/load::browse p95_us".into()],
        };
        let json = serde_json::to_value(&drift).unwrap();
        assert_eq!(json["code"], "load_run_drift");
        assert_eq!(json["message"], drift.to_string());
        assert!(!drift.instructions_help());
    }
}
