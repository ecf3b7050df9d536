//! The random draws that turn what one invocation would fix for all its
//! processes into variation between them, which the statistics can see.
//!
//! Whatever every process of a run shares biases all of them alike: the
//! size of the environment (where the stack starts and how it is aligned),
//! the order the processes run in, the state the machine was in while a
//! test's processes ran back to back. A run that fixes them all measures
//! one draw of that bias, and its interval, however narrow, describes that
//! one invocation (Mytkowicz et al., ASPLOS 2009; Curtsinger and Berger,
//! "Stabilizer", ASPLOS 2013). Drawing them afresh for every process makes
//! the bias a part of the spread between processes, the unit the
//! intervals are computed from.

use super::side::Side;

use perf_record::protocol::MAX_PAD;

/// A run's source of random draws.
pub(crate) struct Draw {
    rng: fastrand::Rng,
}

impl Draw {
    /// Seeded from the operating system's randomness: every run, and every
    /// confirming re-run, draws afresh.
    pub(crate) fn fresh() -> Self {
        Self {
            rng: fastrand::Rng::new(),
        }
    }

    /// Seeded, for tests that check a schedule's shape.
    #[cfg(test)]
    pub(crate) fn seeded(seed: u64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// The length of one process's padding (see
    /// [`perf_record::protocol::env::PAD`]).
    pub(crate) fn pad(&mut self) -> u16 {
        self.rng.u16(0..MAX_PAD)
    }

    /// Puts `items` in a random order.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        self.rng.shuffle(items);
    }

    /// The order of the two sides in each of `rounds` paired rounds: base
    /// first in half of them, candidate first in the other half, which half
    /// drawn at random. Balanced, so that neither side more often runs on a
    /// machine the other just warmed; random, so that the order carries no
    /// pattern a periodic disturbance could line up with.
    /// With an odd number of rounds, the odd one's order is a coin's toss.
    pub(crate) fn side_orders(&mut self, rounds: usize) -> Vec<[Side; 2]> {
        let odd = self.rng.bool();
        let mut orders: Vec<[Side; 2]> = (0..rounds)
            .map(|round| {
                if round.is_multiple_of(2) == odd {
                    [Side::Base, Side::Candidate]
                } else {
                    [Side::Candidate, Side::Base]
                }
            })
            .collect();
        self.shuffle(&mut orders);
        orders
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_orders_are_balanced_and_vary_between_draws() {
        let mut draw = Draw::seeded(7);
        let first = draw.side_orders(20);
        let base_first = first.iter().filter(|o| o[0] == Side::Base).count();
        assert_eq!(base_first, 10);
        assert!(first.iter().all(|o| o[0] != o[1]));
        let second = draw.side_orders(20);
        assert_ne!(first, second, "two draws gave the same order");
        assert_eq!(draw.side_orders(3).len(), 3);
        // A single round (a whole run) goes either way.
        let firsts: std::collections::BTreeSet<bool> = (0..50)
            .map(|_| draw.side_orders(1)[0][0] == Side::Base)
            .collect();
        assert_eq!(firsts.len(), 2);
    }

    #[test]
    fn pads_cover_a_page() {
        let mut draw = Draw::seeded(1);
        let pads: Vec<u16> = (0..2000).map(|_| draw.pad()).collect();
        assert!(pads.iter().all(|&p| p < MAX_PAD));
        // Both halves of the page are drawn, not one length over and over.
        assert!(pads.iter().any(|&p| p < MAX_PAD / 2));
        assert!(pads.iter().any(|&p| p >= MAX_PAD / 2));
        let distinct: std::collections::BTreeSet<u16> = pads.iter().copied().collect();
        assert!(distinct.len() > 1000, "{}", distinct.len());
    }
}
