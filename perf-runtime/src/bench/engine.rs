//! The measurement loop of a micro-benchmark, as a state machine: it says
//! how many iterations the next batch should run and takes back how long
//! the batch took. Keeping it free of the closure being timed lets the
//! synchronous and the async `Bencher` methods share every decision, and
//! lets the decisions be unit-tested with a fake clock.

use std::time::{Duration, Instant};

use perf_record::StopReason;

use super::stopping::Stopping;

/// How a benchmark is to be run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EngineConfig {
    /// Run the routine until this much time has passed before sampling.
    pub(crate) warm_up: Duration,
    /// Time budget for the samples.
    pub(crate) measurement: Duration,
    /// The clock's resolution; every sample must be far above it.
    pub(crate) timer_resolution: Duration,
    /// Samples aimed for within the budget.
    pub(crate) target_rounds: u64,
    /// Samples taken even when the budget is spent.
    pub(crate) min_rounds: u64,
    /// Stop once the median's 95% interval is this narrow (half its
    /// width over the median; see [`Stopping`]); `None` spends the budget.
    pub(crate) target: Option<f64>,
}

/// A sample must last at least this many timer resolutions, so the clock's
/// granularity adds at most 0.1% to it.
const RESOLUTION_FACTOR: u32 = 1000;
/// And at least this long, so the cost of reading the clock is negligible.
const MIN_SAMPLE_TIME: Duration = Duration::from_micros(50);
/// No batch runs more iterations than this.
const MAX_BATCH: u64 = 1 << 40;

#[derive(Debug)]
enum Phase {
    /// Doubling batches until the warm-up time has passed.
    WarmUp {
        next: u64,
    },
    /// Fixed batches until the budget is spent.
    Measure {
        batch: u64,
    },
    /// One batch of a fixed size, untimed: a single iteration for `cargo
    /// test` smoke runs, N for counting instructions.
    Fixed {
        iterations: u64,
        done: bool,
    },
    Done,
}

/// Drives warm-up, batch sizing and sampling.
#[derive(Debug)]
pub(crate) struct Sampler {
    config: EngineConfig,
    phase: Phase,
    warm_up_spent: Duration,
    warm_up_iters: u64,
    measure_spent: Duration,
    iterations_per_round: u64,
    samples_ns: Vec<f64>,
    stopping: Stopping,
    stopped: Option<StopReason>,
}

impl Sampler {
    /// A sampler that measures.
    pub(crate) fn measure(config: EngineConfig) -> Self {
        Self {
            config,
            phase: Phase::WarmUp { next: 1 },
            warm_up_spent: Duration::ZERO,
            warm_up_iters: 0,
            measure_spent: Duration::ZERO,
            iterations_per_round: 0,
            samples_ns: Vec::new(),
            stopping: Stopping::new(
                config.target,
                usize::try_from(config.min_rounds).unwrap_or(usize::MAX),
            ),
            stopped: None,
        }
    }

    /// A sampler that runs the routine once and keeps nothing.
    pub(crate) fn smoke() -> Self {
        Self::fixed(1)
    }

    /// A sampler that runs the routine `iterations` times in one batch,
    /// without warm-up, and keeps nothing.
    pub(crate) fn fixed(iterations: u64) -> Self {
        let mut sampler = Self::measure(EngineConfig {
            warm_up: Duration::ZERO,
            measurement: Duration::ZERO,
            timer_resolution: Duration::from_nanos(1),
            target_rounds: 1,
            min_rounds: 1,
            target: None,
        });
        sampler.phase = Phase::Fixed {
            iterations: iterations.max(1),
            done: false,
        };
        sampler
    }

    /// Iterations to run in the next batch, or `None` when finished.
    pub(crate) fn next_batch(&mut self) -> Option<u64> {
        match self.phase {
            Phase::WarmUp { next } => Some(next),
            Phase::Measure { batch } => Some(batch),
            Phase::Fixed {
                iterations,
                done: false,
            } => Some(iterations),
            Phase::Fixed { done: true, .. } | Phase::Done => None,
        }
    }

    /// Takes back how long the batch of `iters` iterations took.
    pub(crate) fn record(&mut self, iters: u64, elapsed: Duration) {
        match self.phase {
            Phase::WarmUp { next } => {
                self.warm_up_spent += elapsed;
                self.warm_up_iters += iters;
                if self.warm_up_spent >= self.config.warm_up {
                    self.phase = Phase::Measure {
                        batch: self.batch_size(),
                    };
                } else {
                    // Grow the batch, but never past what the remaining
                    // warm-up time can hold (a slow routine must not blow
                    // the budget by doubling).
                    let per_iter = self.per_iter_estimate();
                    let remaining = self.config.warm_up.saturating_sub(self.warm_up_spent);
                    let fits = iters_in(remaining, per_iter).max(1);
                    self.phase = Phase::WarmUp {
                        next: (next.saturating_mul(2)).min(fits).min(MAX_BATCH),
                    };
                }
            }
            Phase::Measure { .. } => {
                self.iterations_per_round = iters;
                self.measure_spent += elapsed;
                self.samples_ns
                    .push(elapsed.as_nanos() as f64 / iters as f64);
                let rounds = self.samples_ns.len() as u64;
                let budget_spent = self.measure_spent >= self.config.measurement;
                let stopped = if rounds >= self.config.min_rounds && budget_spent
                    || rounds >= self.config.target_rounds.saturating_mul(20)
                {
                    Some(StopReason::TimeLimit)
                } else {
                    self.stopping.check(&self.samples_ns)
                };
                if stopped.is_some() {
                    self.stopped = stopped;
                    self.phase = Phase::Done;
                }
            }
            Phase::Fixed { iterations, .. } => {
                self.phase = Phase::Fixed {
                    iterations,
                    done: true,
                };
            }
            Phase::Done => {}
        }
    }

    /// Nanoseconds per iteration for every sample taken.
    pub(crate) fn samples_ns(&self) -> &[f64] {
        &self.samples_ns
    }

    /// Why the measurement stopped, once it has.
    pub(crate) fn stopped(&self) -> Option<StopReason> {
        self.stopped
    }

    /// Iterations each sample timed.
    pub(crate) fn iterations_per_round(&self) -> u64 {
        self.iterations_per_round
    }

    /// Nanoseconds per iteration so far, as a fraction: a routine faster
    /// than a nanosecond must not round down to zero (and its batch up to
    /// `MAX_BATCH`, which would run for minutes).
    fn per_iter_estimate(&self) -> f64 {
        if self.warm_up_iters == 0 {
            return 0.0;
        }
        self.warm_up_spent.as_nanos() as f64 / self.warm_up_iters as f64
    }

    /// Iterations per sample: the budget spread over the target number of
    /// samples, but never a sample short enough for the clock's resolution
    /// or the cost of reading it to matter.
    fn batch_size(&self) -> u64 {
        let per_round = self.config.measurement
            / u32::try_from(self.config.target_rounds.max(1)).unwrap_or(u32::MAX);
        let floor = (self.config.timer_resolution * RESOLUTION_FACTOR).max(MIN_SAMPLE_TIME);
        let sample_time = per_round.max(floor);
        iters_in(sample_time, self.per_iter_estimate()).clamp(1, MAX_BATCH)
    }
}

/// How many iterations of `per_iter_ns` fit in `time`.
fn iters_in(time: Duration, per_iter_ns: f64) -> u64 {
    if per_iter_ns <= 0.0 {
        return MAX_BATCH;
    }
    let fits = time.as_nanos() as f64 / per_iter_ns;
    if fits >= MAX_BATCH as f64 {
        MAX_BATCH
    } else {
        fits as u64
    }
}

/// Measures the clock's resolution: the smallest step `Instant` is seen to
/// take, over a few hundred tries.
pub(crate) fn timer_resolution() -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..200 {
        let start = Instant::now();
        let mut now = Instant::now();
        while now == start {
            now = Instant::now();
        }
        best = best.min(now - start);
    }
    best.max(Duration::from_nanos(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> EngineConfig {
        EngineConfig {
            warm_up: Duration::from_millis(100),
            measurement: Duration::from_millis(1000),
            timer_resolution: Duration::from_nanos(20),
            target_rounds: 100,
            min_rounds: 10,
            target: None,
        }
    }

    /// Runs the sampler against a routine that always takes `per_iter`.
    fn simulate(config: EngineConfig, per_iter: Duration) -> (Sampler, Vec<u64>) {
        let mut sampler = Sampler::measure(config);
        let mut batches = Vec::new();
        while let Some(n) = sampler.next_batch() {
            batches.push(n);
            sampler.record(n, per_iter * u32::try_from(n).unwrap());
            assert!(batches.len() < 100_000, "the sampler never finished");
        }
        (sampler, batches)
    }

    #[test]
    fn fast_routines_are_batched_far_above_the_resolution() {
        let (sampler, _) = simulate(config(), Duration::from_nanos(10));
        // 1 s / 100 rounds = 10 ms per sample = 1,000,000 iterations.
        assert_eq!(sampler.iterations_per_round(), 1_000_000);
        assert_eq!(sampler.samples_ns().len(), 100);
        assert!(
            sampler
                .samples_ns()
                .iter()
                .all(|&s| (s - 10.0).abs() < 1e-9)
        );
    }

    #[test]
    fn a_sub_nanosecond_routine_gets_a_sane_batch() {
        // 0.25 ns per iteration: the estimate once rounded down to 0 ns
        // and the batch up to 2^40 iterations, minutes per sample.
        let mut sampler = Sampler::measure(config());
        while let Some(n) = sampler.next_batch() {
            let elapsed = Duration::from_nanos(n / 4);
            sampler.record(n, elapsed);
            if sampler.samples_ns().len() == 1 {
                break;
            }
        }
        // 10 ms per sample at 0.25 ns: 40 million iterations.
        let batch = sampler.iterations_per_round();
        assert!((30_000_000..50_000_000).contains(&batch), "{batch}");
    }

    #[test]
    fn the_sample_floor_wins_over_a_tiny_budget() {
        let mut config = config();
        config.measurement = Duration::from_micros(100);
        let (sampler, _) = simulate(config, Duration::from_nanos(10));
        // 1000 x 20 ns = 20 us < 50 us floor: 5,000 iterations per sample.
        assert_eq!(sampler.iterations_per_round(), 5_000);
        assert_eq!(sampler.samples_ns().len(), 10, "min rounds");
    }

    #[test]
    fn slow_routines_take_the_minimum_rounds_and_stop() {
        let (sampler, batches) = simulate(config(), Duration::from_millis(300));
        assert_eq!(sampler.iterations_per_round(), 1);
        assert_eq!(sampler.samples_ns().len(), 10);
        // Warm-up did not double past the time it had left.
        assert_eq!(&batches[..2], &[1, 1]);
    }

    #[test]
    fn a_precise_estimate_stops_before_the_budget() {
        let mut config = config();
        config.target = Some(0.005);
        // Every sample alike: the interval has no width at the first look.
        let (sampler, _) = simulate(config, Duration::from_nanos(10));
        assert_eq!(sampler.samples_ns().len(), 10);
        assert_eq!(sampler.stopped(), Some(StopReason::TargetReached));
        let (sampler, _) = simulate(self::config(), Duration::from_nanos(10));
        assert_eq!(sampler.stopped(), Some(StopReason::TimeLimit));
    }

    /// Runs the sampler against a routine whose time per iteration, in
    /// nanoseconds, is `per_iter(samples taken so far)`.
    fn simulate_by(config: EngineConfig, per_iter: impl Fn(usize) -> f64) -> Sampler {
        let mut sampler = Sampler::measure(config);
        let mut batches = 0;
        while let Some(n) = sampler.next_batch() {
            let ns = per_iter(sampler.samples_ns().len()) * n as f64;
            sampler.record(n, Duration::from_nanos(ns as u64));
            batches += 1;
            assert!(batches < 100_000, "the sampler never finished");
        }
        sampler
    }

    #[test]
    fn a_settling_routine_stops_at_a_look_and_a_restless_one_at_the_time_limit() {
        let mut config = config();
        config.target = Some(0.005);
        // Twenty samples 10% either side of 10 ns, then all at 10 ns: the
        // interval is wide at the looks at 10 and 20 samples, narrow at 40.
        let settling = simulate_by(config, |n| match n {
            0..20 if n.is_multiple_of(2) => 9.0,
            0..20 => 11.0,
            _ => 10.0,
        });
        assert_eq!(settling.samples_ns().len(), 40);
        assert_eq!(settling.stopped(), Some(StopReason::TargetReached));
        assert!(settling.measure_spent < config.measurement / 2);
        // 10% either side for ever: the whole budget, and no more.
        let restless = simulate_by(config, |n| if n.is_multiple_of(2) { 9.0 } else { 11.0 });
        assert_eq!(restless.stopped(), Some(StopReason::TimeLimit));
        assert!(restless.measure_spent >= config.measurement);
        assert!((85..=95).contains(&restless.samples_ns().len()));
    }

    #[test]
    fn warm_up_doubles_the_batch() {
        let (_, batches) = simulate(config(), Duration::from_micros(1));
        assert_eq!(&batches[..4], &[1, 2, 4, 8]);
    }

    #[test]
    fn smoke_runs_once() {
        let mut sampler = Sampler::smoke();
        assert_eq!(sampler.next_batch(), Some(1));
        sampler.record(1, Duration::from_millis(1));
        assert_eq!(sampler.next_batch(), None);
    }

    #[test]
    fn the_clock_resolution_is_measured() {
        // At least 1 ns by construction; what can be wrong is a clock far
        // coarser than any benchmark needs.
        let resolution = timer_resolution();
        assert!(resolution < Duration::from_millis(1), "{resolution:?}");
    }
}
