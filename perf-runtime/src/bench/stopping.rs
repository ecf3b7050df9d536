//! When a benchmark process has measured enough: its median's 95%
//! interval is narrower than a target, a fraction of the test's threshold.
//! The interval is looked at only when the number of samples has doubled
//! since the last look (10, 20, 40, ...), so that a run of lucky samples
//! gets few chances to stop it early: a handful of looks in all, instead
//! of one after every sample, keeps the final interval's coverage near its
//! nominal 95% (see the simulation below).

use perf_record::StopReason;
use perf_record::stats::{median_confidence_interval, quantile};

/// The target, as a fraction of the test's threshold: a median known to
/// within a tenth of the threshold leaves the spread between processes,
/// not the samples of one, to decide how closely a change can be told.
pub(crate) const TARGET_FRACTION_OF_THRESHOLD: f64 = 0.1;

/// The stopping rule of one process's samples.
#[derive(Debug, Clone)]
pub(crate) struct Stopping {
    /// The target half-width of the median's interval, relative to the
    /// median; `None` measures until the time budget is spent.
    target: Option<f64>,
    /// Samples at the next look.
    next_look: usize,
}

impl Stopping {
    /// A rule aiming for a half-width of `target` (relative to the median),
    /// first looking at `first_look` samples.
    pub(crate) fn new(target: Option<f64>, first_look: usize) -> Self {
        Self {
            target: target.filter(|t| t.is_finite() && *t > 0.0),
            next_look: first_look.max(2),
        }
    }

    /// The target for a test whose regressions are judged against
    /// `threshold_pct`.
    pub(crate) fn target_for(threshold_pct: f64) -> Option<f64> {
        (threshold_pct.is_finite() && threshold_pct > 0.0)
            .then(|| threshold_pct / 100.0 * TARGET_FRACTION_OF_THRESHOLD)
    }

    /// Called after each sample: whether the question is answered now.
    /// Only at a look (the count of samples doubled) is the interval
    /// computed.
    pub(crate) fn check(&mut self, samples_ns: &[f64]) -> Option<StopReason> {
        let target = self.target?;
        if samples_ns.len() < self.next_look {
            return None;
        }
        self.next_look = samples_ns.len().saturating_mul(2);
        (relative_half_width(samples_ns) <= target).then_some(StopReason::TargetReached)
    }
}

/// Half the width of the median's distribution-free 95% interval, over the
/// median.
pub(crate) fn relative_half_width(samples_ns: &[f64]) -> f64 {
    let mut sorted = samples_ns.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = quantile(&sorted, 0.5);
    let (low, high) = median_confidence_interval(&sorted);
    if median > 0.0 {
        (high - low) / 2.0 / median
    } else {
        f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift64*), for simulations that
    /// give the same answer on every run.
    struct Rng(u64);

    impl Rng {
        fn uniform(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let bits = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
            (bits as f64 + 0.5) / (1u64 << 53) as f64
        }

        /// A skewed timing: log-normal with a 2% spread, and now and then
        /// an interrupted sample 30% slower.
        fn timing(&mut self) -> f64 {
            let (u, v) = (self.uniform(), self.uniform());
            let normal = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
            let slow = if self.uniform() < 0.05 { 1.3 } else { 1.0 };
            1000.0 * (0.02 * normal).exp() * slow
        }
    }

    fn run(rule: &mut Stopping, rng: &mut Rng, max: usize) -> (Vec<f64>, Option<StopReason>) {
        let mut samples = Vec::new();
        while samples.len() < max {
            samples.push(rng.timing());
            if let Some(reason) = rule.check(&samples) {
                return (samples, Some(reason));
            }
        }
        (samples, None)
    }

    #[test]
    fn looks_only_at_doublings() {
        let mut rule = Stopping::new(Some(1e-9), 10);
        let samples: Vec<f64> = (0..100).map(|i| 1000.0 + f64::from(i)).collect();
        let looks: Vec<usize> = (1..=100)
            .filter(|&n| {
                let before = rule.next_look;
                let _ = rule.check(&samples[..n]);
                rule.next_look != before
            })
            .collect();
        assert_eq!(looks, [10, 20, 40, 80]);
    }

    /// Twenty scattered samples (ten at 900 ns, ten at 1100 ns, in turn),
    /// then samples that all agree (1000 ns, a tenth of a nanosecond
    /// apart): the interval is wide at the looks at 10 and 20 samples and
    /// narrow from 34 on, so the rule stops at the next look, 40.
    fn settling(n: usize) -> f64 {
        match n {
            0..20 if n.is_multiple_of(2) => 900.0,
            0..20 => 1100.0,
            _ => 1000.0 + 0.1 * (n % 7) as f64,
        }
    }

    #[test]
    fn a_settling_sequence_stops_at_the_first_look_that_finds_it_narrow() {
        let mut rule = Stopping::new(Some(0.005), 10);
        let mut samples = Vec::new();
        let mut stopped = None;
        while stopped.is_none() && samples.len() < 1000 {
            samples.push(settling(samples.len()));
            stopped = rule.check(&samples);
        }
        assert_eq!(
            (samples.len(), stopped),
            (40, Some(StopReason::TargetReached))
        );
        // Narrow already at 34 samples, where a rule that looked after
        // every sample would have stopped; wide at the looks before.
        let narrow_from = (2..=40)
            .rev()
            .take_while(|&n| relative_half_width(&samples[..n]) <= 0.005)
            .last();
        assert_eq!(narrow_from, Some(34));
        assert!(relative_half_width(&samples[..20]) > 0.05);
    }

    #[test]
    fn a_sequence_that_never_settles_runs_to_the_limit() {
        // Every other sample 20% slower: the median's interval never
        // narrows below ±10%.
        let mut rule = Stopping::new(Some(0.005), 10);
        let mut samples = Vec::new();
        for n in 0..2000_u32 {
            samples.push(if n.is_multiple_of(2) { 900.0 } else { 1100.0 });
            assert_eq!(rule.check(&samples), None, "stopped at {}", samples.len());
        }
        // No target: nothing stops it either, whatever the samples.
        let mut rule = Stopping::new(None, 10);
        let alike = [1000.0; 100];
        assert!((1..=100).all(|n| rule.check(&alike[..n]).is_none()));
    }

    #[test]
    fn a_noisy_run_stops_once_its_interval_is_narrow_enough() {
        let mut rng = Rng(7);
        // 2% spread: the median's half-width is about 0.5% after some 40
        // samples, so a 0.5% target stops at 40 or 80, a 0.05% one never.
        let (samples, reason) = run(&mut Stopping::new(Some(0.005), 10), &mut rng, 1000);
        assert_eq!(reason, Some(StopReason::TargetReached));
        assert!((40..=160).contains(&samples.len()), "{}", samples.len());
        assert!(relative_half_width(&samples) <= 0.005);
        let (samples, reason) = run(&mut Stopping::new(Some(0.0005), 10), &mut rng, 300);
        assert_eq!((samples.len(), reason), (300, None));
    }

    #[test]
    fn the_target_is_a_tenth_of_the_threshold() {
        let target = Stopping::target_for(5.0).unwrap();
        assert!((target - 0.005).abs() < 1e-12, "{target}");
        assert_eq!(Stopping::target_for(0.0), None);
        assert_eq!(Stopping::target_for(f64::NAN), None);
    }

    /// Stopping when the interval is narrow must not leave intervals that
    /// miss the true median much more often than the nominal 5%: a rule
    /// that looked after every sample would stop on a lucky streak of
    /// alike samples, whose interval is too narrow (that rule, simulated
    /// alike, misses about 8% of the time; looking at doublings, about 5%).
    #[test]
    fn stopped_intervals_keep_their_coverage() {
        // The true median of the simulated timings, from a large sample.
        let mut rng = Rng(11);
        let mut big: Vec<f64> = (0..400_000).map(|_| rng.timing()).collect();
        big.sort_by(f64::total_cmp);
        let truth = quantile(&big, 0.5);
        let trials = 2000_u32;
        let miss_rate = |rng: &mut Rng, every_sample: bool| {
            let (mut missed, mut early) = (0_u32, 0_u32);
            for _ in 0..trials {
                let mut rule = Stopping::new(Some(0.006), 10);
                let mut samples = Vec::new();
                let mut stopped = None;
                while stopped.is_none() && samples.len() < 320 {
                    samples.push(rng.timing());
                    if every_sample && samples.len() >= 10 {
                        rule.next_look = samples.len();
                    }
                    stopped = rule.check(&samples);
                }
                early += u32::from(stopped.is_some() && samples.len() <= 160);
                samples.sort_by(f64::total_cmp);
                let (low, high) = median_confidence_interval(&samples);
                missed += u32::from(truth < low || truth > high);
            }
            assert!(early > trials * 9 / 10, "the rule must stop early: {early}");
            f64::from(missed) / f64::from(trials)
        };
        let at_doublings = miss_rate(&mut rng, false);
        assert!(
            at_doublings <= 0.06,
            "coverage {:.1}% below 94%",
            100.0 * (1.0 - at_doublings)
        );
        // The guard matters: without it the same simulation misses more.
        let every_sample = miss_rate(&mut rng, true);
        assert!(every_sample > 0.06, "{every_sample}");
    }
}
