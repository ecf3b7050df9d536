//! Dealing the selected tests into shards, as nextest's `--partition`
//! does: after the filters, so that every shard sees the same list.
//!
//! `hash`: a test's shard is a fixed hash (FNV-1a) of its full name
//! (`package/target::name`) modulo N, so adding or removing a test moves
//! no other test between shards. `count`: round-robin over the list sorted
//! by full name, which balances the shards' sizes but moves tests when
//! one is added.

use perf_record::shard::{ShardKind, fnv1a};

use super::ShardSpec;
use crate::discover::DiscoveredTest;

/// The tests of `selected` that shard `spec` runs, in their order.
pub fn deal(selected: Vec<&DiscoveredTest>, spec: ShardSpec) -> Vec<&DiscoveredTest> {
    let count = u64::from(spec.count);
    let wanted = u64::from(spec.index - 1);
    match spec.kind {
        // A split shard runs every test, its share of each one's load.
        ShardKind::Split => selected,
        ShardKind::Hash => selected
            .into_iter()
            .filter(|t| fnv1a(t.id.to_string().as_bytes()) % count == wanted)
            .collect(),
        ShardKind::Count => {
            let mut names: Vec<String> = selected.iter().map(|t| t.id.to_string()).collect();
            names.sort_unstable();
            names.dedup();
            selected
                .into_iter()
                .filter(|t| {
                    let full = t.id.to_string();
                    names
                        .binary_search(&full)
                        .is_ok_and(|position| position as u64 % count == wanted)
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use perf_record::TestKind;

    use super::*;

    fn tests(names: &[String]) -> Vec<DiscoveredTest> {
        names
            .iter()
            .map(|n| DiscoveredTest::example(n, TestKind::Bench))
            .collect()
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("bench_{i:03}")).collect()
    }

    /// Each shard's names, for `count` shards of `kind`.
    fn shards(all: &[DiscoveredTest], kind: ShardKind, count: u32) -> Vec<Vec<String>> {
        (1..=count)
            .map(|index| {
                deal(all.iter().collect(), ShardSpec { kind, index, count })
                    .into_iter()
                    .map(|t| t.id.name.clone())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_test_runs_in_exactly_one_shard() {
        let all = tests(&names(50));
        for kind in [ShardKind::Hash, ShardKind::Count] {
            for count in [1, 2, 3, 7, 50, 64] {
                let mut seen: Vec<String> = shards(&all, kind, count).concat();
                seen.sort();
                assert_eq!(seen, names(50), "{kind:?} {count}");
            }
        }
    }

    #[test]
    fn count_shards_differ_in_size_by_at_most_one() {
        let all = tests(&names(50));
        for count in [2, 3, 4, 7] {
            let sizes: Vec<usize> = shards(&all, ShardKind::Count, count)
                .iter()
                .map(Vec::len)
                .collect();
            let (min, max) = (sizes.iter().min(), sizes.iter().max());
            assert!(max.zip(min).is_some_and(|(a, b)| a - b <= 1), "{sizes:?}");
        }
        // Round-robin over the sorted names, whatever order they came in.
        let mut shuffled = names(6);
        shuffled.reverse();
        assert_eq!(
            shards(&tests(&shuffled), ShardKind::Count, 3)[0],
            ["bench_003", "bench_000"]
        );
    }

    #[test]
    fn hash_shards_are_stable_when_a_test_is_added() {
        let before = tests(&names(40));
        let mut grown = names(40);
        grown.insert(17, "a_new_test".to_owned());
        let after = tests(&grown);
        for count in [2, 3, 4, 8] {
            let old = shards(&before, ShardKind::Hash, count);
            let new = shards(&after, ShardKind::Hash, count);
            let moved: Vec<usize> = (0..count as usize).filter(|&i| old[i] != new[i]).collect();
            // Only the new test's shard changed, and only by the new test.
            assert_eq!(moved.len(), 1, "{count}: {moved:?}");
            let changed = moved[0];
            let without: Vec<&String> =
                new[changed].iter().filter(|n| *n != "a_new_test").collect();
            assert_eq!(without, old[changed].iter().collect::<Vec<_>>());
        }
        // The same name lands in the same shard on every machine and run:
        // the hash is fixed, not std's randomly seeded one.
        let one = tests(&["demo_checksum".to_owned()]);
        let index = fnv1a(b"demo/perf::demo_checksum") % 4 + 1;
        assert_eq!(
            deal(
                one.iter().collect(),
                ShardSpec {
                    kind: ShardKind::Hash,
                    index: u32::try_from(index).unwrap(),
                    count: 4
                }
            )
            .len(),
            1
        );
    }

    #[test]
    fn count_shards_move_tests_when_one_is_added() {
        // The price of balanced sizes, which the docs state: `hash` is the
        // one to use where the list changes between the shards' runs.
        let before = shards(&tests(&names(12)), ShardKind::Count, 3);
        let mut grown = names(12);
        grown.insert(0, "a_new_test".to_owned());
        let after = shards(&tests(&grown), ShardKind::Count, 3);
        assert_ne!(before, after);
    }
}
