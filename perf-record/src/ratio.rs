//! How many times slower one set of latencies is than another, read from
//! the whole of both rather than from one percentile of each.
//!
//! # The estimate
//!
//! Hodges and Lehmann's for the shift of the log-latencies: the median,
//! over every pair of one request from each side, of how many times
//! slower the first was. A ratio of medians (or of any percentile) flips
//! between the modes of a bimodal server (half its responses stalled
//! 40 ms) and reads 90x one run and 0.03x the next; the median over pairs
//! stays where most pairs are. Under a pure scale change (each warm
//! latency the cold one over `s`, the log-latencies shifted by `ln s`) it
//! estimates `s` itself, and it keeps about 95% of the efficiency of a
//! mean's difference on normal data while ignoring stragglers.
//!
//! # The interval
//!
//! Lehmann's 95% interval, from the ranks of the Mann–Whitney statistic:
//! the `r`-th smallest and the `r`-th largest of the pairs' log-ratios,
//! with `r` the rank the statistic's normal approximation puts 1.96
//! standard deviations below the middle (`mn/2 - 1.96 sqrt(mn(m+n+1)/12)`).
//! It assumes no shape of distribution, only that the requests of each
//! side are independent draws: a machine that drifts between the two
//! sides moves the ratio by the drift, which the interval does not know
//! of. With fewer than about five requests a side there is no such rank,
//! and no interval. Ties would narrow the variance; leaving that out keeps
//! the interval a little wide, never too narrow.
//!
//! # Bounded for any number of requests
//!
//! Both sides come as histograms (HDR buckets): the pairs are counted,
//! never listed. The `k`-th smallest log-ratio is found by bisection on
//! its value, each step counting the pairs at most a candidate in one
//! merge-like pass over the two sorted sides. 150,000 requests a side are
//! 2.25e10 pairs, and cost what their buckets cost: a few thousand
//! points, about a hundred passes.
//!
//! A bucket holds requests anywhere between its bounds (a 1 µs bucket at
//! 13 µs is 8% wide). Its requests are spread evenly over its width in
//! log, in at most [`SPREAD`] points: read at one value, thousands of
//! requests in one bucket would tie, and the interval of two equal
//! servers would collapse onto the tie (`1.000x .. 1.000x`), a precision
//! the histogram does not have. Spread evenly, a bucket's requests miss
//! the slope of the distribution inside it: over 150,000 requests a side
//! in 1 µs buckets at 7 and 13 µs, a true 2x reads 2.007x (2.003x ..
//! 2.011x), off by a fraction of a percent where the buckets are 8% to
//! 15% wide.

/// Latencies as a histogram: `(lowest, highest, requests)`, each bucket's
/// requests somewhere between its two latencies (equal for an exact one).
pub type Buckets = [(f64, f64, u64)];

/// The most points a bucket's requests are spread over.
pub const SPREAD: u64 = 32;

/// The share of pairs in which one side must be the slower for the two to
/// count as apart: Vargha and Delaney's "medium" effect (A = 0.64). Under
/// it the two overlap so much that a ratio of their percentiles depends on
/// which mode each side happened to land in; the median over the pairs
/// stays near 1, and is reported as such, with a word that the two cannot
/// be told apart.
pub const APART_SHARE: f64 = 0.64;

/// The normal quantile of a two-sided 95% interval.
const Z_95: f64 = 1.959_964;

/// How many times slower the first side is than the second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyRatio {
    /// The median ratio over every pair (Hodges–Lehmann).
    pub estimate: f64,
    /// Its 95% interval, `(low, high)`; `None` with too few requests for
    /// one (fewer than about five a side).
    pub interval: Option<(f64, f64)>,
    /// The share of pairs in which the first request was the slower, a
    /// tie counting half: 0.5 when neither side tends to be slower.
    pub slower_share: f64,
    /// The requests of each side.
    pub counts: (u64, u64),
}

/// Why two sets of latencies cannot be told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inseparable {
    /// Too few requests for an interval.
    TooFew,
    /// The 95% interval of the ratio holds 1.
    IntervalHoldsOne,
    /// Neither side is the slower in [`APART_SHARE`] of the pairs.
    Overlap,
}

impl LatencyRatio {
    /// Why the two sides cannot be told apart; `None` when they can.
    pub fn inseparable(&self) -> Option<Inseparable> {
        let Some((low, high)) = self.interval else {
            return Some(Inseparable::TooFew);
        };
        if low <= 1.0 && high >= 1.0 {
            return Some(Inseparable::IntervalHoldsOne);
        }
        if (1.0 - APART_SHARE..APART_SHARE).contains(&self.slower_share) {
            return Some(Inseparable::Overlap);
        }
        None
    }
}

/// How many times slower `first` is than `second`; `None` when either has
/// no positive latency.
pub fn latency_ratio(first: &Buckets, second: &Buckets) -> Option<LatencyRatio> {
    let pairs = Pairs::new(first, second)?;
    let total = pairs.total;
    let estimate = if total % 2 == 0 {
        f64::midpoint(pairs.kth(total / 2), pairs.kth(total / 2 + 1))
    } else {
        pairs.kth(total.div_ceil(2))
    };
    let (m, n) = (pairs.first_count as f64, pairs.second_count as f64);
    let spread = Z_95 * (m * n * (m + n + 1.0) / 12.0).sqrt();
    let lowest_rank = (total as f64 / 2.0 - spread).floor();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "at least 1 and at most the pairs, checked before the cast"
    )]
    let interval = (lowest_rank >= 1.0).then(|| {
        let rank = lowest_rank as u128;
        (pairs.kth(rank).exp(), pairs.kth(total + 1 - rank).exp())
    });
    let at_most = pairs.at_most(0.0, false);
    let below = pairs.at_most(0.0, true);
    let slower = (total - at_most) as f64 + (at_most - below) as f64 / 2.0;
    Some(LatencyRatio {
        estimate: estimate.exp(),
        interval,
        slower_share: slower / total as f64,
        counts: (pairs.first_count, pairs.second_count),
    })
}

/// Every pair of one request from each side, as the log of their ratio.
struct Pairs {
    /// Each side's distinct log-latencies, ascending, with their counts.
    first: Vec<(f64, u64)>,
    second: Vec<(f64, u64)>,
    first_count: u64,
    second_count: u64,
    /// first_count × second_count.
    total: u128,
}

impl Pairs {
    fn new(first: &Buckets, second: &Buckets) -> Option<Self> {
        let first = logs(first);
        let second = logs(second);
        let first_count: u64 = first.iter().map(|(_, c)| c).sum();
        let second_count: u64 = second.iter().map(|(_, c)| c).sum();
        if first_count == 0 || second_count == 0 {
            return None;
        }
        Some(Self {
            first,
            second,
            first_count,
            second_count,
            total: u128::from(first_count) * u128::from(second_count),
        })
    }

    /// The pairs whose log-ratio is at most `t` (`strict`: below it). A
    /// pair's log-ratio `x - y` is at most `t` when `y >= x - t`; both
    /// sides are sorted, so one pass finds every first value's share.
    fn at_most(&self, t: f64, strict: bool) -> u128 {
        let mut smaller = 0u64;
        let mut next = self.second.iter().peekable();
        let mut count = 0u128;
        for &(x, first) in &self.first {
            let edge = x - t;
            while let Some(&&(y, second)) = next.peek() {
                let too_small = if strict { y <= edge } else { y < edge };
                if !too_small {
                    break;
                }
                smaller += second;
                next.next();
            }
            count += u128::from(first) * u128::from(self.second_count - smaller);
        }
        count
    }

    /// The `k`-th smallest log-ratio (from 1): the least `t` with at least
    /// `k` pairs at most `t`, found by bisection between the smallest and
    /// the largest log-ratio until the two ends meet in floating point.
    fn kth(&self, k: u128) -> f64 {
        let (Some(first_low), Some(first_high), Some(second_low), Some(second_high)) = (
            self.first.first(),
            self.first.last(),
            self.second.first(),
            self.second.last(),
        ) else {
            return f64::NAN;
        };
        let mut low = first_low.0 - second_high.0;
        let mut high = first_high.0 - second_low.0;
        if self.at_most(low, false) >= k {
            return low;
        }
        for _ in 0..200 {
            let middle = f64::midpoint(low, high);
            if middle <= low || middle >= high {
                break;
            }
            if self.at_most(middle, false) >= k {
                high = middle;
            } else {
                low = middle;
            }
        }
        high
    }
}

/// The positive latencies' logs, ascending, equal ones counted together;
/// a bucket's requests spread evenly in log over its width, in at most
/// [`SPREAD`] points.
fn logs(buckets: &Buckets) -> Vec<(f64, u64)> {
    let mut logs: Vec<(f64, u64)> = Vec::new();
    for &(lowest, highest, count) in buckets {
        let exact = |v: f64| v > 0.0 && v.is_finite();
        if count == 0 || !exact(lowest) || !exact(highest) || highest < lowest {
            continue;
        }
        let (low, width) = (lowest.ln(), highest.ln() - lowest.ln());
        let points = if width > 0.0 { count.min(SPREAD) } else { 1 };
        for i in 0..points {
            let share = count / points + u64::from(i < count % points);
            logs.push((low + width * (i as f64 + 0.5) / points as f64, share));
        }
    }
    logs.sort_by(|a, b| a.0.total_cmp(&b.0));
    logs.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 += later.1;
        }
        same
    });
    logs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` latencies around `centre`, spread evenly over ±`jitter` (a
    /// low-discrepancy sequence: deterministic, and shaped like noise).
    fn around(centre: f64, jitter: f64, n: usize) -> Vec<(f64, f64, u64)> {
        (0..n)
            .map(|i| {
                let u = (i as f64 * 0.618_033_988_75).fract();
                exact(centre * (1.0 + jitter * (2.0 * u - 1.0)), 1)
            })
            .collect()
    }

    /// A bucket of one latency.
    fn exact(latency: f64, requests: u64) -> (f64, f64, u64) {
        (latency, latency, requests)
    }

    /// A server whose responses stall 40 ms on a share of them.
    fn bimodal(stalled: f64, n: usize) -> Vec<(f64, f64, u64)> {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a share of a small count"
        )]
        let slow = (stalled * n as f64).round() as usize;
        let mut all = around(40_000.0, 0.05, slow);
        all.extend(around(500.0, 0.05, n - slow));
        all
    }

    fn p50(latencies: &Buckets) -> f64 {
        let mut sorted: Vec<f64> = latencies.iter().map(|(l, _, _)| *l).collect();
        sorted.sort_by(f64::total_cmp);
        sorted[sorted.len() / 2]
    }

    #[test]
    fn the_estimate_is_the_median_ratio_over_every_pair() {
        // Ratios 2, 1, 4, 2, 8, 4: the median of six is between 2 and 4.
        let ratio = latency_ratio(
            &[exact(2.0, 1), exact(4.0, 1), exact(8.0, 1)],
            &[exact(1.0, 1), exact(2.0, 1)],
        )
        .unwrap();
        assert!((ratio.estimate - 8f64.sqrt()).abs() < 1e-9, "{ratio:?}");
        assert_eq!(ratio.interval, None, "six pairs are too few");
        assert_eq!(ratio.inseparable(), Some(Inseparable::TooFew));
        // Slower in 5 pairs, one tie.
        assert!((ratio.slower_share - 5.5 / 6.0).abs() < 1e-12);
        // Counts are weights: the same as listing each request.
        let weighted = latency_ratio(&[exact(3.0, 2), exact(5.0, 1)], &[exact(1.0, 3)]).unwrap();
        let listed = latency_ratio(
            &[exact(3.0, 1), exact(3.0, 1), exact(5.0, 1)],
            &[exact(1.0, 1); 3],
        )
        .unwrap();
        assert_eq!(weighted, listed);
        assert!((weighted.estimate - 3.0).abs() < 1e-9);
        assert_eq!(latency_ratio(&[], &[exact(1.0, 1)]), None);
        assert_eq!(latency_ratio(&[exact(0.0, 5)], &[exact(1.0, 1)]), None);
    }

    #[test]
    fn a_cache_that_works_is_many_times_faster_and_apart() {
        let cold = around(10_000.0, 0.1, 500);
        let warm = around(150.0, 0.2, 2000);
        let ratio = latency_ratio(&cold, &warm).unwrap();
        let (low, high) = ratio.interval.unwrap();
        assert!((60.0..73.0).contains(&ratio.estimate), "{ratio:?}");
        assert!(low <= ratio.estimate && ratio.estimate <= high);
        assert!(high / low < 1.1, "a tight interval: {ratio:?}");
        assert_eq!(ratio.slower_share, 1.0);
        assert_eq!(ratio.inseparable(), None);
        assert_eq!(ratio.counts, (500, 2000));
    }

    #[test]
    fn the_same_server_cold_and_warm_cannot_be_told_apart() {
        let cold = around(10_000.0, 0.1, 400);
        let warm: Vec<_> = around(10_000.0, 0.1, 401).into_iter().skip(1).collect();
        let ratio = latency_ratio(&cold, &warm).unwrap();
        assert!((ratio.estimate - 1.0).abs() < 0.02, "{ratio:?}");
        assert_eq!(ratio.inseparable(), Some(Inseparable::IntervalHoldsOne));
    }

    #[test]
    fn a_bimodal_server_reads_no_bogus_speedup() {
        // Four runs of one server that stalls half its responses: the p50s
        // land in either mode, and their ratio swings 80x either way.
        let runs = [(0.55, 0.45), (0.45, 0.55), (0.5, 0.5), (0.6, 0.42)];
        let mut by_p50 = Vec::new();
        for (cold_stalled, warm_stalled) in runs {
            let cold = bimodal(cold_stalled, 400);
            let warm = bimodal(warm_stalled, 400);
            by_p50.push(p50(&cold) / p50(&warm));
            let ratio = latency_ratio(&cold, &warm).unwrap();
            assert!(
                (0.9..1.12).contains(&ratio.estimate),
                "{cold_stalled}/{warm_stalled}: {ratio:?}"
            );
            assert!(
                ratio.inseparable().is_some(),
                "{cold_stalled}/{warm_stalled}: {ratio:?}"
            );
        }
        let (least, most) = by_p50
            .iter()
            .fold((f64::MAX, 0.0_f64), |(l, m), &r| (l.min(r), m.max(r)));
        assert!(least < 0.05 && most > 50.0, "the p50s flip: {by_p50:?}");
        // The last run's interval alone would separate them (the middle
        // of the pairs leans a little one way); the overlap does not.
        let ratio = latency_ratio(&bimodal(0.6, 400), &bimodal(0.42, 400)).unwrap();
        assert!(
            ratio.interval.is_some_and(|(low, _)| low > 1.0),
            "{ratio:?}"
        );
        assert_eq!(ratio.inseparable(), Some(Inseparable::Overlap), "{ratio:?}");
    }

    /// Deterministic draws: xorshift64*, uniform in (0, 1), and normal by
    /// Box and Muller.
    struct Draws(u64);

    impl Draws {
        fn uniform(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let bits = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
            (bits as f64 + 0.5) / (1u64 << 53) as f64
        }

        fn normal(&mut self) -> f64 {
            let (u, v) = (self.uniform(), self.uniform());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        }

        /// `n` log-normal latencies of median `median`, each exact.
        fn latencies(&mut self, median: f64, sigma: f64, n: usize) -> Vec<(f64, f64, u64)> {
            (0..n)
                .map(|_| exact(median * (sigma * self.normal()).exp(), 1))
                .collect()
        }

        /// `n` latencies as an HDR histogram below 2048 µs holds them:
        /// whole µs, truncated, a bucket `[µs, µs + 1)` each.
        fn whole_us(&mut self, median: f64, sigma: f64, n: usize) -> Vec<(f64, f64, u64)> {
            let mut counts = std::collections::BTreeMap::<u64, u64>::new();
            for _ in 0..n {
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "a latency of a few µs, truncated as the recorder does"
                )]
                let us = (median * (sigma * self.normal()).exp()).max(1.0) as u64;
                *counts.entry(us).or_default() += 1;
            }
            counts
                .into_iter()
                .map(|(us, n)| (us as f64, us as f64 + 1.0, n))
                .collect()
        }
    }

    #[test]
    fn a_known_speedup_is_recovered_and_its_interval_covers_it_about_95_times_in_100() {
        let mut draws = Draws(0x9e37_79b9_7f4a_7c15);
        let (trials, truth) = (400, 3.0);
        let mut covered = 0;
        for _ in 0..trials {
            let cold = draws.latencies(3_000.0, 0.3, 60);
            let warm = draws.latencies(1_000.0, 0.3, 80);
            let ratio = latency_ratio(&cold, &warm).unwrap();
            let (low, high) = ratio.interval.unwrap();
            assert!(low <= ratio.estimate && ratio.estimate <= high, "{ratio:?}");
            assert!((2.4..3.75).contains(&ratio.estimate), "{ratio:?}");
            if (low..=high).contains(&truth) {
                covered += 1;
            }
        }
        // 95% nominal; binomial(400, 0.95) falls below 365 about once in
        // 10^4 runs, and these draws are fixed.
        assert!((365..=395).contains(&covered), "{covered} of {trials}");
    }

    #[test]
    fn no_cache_over_150000_requests_a_side_in_whole_us_buckets_is_1_known_closely() {
        // static-web-server's loopback answers: about 13 µs, where a 1 µs
        // bucket is 8% wide and holds thousands of requests.
        let mut draws = Draws(7);
        let cold = draws.whole_us(13.0, 0.25, 150_000);
        let warm = draws.whole_us(13.0, 0.25, 150_000);
        assert!(cold.len() < 100, "{} buckets", cold.len());
        let ratio = latency_ratio(&cold, &warm).unwrap();
        let (low, high) = ratio.interval.unwrap();
        assert!((0.995..1.005).contains(&ratio.estimate), "{ratio:?}");
        assert!(low < 1.0 && 1.0 < high, "{ratio:?}");
        assert!(high / low < 1.02, "narrow: {ratio:?}");
        assert!(
            low < high,
            "spread over the buckets, not collapsed onto a tie: {ratio:?}"
        );
        assert_eq!(ratio.inseparable(), Some(Inseparable::IntervalHoldsOne));
        assert_eq!(ratio.counts, (150_000, 150_000));
        // A real 2x over as many requests, in buckets 8% to 15% wide: read
        // within a fraction of a bucket (the spread's evenness is not the
        // requests' slope inside one), a fraction of a percent.
        let fast = draws.whole_us(6.5, 0.25, 150_000);
        let ratio = latency_ratio(&cold, &fast).unwrap();
        let (low, high) = ratio.interval.unwrap();
        assert!(low > 1.99 && high < 2.02 && high / low < 1.01, "{ratio:?}");
        assert_eq!(ratio.inseparable(), None);
    }

    #[test]
    fn a_bucket_spreads_its_requests_over_its_width() {
        let points = logs(&[(10.0, 20.0, 100), (5.0, 5.0, 3), (1.0, 2.0, 2)]);
        assert_eq!(points.iter().map(|(_, n)| n).sum::<u64>(), 105);
        assert_eq!(points.len(), 2 + 1 + SPREAD as usize);
        let first: Vec<f64> = points[..2].iter().map(|(l, _)| l.exp()).collect();
        assert!((first[0] - 2f64.powf(0.25)).abs() < 1e-12, "{points:?}");
        assert!((first[1] - 2f64.powf(0.75)).abs() < 1e-12, "{points:?}");
        assert!(points.iter().all(|&(l, _)| (0.0..20f64.ln()).contains(&l)));
        // 100 over 32 points: 3 or 4 each.
        assert!(
            points[3..].iter().all(|&(_, n)| n == 3 || n == 4),
            "{points:?}"
        );
    }
}
