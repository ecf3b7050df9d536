//! Summary statistics of a micro-benchmark's samples.

use serde::{Deserialize, Serialize};

/// Tukey's outlier classes: beyond 1.5 IQR of the quartiles is mild,
/// beyond 3 IQR severe.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outliers {
    /// Below `Q1 - 3 IQR`.
    pub low_severe: u64,
    /// Between `Q1 - 3 IQR` and `Q1 - 1.5 IQR`.
    pub low_mild: u64,
    /// Between `Q3 + 1.5 IQR` and `Q3 + 3 IQR`.
    pub high_mild: u64,
    /// Above `Q3 + 3 IQR`.
    pub high_severe: u64,
}

impl Outliers {
    /// All outliers, mild and severe.
    pub fn total(&self) -> u64 {
        self.low_severe + self.low_mild + self.high_mild + self.high_severe
    }
}

/// Statistics of the time per iteration, in nanoseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchStats {
    /// Samples taken (rounds); each sample times a batch of iterations.
    pub rounds: u64,
    /// Iterations per sample.
    pub iterations_per_round: u64,
    /// Iterations timed in all.
    pub iterations: u64,
    /// Fastest sample.
    pub min_ns: f64,
    /// Slowest sample.
    pub max_ns: f64,
    /// Arithmetic mean.
    pub mean_ns: f64,
    /// Sample standard deviation.
    pub stddev_ns: f64,
    /// Median.
    pub median_ns: f64,
    /// First quartile.
    pub q1_ns: f64,
    /// Third quartile.
    pub q3_ns: f64,
    /// Interquartile range, `q3 - q1`.
    pub iqr_ns: f64,
    /// Lower end of the 95% confidence interval of the median.
    pub median_ci_low_ns: f64,
    /// Upper end of the 95% confidence interval of the median.
    pub median_ci_high_ns: f64,
    /// Tukey outlier counts.
    pub outliers: Outliers,
    /// Why the measurement stopped; absent from records made before
    /// benchmarks stopped on their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<crate::stop::StopReason>,
}

impl BenchStats {
    /// Computes the statistics of per-iteration times (ns), one per sample.
    ///
    /// Returns `None` when there are no samples.
    pub fn from_samples(samples: &[f64], iterations_per_round: u64) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let mean = sorted.iter().sum::<f64>() / n as f64;
        let variance = if n > 1 {
            sorted.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        let q1 = quantile(&sorted, 0.25);
        let median = quantile(&sorted, 0.5);
        let q3 = quantile(&sorted, 0.75);
        let iqr = q3 - q1;
        let mut outliers = Outliers::default();
        for &x in &sorted {
            if x < q1 - 3.0 * iqr {
                outliers.low_severe += 1;
            } else if x < q1 - 1.5 * iqr {
                outliers.low_mild += 1;
            } else if x > q3 + 3.0 * iqr {
                outliers.high_severe += 1;
            } else if x > q3 + 1.5 * iqr {
                outliers.high_mild += 1;
            }
        }
        let (ci_low, ci_high) = median_confidence_interval(&sorted);
        let rounds = n as u64;
        Some(Self {
            rounds,
            iterations_per_round,
            iterations: rounds * iterations_per_round,
            min_ns: sorted[0],
            max_ns: sorted[n - 1],
            mean_ns: mean,
            stddev_ns: variance.sqrt(),
            median_ns: median,
            q1_ns: q1,
            q3_ns: q3,
            iqr_ns: iqr,
            median_ci_low_ns: ci_low,
            median_ci_high_ns: ci_high,
            outliers,
            stopped: None,
        })
    }
}

/// A least-squares line through `(x, y)` points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// dy/dx.
    pub slope: f64,
    /// The standard error of the slope (NaN with fewer than 3 points).
    pub slope_se: f64,
    /// How many points it was fitted to.
    pub points: usize,
}

/// Fits `y = a + b x`; `None` with fewer than two points or when every x
/// is the same.
pub fn fit_line(points: &[(f64, f64)]) -> Option<Line> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = points
        .iter()
        .map(|p| (p.0 - mean_x) * (p.1 - mean_y))
        .sum::<f64>()
        / sxx;
    let residual: f64 = points
        .iter()
        .map(|p| (p.1 - mean_y - slope * (p.0 - mean_x)).powi(2))
        .sum();
    Some(Line {
        slope,
        slope_se: (residual / (n - 2.0) / sxx).sqrt(),
        points: points.len(),
    })
}

/// The `p` quantile (0..=1) of sorted data, linearly interpolated between
/// the closest ranks (Hyndman and Fan's type 7, as R and NumPy default to).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "h is within 0..n-1"
            )]
            let lower = h.floor() as usize;
            let upper = (lower + 1).min(n - 1);
            sorted[lower] + (h - lower as f64) * (sorted[upper] - sorted[lower])
        }
    }
}

/// A distribution-free 95% confidence interval for the median: the order
/// statistics whose ranks bound the binomial(n, 1/2) count of samples below
/// the true median (normal approximation). It assumes nothing about the
/// shape of the timing distribution, which is usually skewed.
pub fn median_confidence_interval(sorted: &[f64]) -> (f64, f64) {
    let n = sorted.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let half_width = 1.96 * (n as f64).sqrt() / 2.0;
    let center = n as f64 / 2.0;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 0..n before the cast"
    )]
    let (low, high) = (
        (center - half_width).floor().clamp(0.0, (n - 1) as f64) as usize,
        (center + half_width).ceil().clamp(0.0, (n - 1) as f64) as usize,
    );
    (sorted[low], sorted[high])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_written_before_benchmarks_stopped_on_their_own_still_load() {
        let mut stats = BenchStats::from_samples(&[1.0, 2.0, 3.0], 10).unwrap();
        let mut json = serde_json::to_value(&stats).unwrap();
        assert!(json.get("stopped").is_none(), "absent when unknown");
        json.as_object_mut().unwrap().remove("stopped");
        let old: BenchStats = serde_json::from_value(json).unwrap();
        assert_eq!(old.stopped, None);
        stats.stopped = Some(crate::StopReason::TargetReached);
        let json = serde_json::to_string(&stats).unwrap();
        assert!(json.contains(r#""stopped":"target_reached""#), "{json}");
        let back: BenchStats = serde_json::from_str(&json).unwrap();
        assert_eq!(back, stats);
    }

    #[test]
    fn quartiles_and_outliers() {
        let mut samples: Vec<f64> = (1..=100).map(f64::from).collect();
        samples.push(1000.0);
        let stats = BenchStats::from_samples(&samples, 10).unwrap();
        assert_eq!(stats.rounds, 101);
        assert_eq!(stats.iterations, 1010);
        assert_eq!(stats.min_ns, 1.0);
        assert_eq!(stats.max_ns, 1000.0);
        assert_eq!(stats.median_ns, 51.0);
        assert_eq!(stats.q1_ns, 26.0);
        assert_eq!(stats.q3_ns, 76.0);
        assert_eq!(stats.iqr_ns, 50.0);
        assert_eq!(stats.outliers.high_severe, 1);
        assert_eq!(stats.outliers.total(), 1);
        assert!(stats.median_ci_low_ns < 51.0 && stats.median_ci_high_ns > 51.0);
        assert!(stats.median_ci_low_ns >= 40.0 && stats.median_ci_high_ns <= 62.0);
    }

    #[test]
    fn mean_and_stddev() {
        let stats = BenchStats::from_samples(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], 1).unwrap();
        assert_eq!(stats.mean_ns, 5.0);
        assert!((stats.stddev_ns - 2.138_089_935).abs() < 1e-6);
        assert_eq!(stats.median_ns, 4.5);
    }

    #[test]
    fn degenerate_inputs() {
        assert!(BenchStats::from_samples(&[], 1).is_none());
        let one = BenchStats::from_samples(&[3.0], 1).unwrap();
        assert_eq!((one.median_ns, one.stddev_ns), (3.0, 0.0));
        assert_eq!((one.median_ci_low_ns, one.median_ci_high_ns), (3.0, 3.0));
    }
}
