//! The attributes as bench files use them, expanded in this crate's own
//! tests: the benchmarks they register, by name, with their options.

use std::time::Duration;

use crate::Bencher;
use crate::counter::BytesCount;

#[crate::bench(args = [3, 30])]
fn sum_to(n: u64) -> u64 {
    (0..n).sum()
}

#[crate::bench(types = [u8, String], consts = [2, 4], sample_count = 7)]
fn filled<T: Default + Clone, const N: usize>(bencher: Bencher<'_, '_>) {
    bencher.bench(|| vec![T::default(); N]);
}

#[crate::bench_group(name = "renamed_group", max_time = 0.25, threads = [1, 2])]
mod group {
    #[crate::bench(name = "own_name", counter = super::BytesCount::new(8_u8))]
    fn original() -> u8 {
        1
    }

    #[crate::bench(ignore)]
    fn skipped() {}
}

fn named(suffix: &str) -> perf_runtime::__private::DynamicBench {
    crate::entry::benches()
        .into_iter()
        .find(|bench| bench.name.ends_with(suffix))
        .unwrap_or_else(|| panic!("no benchmark named …{suffix}"))
}

#[test]
fn each_argument_type_and_constant_is_a_benchmark_of_its_own() {
    let mut names: Vec<String> = crate::entry::benches()
        .into_iter()
        .map(|bench| bench.name)
        .filter(|name| name.starts_with("tests::"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "tests::filled/<String>/2",
            "tests::filled/<String>/4",
            "tests::filled/<u8>/2",
            "tests::filled/<u8>/4",
            "tests::renamed_group::own_name",
            "tests::renamed_group::skipped",
            "tests::sum_to/3",
            "tests::sum_to/30",
        ]
    );
}

#[test]
fn options_become_a_measurement_time_an_ignored_test_or_a_line_each() {
    let filled = named("filled/<u8>/2");
    assert_eq!(filled.unsupported.len(), 1, "{:?}", filled.unsupported);
    assert!(filled.unsupported[0].contains("`sample_count = 7`"));
    assert!(!filled.ignore);
    assert_eq!(filled.measurement_ns, None);

    let grouped = named("renamed_group::own_name");
    let quarter = u64::try_from(Duration::from_millis(250).as_nanos()).ok();
    assert_eq!(grouped.measurement_ns, quarter, "the group's max_time");
    let lines = grouped.unsupported.join("\n");
    assert!(lines.contains("`threads = [1, 2]`"), "{lines}");
    assert!(lines.contains("BytesCount(8)"), "{lines}");

    assert!(named("renamed_group::skipped").ignore);
}
