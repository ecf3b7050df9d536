//! A load test's failures as a count. The record keeps them as a
//! percentage of requests; merging runs, pooling rounds or discounting a
//! rate limiter's expected 429s works on whole requests, so that a run
//! without failures stays at exactly 0% (not 1.7e-15%).

use super::{LevelStats, LoadStats};

/// Failed requests of `requests`, from a rate in percent: rounded, since
/// the rate was made from a whole number.
pub fn failed_of(error_rate_pct: f64, requests: u64) -> u64 {
    (error_rate_pct / 100.0 * requests as f64).round().max(0.0) as u64
}

/// `failed` of `requests`, in percent (0 when nothing was sent).
pub fn error_rate_pct(failed: u64, requests: u64) -> f64 {
    if requests == 0 {
        0.0
    } else {
        failed as f64 / requests as f64 * 100.0
    }
}

impl LoadStats {
    /// Failed requests and checks, as a count.
    pub fn failed(&self) -> u64 {
        failed_of(self.error_rate_pct, self.requests)
    }
}

impl LevelStats {
    /// Failed requests and checks at this level, as a count.
    pub fn failed(&self) -> u64 {
        failed_of(self.error_rate_pct, self.requests)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_survives_the_round_trip_through_a_count() {
        for requests in [1u64, 3, 7, 1_000, 123_457] {
            for failed in [0, 1, requests / 3, requests] {
                let pct = error_rate_pct(failed, requests);
                assert_eq!(failed_of(pct, requests), failed, "{failed}/{requests}");
            }
        }
    }

    #[test]
    fn discounting_every_failure_leaves_exactly_zero() {
        let pct = error_rate_pct(29, 12_345);
        let left = failed_of(pct, 12_345) - 29;
        assert_eq!(error_rate_pct(left, 12_345), 0.0);
        assert_eq!(error_rate_pct(5, 0), 0.0);
    }
}
