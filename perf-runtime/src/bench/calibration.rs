//! The calibration benchmark (see [`perf_record::calibration`]): a fixed
//! workload, the same in every process and every version of the user's
//! code, timed right after each benchmark. Its change between two runs is
//! the machine's, which `cargo perf --compare` judges the tests against.

use std::time::{Duration, Instant};

use super::engine::{EngineConfig, Sampler};

/// Elements the workload sorts: 16 KiB of `u64`, inside every L1 cache
/// that matters, so that the time is the core's, not the memory's.
const LEN: usize = 2048;

/// Its warm-up: long enough for the frequency governor to settle.
const WARM_UP: Duration = Duration::from_millis(15);
/// Its measurement: a few percent of a benchmark process's time.
const MEASUREMENT: Duration = Duration::from_millis(60);

/// One iteration: fills the buffer from a fixed xorshift stream, sorts it
/// and folds it. Deterministic: every run does exactly the same work.
fn workload(buffer: &mut [u64; LEN]) -> u64 {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for slot in buffer.iter_mut() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *slot = state;
    }
    buffer.sort_unstable();
    buffer.iter().fold(0u64, |hash, &v| hash.rotate_left(5) ^ v)
}

/// Times the workload with the benchmark engine and returns its median
/// time per iteration, ns.
pub(crate) fn measure(timer_resolution: Duration) -> Option<f64> {
    let mut sampler = Sampler::measure(EngineConfig {
        warm_up: WARM_UP,
        measurement: MEASUREMENT,
        timer_resolution,
        target_rounds: 30,
        min_rounds: 10,
        target: None,
    });
    let mut buffer = [0u64; LEN];
    while let Some(iterations) = sampler.next_batch() {
        let start = Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(workload(std::hint::black_box(&mut buffer)));
        }
        sampler.record(iterations, start.elapsed());
    }
    let mut samples = sampler.samples_ns().to_vec();
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(samples[n / 2]),
        _ => Some(f64::midpoint(samples[n / 2 - 1], samples[n / 2])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workload_is_deterministic_and_timed() {
        let (mut a, mut b) = ([0u64; LEN], [7u64; LEN]);
        let first = workload(&mut a);
        assert_eq!(first, workload(&mut b));
        assert!(a.windows(2).all(|w| w[0] <= w[1]));
        let median = measure(Duration::from_nanos(20)).unwrap();
        // A sort of 2,048 numbers: microseconds, not nanoseconds or seconds.
        assert!(median > 1_000.0 && median < 10_000_000.0, "{median}");
    }
}
