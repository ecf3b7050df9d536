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
//! widened for the looks (Bonferroni: half the 5% split over the early
//! looks, because the trimmed mean's interval over five or ten rounds is
//! a little narrower than it should be; simulated, an early stop on the
//! wrong side then comes about 3.5% of the time, and without the widening
//! about 9%). The verdict itself is then made by the usual rule on every
//! round measured.

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
        decided_at(ratios, threshold_pct, self.early_alpha())
    }

    /// The level of an early look's interval: half the 5%, split over the
    /// early looks (see the module docs).
    fn early_alpha(&self) -> f64 {
        let early_looks = self.count().saturating_sub(1).max(1);
        ALPHA / 2.0 / early_looks as f64
    }
}

/// Whether the interval of the change `ratios` measure, at level
/// `1 - alpha`, lies wholly on one side of +threshold and of −threshold.
fn decided_at(ratios: &[f64], threshold_pct: f64, alpha: f64) -> bool {
    let Some(estimate) = ChangeEstimate::paired(ratios) else {
        return false;
    };
    let (low, high) = widened(&estimate, alpha);
    let limits = [-threshold_pct, threshold_pct];
    limits.iter().all(|&l| high < l || low > l)
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
        /// A generator of its own for each seed (spread by a multiplier,
        /// so that small seeds start far apart).
        fn seeded(seed: u64) -> Self {
            Self(seed.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
        }

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

    /// The rounds a comparison of at most `rounds` measures when each
    /// round's ratio is `ratio(round)` and an early look stops on
    /// `decided`, and whether it stopped before the last look.
    fn run_with(
        looks: &Looks,
        mut ratio: impl FnMut(u32) -> f64,
        decided: impl Fn(&[f64]) -> bool,
    ) -> (usize, bool) {
        let mut ratios = Vec::new();
        let last = looks.count() - 1;
        for (i, stage) in looks.stages().enumerate() {
            ratios.extend(stage.map(&mut ratio));
            if i < last && decided(&ratios) {
                return (ratios.len(), true);
            }
        }
        (ratios.len(), false)
    }

    fn run(
        looks: &Looks,
        rng: &mut Rounds,
        change: f64,
        spread: f64,
        threshold: f64,
    ) -> (usize, bool) {
        run_with(
            looks,
            |_| rng.ratio(change, spread),
            |r| looks.decided(r, threshold),
        )
    }

    #[test]
    fn a_settling_comparison_stops_at_the_look_that_settles_it() {
        let looks = Looks::new(20);
        // Five scattered rounds (±10%: undecided against 5%), then rounds
        // that agree exactly: the trimmed mean of ten keeps only those, so
        // the look at 10 finds the change within ±5% and stops there.
        let scattered = [0.90, 1.10, 0.95, 1.05, 1.00];
        let settling = |i: u32| scattered.get(i as usize).copied().unwrap_or(1.0);
        assert!(!looks.decided(&scattered, 5.0));
        assert_eq!(
            run_with(&looks, settling, |r| looks.decided(r, 5.0)),
            (10, true)
        );
        // Slower by 5% or 15% in turn, for ever: its interval always holds
        // the +5% line, so it runs to the most rounds.
        let restless = |i: u32| if i.is_multiple_of(2) { 1.05 } else { 1.15 };
        assert_eq!(
            run_with(&looks, restless, |r| looks.decided(r, 5.0)),
            (20, false)
        );
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

    /// The share of `seeds` simulated comparisons (each from a generator of
    /// its own) that stop early under `decided`.
    fn early_stop_rate(seeds: u64, change: f64, decided: impl Fn(&[f64]) -> bool + Copy) -> f64 {
        let looks = Looks::new(20);
        let early = (0..seeds)
            .filter(|&seed| {
                let mut rng = Rounds::seeded(seed);
                run_with(&looks, |_| rng.ratio(change, 0.02), decided).1
            })
            .count();
        early as f64 / seeds as f64
    }

    /// The guard against repeated looks, over many seeds: where neither
    /// side of the threshold is right (an A/A judged against no threshold,
    /// where any decision is a false alarm; a change exactly on the
    /// threshold), an early stop is a wrong decision, and it comes no more
    /// often than the nominal 5%. The same looks without the widening
    /// stop wrongly far more often, which is what the guard is for.
    #[test]
    fn repeated_looks_keep_wrong_early_stops_within_five_percent() {
        let looks = Looks::new(20);
        let seeds = 4000;
        let a_a = early_stop_rate(seeds, 1.0, |r| looks.decided(r, 0.0));
        assert!(a_a <= 0.05, "{:.1}% early stops on an A/A", 100.0 * a_a);
        let on_the_line = early_stop_rate(seeds, 1.05, |r| looks.decided(r, 5.0));
        assert!(
            on_the_line <= 0.05,
            "{:.1}% early stops",
            100.0 * on_the_line
        );
        let unguarded = early_stop_rate(seeds, 1.0, |r| decided_at(r, 0.0, ALPHA));
        assert!(unguarded > 0.07, "{:.1}%", 100.0 * unguarded);
    }
}
