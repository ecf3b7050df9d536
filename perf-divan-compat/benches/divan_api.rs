#![expect(
    elided_lifetimes_in_paths,
    reason = "`Bencher` is written as divan's users write it"
)]
//! divan's API as bench files use it, built on perf-runtime's harness:
//! `cargo test -p perf-divan-compat` runs each benchmark once, and the
//! crate's tests check the names and options it lists.

use std::collections::VecDeque;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
extern crate perf_divan_compat as divan;

fn fibonacci(n: u64) -> u64 {
    if n <= 1 {
        n
    } else {
        fibonacci(n - 1) + fibonacci(n - 2)
    }
}

#[divan::bench]
fn plain() -> u64 {
    fibonacci(black_box(10))
}

#[divan::bench(args = [1, 5, 10])]
fn by_value(n: u64) -> u64 {
    fibonacci(n)
}

#[divan::bench(args = ["short", "a longer text"])]
fn by_str(bencher: Bencher, text: &str) {
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| black_box(text).len());
}

#[divan::bench(args = lengths())]
fn by_reference(bencher: Bencher, payload: &Payload) {
    bencher.bench_local(|| payload.0.iter().map(|&v| u64::from(v)).sum::<u64>());
}

/// An argument without `Display`: named by its `Debug`.
#[derive(Debug)]
struct Payload(Vec<u8>);

fn lengths() -> Vec<Payload> {
    vec![Payload(vec![1; 4]), Payload(vec![2; 16])]
}

#[divan::bench(types = [Vec<u64>, VecDeque<u64>], consts = [8, 64])]
fn extend<T: Default + Extend<u64>, const N: u64>(bencher: Bencher) {
    bencher
        .with_inputs(T::default)
        .bench_local_refs(|collection| collection.extend(black_box(0..N)));
}

#[divan::bench(sample_count = 1000, counter = ItemsCount::new(3_usize), min_time = 0.5)]
fn with_options(bencher: Bencher) {
    bencher
        .with_inputs(|| vec![3_u8, 1, 2])
        .bench_values(|mut v| {
            v.sort_unstable();
            v
        });
}

#[divan::bench_group(name = "grouped", max_time = 1, threads = [1, 2])]
mod group {
    use super::black_box;

    #[divan::bench]
    fn inner() -> usize {
        black_box(vec![0_u8; 16]).len()
    }

    #[divan::bench(name = "renamed")]
    fn original(bencher: divan::Bencher) {
        bencher.with_inputs(|| 5_u32).bench_refs(|n| *n + 1);
    }
}

#[divan::bench(ignore)]
fn ignored() {}

fn main() {
    divan::main();
}
