//! How much a metric changed, with a confidence interval and a p-value,
//! from paired rounds (base and candidate measured alternately) or from two
//! separate runs; and Holm's correction for testing many metrics at once.
//!
//! Changes are estimated on the log scale, where a ratio of two timings
//! is a difference and a slowdown of x% and a speed-up of the same factor
//! are symmetric; they are reported back as percentages.

use perf_record::distribution::{student_t_cdf, t_quantile};
use serde::Serialize;

/// The confidence level of every interval, and the family-wise false
/// alarm rate that Holm's correction holds.
pub const ALPHA: f64 = 0.05;

/// The change of one metric from a base to a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChangeEstimate {
    /// `candidate / base - 1`, in percent.
    pub change_pct: f64,
    /// The 95% confidence interval of the change, in percent.
    pub ci_pct: [f64; 2],
    /// One-sided p-value of "the candidate is higher" (slower, for a time).
    pub p_higher: f64,
    /// One-sided p-value of "the candidate is lower".
    pub p_lower: f64,
    /// Independent measurements behind it: rounds when paired, processes
    /// when not, saved runs when the interval is the baseline history's.
    pub n: usize,
    /// Set when the interval is the spread of the baseline's saved runs
    /// (see [`super::drift`]): how many there were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_runs: Option<usize>,
    /// The degrees of freedom of the interval's standard error.
    pub df: f64,
    /// The standard error of the change on the log scale.
    #[serde(skip)]
    pub se_log: f64,
    /// Set when the change is judged relative to the machine's common
    /// change between the runs (see [`super::shift`]): that change, in
    /// percent. The estimate is then what is left of the test's change
    /// once the machine's is taken out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift_pct: Option<f64>,
}

impl ChangeEstimate {
    /// From the per-round ratios `candidate / base` of paired rounds: the
    /// 20%-trimmed mean of the log ratios with Yuen's interval, so that a
    /// round where a burst of other work hit one side only cannot sway the
    /// verdict either way.
    pub fn paired(ratios: &[f64]) -> Option<Self> {
        let logs: Vec<f64> = ratios
            .iter()
            .filter(|r| r.is_finite() && **r > 0.0)
            .map(|r| r.ln())
            .collect();
        let trimmed = Trimmed::of(logs)?;
        Some(Self::from_log(
            trimmed.mean,
            trimmed.se,
            trimmed.df,
            trimmed.n,
        ))
    }

    /// From two separate runs, each summarised as a [`Side`]: Welch's
    /// interval on the difference of their log means.
    pub fn unpaired(base: Side, candidate: Side) -> Option<Self> {
        let (vb, vc) = (base.se.powi(2), candidate.se.powi(2));
        let se = (vb + vc).sqrt();
        if !se.is_finite() {
            return None;
        }
        // Welch–Satterthwaite degrees of freedom.
        let df = if se > 0.0 {
            (vb + vc).powi(2) / (vb.powi(2) / base.df + vc.powi(2) / candidate.df)
        } else {
            f64::INFINITY
        };
        Some(Self::from_log(
            candidate.mean_log - base.mean_log,
            se,
            if df.is_finite() { df.max(1.0) } else { 1e6 },
            base.n.min(candidate.n),
        ))
    }

    /// From a difference of log means `diff`, its standard error `se` with
    /// `df` degrees of freedom, and the `n` measurements behind it.
    pub fn from_log(diff: f64, se: f64, df: f64, n: usize) -> Self {
        let pct = |l: f64| (l.exp() - 1.0) * 100.0;
        let (p_higher, p_lower, half) = if se > 0.0 {
            let t = diff / se;
            let below = student_t_cdf(t, df);
            (1.0 - below, below, t_quantile(1.0 - ALPHA / 2.0, df) * se)
        } else if diff > 0.0 {
            (0.0, 1.0, 0.0)
        } else if diff < 0.0 {
            (1.0, 0.0, 0.0)
        } else {
            (0.5, 0.5, 0.0)
        };
        Self {
            change_pct: pct(diff),
            ci_pct: [pct(diff - half), pct(diff + half)],
            p_higher,
            p_lower,
            n,
            history_runs: None,
            df,
            se_log: se,
            shift_pct: None,
        }
    }

    /// Half the interval's width, in percent: the smallest change this
    /// measurement can tell from noise.
    pub fn noise_pct(&self) -> f64 {
        (self.ci_pct[1] - self.ci_pct[0]) / 2.0
    }
}

/// One side of an unpaired comparison, on the log scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    /// Mean of the log values.
    pub mean_log: f64,
    /// Its standard error.
    pub se: f64,
    /// Degrees of freedom of `se`.
    pub df: f64,
    /// Values behind it.
    pub n: usize,
}

impl Side {
    /// From the medians of the processes that measured a test, never
    /// tighter than the pooled median's own interval `ci`. A single process
    /// says nothing of the spread between processes, the larger part of
    /// the noise: it gives no side (the threshold alone then decides).
    pub fn from_medians(medians: &[f64], ci: [f64; 2]) -> Option<Self> {
        let logs: Vec<f64> = medians
            .iter()
            .filter(|m| **m > 0.0)
            .map(|m| m.ln())
            .collect();
        let trimmed = Trimmed::of(logs)?;
        // The processes' spread, but never less than the pooled median's
        // own sampling error.
        Some(Self {
            mean_log: trimmed.mean,
            se: trimmed.se.max(ci_se(ci)),
            df: trimmed.df,
            n: trimmed.n,
        })
    }
}

/// The location of log values that one wild value cannot sway, with its
/// standard error: from five values on, the 20%-trimmed mean with Yuen's
/// winsorised standard error (a round where a burst of other work hit one
/// side, a process whose memory layout fell badly: trimmed, and the
/// interval widened only by its share); below five, the plain mean and
/// standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Trimmed {
    mean: f64,
    se: f64,
    df: f64,
    n: usize,
}

impl Trimmed {
    /// `None` for fewer than two values: one says nothing of the spread.
    fn of(mut logs: Vec<f64>) -> Option<Self> {
        if logs.len() < 2 {
            return None;
        }
        logs.sort_by(f64::total_cmp);
        let n = logs.len();
        // Trim 20% from each end once there are enough values to spare.
        let g = if n >= 5 { n / 5 } else { 0 };
        let kept = &logs[g..n - g];
        let h = kept.len() as f64;
        let mean = kept.iter().sum::<f64>() / h;
        // Winsorised variance: the trimmed values replaced by the nearest
        // kept ones.
        let (low, high) = (kept[0], kept[kept.len() - 1]);
        let winsorised: Vec<f64> = logs.iter().map(|l| l.clamp(low, high)).collect();
        let w_mean = winsorised.iter().sum::<f64>() / n as f64;
        let w_var = winsorised.iter().map(|l| (l - w_mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        let se = w_var.sqrt() / (h / n as f64) / (n as f64).sqrt();
        Some(Self {
            mean,
            se,
            df: h - 1.0,
            n,
        })
    }
}

/// The change from one process's median `single` (a `--quick` baseline)
/// to several processes' `medians` (a confirming re-run). One process says
/// nothing of the spread between processes, but the several do: assuming
/// both sides' processes spread alike (the same code, laid out afresh in
/// each process), the one is a single draw from that spread, so the
/// difference of the log of `single` and the mean of the others' logs has
/// a standard error of s·√(1 + 1/n), with n − 1 degrees of freedom (a
/// prediction interval). `None` with fewer than three processes, where
/// the spread is not yet measured.
pub fn against_one(single: f64, medians: &[f64], ci: [f64; 2]) -> Option<ChangeEstimate> {
    let logs: Vec<f64> = medians
        .iter()
        .filter(|m| **m > 0.0)
        .map(|m| m.ln())
        .collect();
    if logs.len() < 3 || single.is_nan() || single <= 0.0 {
        return None;
    }
    let n = logs.len() as f64;
    let mean = logs.iter().sum::<f64>() / n;
    let var = logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var * (1.0 + 1.0 / n)).sqrt().max(ci_se(ci));
    Some(ChangeEstimate::from_log(
        mean - single.ln(),
        se,
        n - 1.0,
        logs.len() + 1,
    ))
}

/// The standard error on the log scale that a 95% interval implies.
fn ci_se([low, high]: [f64; 2]) -> f64 {
    if low > 0.0 && high >= low {
        (high.ln() - low.ln()) / (2.0 * 1.96)
    } else {
        0.0
    }
}

/// Holm's step-down procedure: which of `p_values` are significant with a
/// family-wise error rate of `alpha`.
pub fn holm(p_values: &[f64], alpha: f64) -> Vec<bool> {
    let mut order: Vec<usize> = (0..p_values.len()).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let m = p_values.len();
    let mut significant = vec![false; m];
    for (rank, &index) in order.iter().enumerate() {
        if p_values[index] <= alpha / (m - rank) as f64 {
            significant[index] = true;
        } else {
            break;
        }
    }
    significant
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn paired_ratios_give_a_change_and_its_interval() {
        let slower = [1.10, 1.12, 1.09, 1.11, 1.10, 1.08, 1.11, 1.10];
        let estimate = ChangeEstimate::paired(&slower).unwrap();
        assert!(close(estimate.change_pct, 10.1, 0.3), "{estimate:?}");
        assert!(
            estimate.ci_pct[0] > 8.0 && estimate.ci_pct[1] < 12.0,
            "{estimate:?}"
        );
        assert!(estimate.p_higher < 1e-6, "{estimate:?}");
        // One round where the base was hit by other work does not hide a
        // real slowdown.
        let burst = [1.10, 1.12, 1.09, 1.11, 0.70, 1.08, 1.11, 1.10, 1.09, 1.10];
        let estimate = ChangeEstimate::paired(&burst).unwrap();
        assert!(estimate.ci_pct[0] > 7.0, "{estimate:?}");
        let noise = [1.03, 0.97, 1.01, 0.99, 1.02, 0.98];
        let estimate = ChangeEstimate::paired(&noise).unwrap();
        assert!(estimate.ci_pct[0] < 0.0 && estimate.ci_pct[1] > 0.0);
        assert!(estimate.p_higher > 0.2 && estimate.p_lower > 0.2);
        assert!(ChangeEstimate::paired(&[1.0]).is_none());
    }

    #[test]
    fn separate_runs_compare_their_process_medians() {
        let base = Side::from_medians(&[100.0, 102.0, 98.0], [99.0, 101.0]).unwrap();
        let same = Side::from_medians(&[101.0, 99.0, 100.0], [99.0, 101.0]).unwrap();
        let slow = Side::from_medians(&[150.0, 151.0, 149.0], [149.0, 151.0]).unwrap();
        let unchanged = ChangeEstimate::unpaired(base, same).unwrap();
        assert!(unchanged.p_higher > 0.1, "{unchanged:?}");
        let slower = ChangeEstimate::unpaired(base, slow).unwrap();
        assert!(close(slower.change_pct, 50.0, 1.0), "{slower:?}");
        assert!(slower.p_higher < 0.01, "{slower:?}");
        assert!(Side::from_medians(&[100.0], [99.0, 101.0]).is_none());
    }

    #[test]
    fn one_wild_process_of_five_or_more_is_trimmed() {
        let ci = [0.0, 0.0];
        let base = Side::from_medians(&[49.0, 50.0, 51.0, 49.5, 50.5, 50.0], ci).unwrap();
        // A doubling, one of whose processes' layout fell badly (110 µs
        // where the others took 100): still a clear doubling.
        let wild = Side::from_medians(&[100.0, 101.0, 99.0, 100.5, 220.0, 99.5], ci).unwrap();
        let doubled = ChangeEstimate::unpaired(base, wild).unwrap();
        assert!(close(doubled.change_pct, 100.0, 2.0), "{doubled:?}");
        assert!(doubled.ci_pct[0] > 90.0, "{doubled:?}");
        // Untrimmed, the wild process would have made it anything from
        // about +40% to +200%.
        let logs: Vec<f64> = [100.0f64, 101.0, 99.0, 100.5, 220.0, 99.5]
            .iter()
            .map(|v| v.ln())
            .collect();
        let mean = logs.iter().sum::<f64>() / 6.0;
        let sd = (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / 5.0).sqrt();
        assert!(sd / 6f64.sqrt() > 5.0 * wild.se, "{sd} {wild:?}");
        // Fewer than five: the plain mean, as before.
        let three = Side::from_medians(&[100.0, 102.0, 98.0], ci).unwrap();
        assert!(close(three.mean_log.exp(), 99.99, 0.05), "{three:?}");
        assert_eq!(three.df, 2.0);
    }

    #[test]
    fn one_process_against_several_is_a_prediction_interval() {
        let ci = [0.0, 0.0];
        // A real doubling, measured alike in three fresh processes: real.
        let doubled = against_one(100.0, &[200.0, 201.0, 199.0], ci).unwrap();
        assert!(close(doubled.change_pct, 100.0, 1.0), "{doubled:?}");
        assert!(doubled.p_higher < 0.01, "{doubled:?}");
        // A baseline process that fell fast, against processes whose
        // layouts spread 172..258 µs: no telling, whatever the centre.
        let layout = against_one(172.0, &[174.0, 258.0, 260.0], ci).unwrap();
        assert!(layout.ci_pct[0] < 0.0, "{layout:?}");
        // Two processes do not measure a spread yet.
        assert!(against_one(100.0, &[150.0, 151.0], ci).is_none());
    }

    #[test]
    fn holm_steps_down() {
        assert_eq!(holm(&[0.01, 0.04, 0.03], 0.05), [true, false, false]);
        assert_eq!(holm(&[0.001, 0.02, 0.04], 0.05), [true, true, true]);
        assert_eq!(holm(&[0.2], 0.05), [false]);
        assert!(holm(&[], 0.05).is_empty());
    }
}
