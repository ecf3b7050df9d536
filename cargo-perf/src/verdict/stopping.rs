//! When a paired comparison has measured enough: tachometer's auto-sample
//! rule. After each look the change's interval is compared with the
//! threshold; once it lies clearly on one side of it (wholly beyond
//! +threshold: a regression the confirming re-run is to check; wholly
//! within ±threshold: nothing to report; wholly beyond −threshold: an
//! improvement), more rounds could not change the answer, and the test
//! stops. Otherwise it goes on, to the most rounds (the time limit).
//!
//! Looking again and again at an interval and stopping as soon as it
//! excludes something finds that something far more often than the
//! interval's 5% says. Two guards keep the rule honest: the looks fall
//! only where the rounds have doubled (5, 10, 20: three looks, not one per
//! round), and an early look (before the last) stops only on an interval
//! widened for the looks (Bonferroni: the 5% split over them, so that the
//! chance of any early stop on a wrong side stays within 5% in all). The
//! verdict itself is then made by the usual rule on every round measured.

use std::ops::Range;

use super::estimate::{ALPHA, ChangeEstimate};
use perf_record::distribution::t_quantile;

/// Rounds measured before the first look: fewer give the trimmed mean too
/// few rounds for an interval worth looking at.
pub(crate) const FIRST_LOOK: u32 = 5;

/// Where a comparison's rounds stop to look: each stage doubles the
/// rounds measured so far, the last ends at the most rounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Looks {
    /// The end of each stage, in rounds measured so far.
    ends: Vec<u32>,
}

impl Looks {
    /// Looks for a comparison of at most `rounds` rounds.
    pub(crate) fn new(rounds: u32) -> Self {
        let mut ends = Vec::new();
        let mut at = FIRST_LOOK;
        while at < rounds {
            ends.push(at);
            at = at.saturating_mul(2);
        }
        ends.push(rounds.max(1));
        Self { ends }
    }

    /// The rounds each stage measures, in order.
    pub(crate) fn stages(&self) -> impl Iterator<Item = Range<u32>> + '_ {
        std::iter::once(0)
            .chain(self.ends.iter().copied())
            .zip(self.ends.iter().copied())
            .map(|(start, end)| start..end)
    }

    /// How many looks in all (the last is the time limit, not an early
    /// stop).
    pub(crate) fn count(&self) -> usize {
        self.ends.len()
    }

    /// Whether the change measured so far by `ratios` (candidate over
    /// base, per round) settles the question of a threshold of
    /// `threshold_pct`: its interval, widened for the early looks, lies
    /// wholly on one side of +threshold and of −threshold.
    pub(crate) fn decided(&self, ratios: &[f64], threshold_pct: f64) -> bool {
        let Some(estimate) = ChangeEstimate::paired(ratios) else {
            return false;
        };
        // Split over every look, the last included: the trimmed mean's
        // interval over few rounds is a little too narrow, and the margin
        // keeps the early stops within the nominal rate (see the tests).
        let (low, high) = widened(&estimate, ALPHA / self.count() as f64);
        let limits = [-threshold_pct, threshold_pct];
        limits.iter().all(|&l| high < l || low > l)
    }
}

/// The interval of `estimate` at level `1 - alpha`, in percent.
fn widened(estimate: &ChangeEstimate, alpha: f64) -> (f64, f64) {
    let pct = |l: f64| (l.exp() - 1.0) * 100.0;
    let center = (estimate.change_pct / 100.0 + 1.0).ln();
    let half = t_quantile(1.0 - alpha / 2.0, estimate.df) * estimate.se_log;
    (pct(center - half), pct(center + half))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_fall_where_the_rounds_double() {
        let stages = |rounds| Looks::new(rounds).stages().collect::<Vec<_>>();
        assert_eq!(stages(20), [0..5, 5..10, 10..20]);
        assert_eq!(stages(6), [0..5, 5..6]);
        assert_eq!(stages(5).len(), 1, "one stage, to the limit");
        assert_eq!(stages(5)[0], 0..5);
        assert_eq!(stages(2)[0], 0..2);
        assert_eq!(stages(40), [0..5, 5..10, 10..20, 20..40]);
    }

    /// Round ratios around `change` (1.05: 5% slower) with a spread of
    /// `spread` on the log scale, from a fixed generator.
    struct Rounds(u64);

    impl Rounds {
        fn uniform(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let bits = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
            (bits as f64 + 0.5) / (1u64 << 53) as f64
        }

        fn ratio(&mut self, change: f64, spread: f64) -> f64 {
            let (u, v) = (self.uniform(), self.uniform());
            let normal = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
            change * (spread * normal).exp()
        }
    }

    /// The rounds a comparison of at most `rounds` measures under the
    /// rule, and whether it stopped before the last look.
    fn run(
        looks: &Looks,
        rng: &mut Rounds,
        change: f64,
        spread: f64,
        threshold: f64,
    ) -> (usize, bool) {
        let mut ratios = Vec::new();
        let last = looks.count() - 1;
        for (i, stage) in looks.stages().enumerate() {
            ratios.extend(stage.map(|_| rng.ratio(change, spread)));
            if i < last && looks.decided(&ratios, threshold) {
                return (ratios.len(), true);
            }
        }
        (ratios.len(), false)
    }

    #[test]
    fn a_clear_answer_stops_early_and_a_close_one_does_not() {
        let looks = Looks::new(20);
        let mut rng = Rounds(3);
        // A/A with 1.5% noise a round against a 5% threshold: clearly
        // within it.
        let (n, early) = run(&looks, &mut rng, 1.0, 0.015, 5.0);
        assert!(early && n <= 10, "{n}");
        // 20% slower: clearly beyond.
        let (n, early) = run(&looks, &mut rng, 1.2, 0.015, 5.0);
        assert!(early && n <= 10, "{n}");
        // 5% slower against 5%: on the line, to the time limit.
        assert_eq!(run(&looks, &mut rng, 1.05, 0.015, 5.0), (20, false));
    }

    /// The guard against repeated looks: with the true change on the
    /// threshold (where neither side is right), an early stop is a wrong
    /// decision, and it must come no more often than the nominal 5%;
    /// without the widening, three looks would make it about twice that.
    #[test]
    fn on_the_threshold_early_stops_are_no_more_frequent_than_nominal() {
        let looks = Looks::new(20);
        let mut rng = Rounds(17);
        let trials = 2000_u32;
        let early = (0..trials)
            .filter(|_| run(&looks, &mut rng, 1.05, 0.02, 5.0).1)
            .count();
        let rate = early as f64 / f64::from(trials);
        assert!(rate <= 0.05, "{:.1}% early stops", 100.0 * rate);
        // And an A/A judged against no threshold at all (any change is a
        // decision): a false "changed" at an early look no more often.
        let early = (0..trials)
            .filter(|_| run(&looks, &mut rng, 1.0, 0.02, 0.0).1)
            .count();
        let rate = early as f64 / f64::from(trials);
        assert!(rate <= 0.05, "{:.1}% early stops on an A/A", 100.0 * rate);
    }
}
