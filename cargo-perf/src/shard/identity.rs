//! The hash that says which shard records belong to one run: the same
//! build (cargo-perf, commit, toolchain, profile, features, Cargo.lock),
//! the same measurement flags, the same tests before dealing and the same
//! way of dealing them. The host is left out: shards run on different
//! machines by design.

use perf_record::shard::{ShardKind, fnv1a};
use perf_record::{Environment, TestId};

/// The run hash of a shard dealt by `kind` into `count` shards, in hex.
/// `selected` is the selection before dealing; its order does not matter.
/// `flags` describes the flags that change what is measured or how it is
/// judged (`cli::ShardArgs::measurement_flags`).
pub fn run_hash(
    flags: &str,
    environment: &Environment,
    selected: &[&TestId],
    kind: ShardKind,
    count: u32,
) -> String {
    let mut tests: Vec<String> = selected.iter().map(ToString::to_string).collect();
    tests.sort_unstable();
    let Environment {
        git_commit,
        git_dirty,
        os,
        arch,
        rustc,
        profile,
        target,
        features,
        cargo_lock_hash,
        // Where a shard ran, not what it ran.
        host: _,
        cpu: _,
        cpus: _,
    } = environment;
    // One line per input, so that no two inputs can run into each other.
    let lines = [
        format!("cargo-perf {}", env!("CARGO_PKG_VERSION")),
        format!("commit {git_commit:?} dirty {git_dirty}"),
        format!("platform {os} {arch} {target:?}"),
        format!("rustc {rustc}"),
        format!("profile {profile} features {features:?}"),
        format!("lock {cargo_lock_hash:?}"),
        format!("flags {flags}"),
        format!("deal {} into {count}", kind.word()),
        format!("tests {}", tests.join(" ")),
    ];
    format!("{:016x}", fnv1a(lines.join("\n").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str) -> TestId {
        TestId {
            package: "demo".into(),
            target: "perf".into(),
            name: name.into(),
        }
    }

    #[test]
    fn shards_of_one_run_share_the_hash_and_other_runs_do_not() {
        let env = Environment {
            host: "runner-1".into(),
            rustc: "rustc 1.90.0".into(),
            ..Environment::default()
        };
        let (a, b) = (id("a"), id("b"));
        let hash = |flags: &str, env: &Environment, tests: &[&TestId]| {
            run_hash(flags, env, tests, ShardKind::Hash, 3)
        };
        let base = "quick";
        let reference = hash(base, &env, &[&a, &b]);
        // Another shard, another machine, the tests in another order.
        let other_host = Environment {
            host: "runner-2".into(),
            ..env.clone()
        };
        assert_eq!(hash(base, &other_host, &[&b, &a]), reference);
        // Another toolchain, other flags, other tests, other dealing.
        let other_rustc = Environment {
            rustc: "rustc 1.91.0".into(),
            ..env.clone()
        };
        assert_ne!(hash(base, &other_rustc, &[&a, &b]), reference);
        assert_ne!(hash("", &env, &[&a, &b]), reference);
        assert_ne!(hash(base, &env, &[&a]), reference);
        assert_ne!(
            run_hash(base, &env, &[&a, &b], ShardKind::Count, 3),
            reference
        );
        assert_ne!(
            run_hash(base, &env, &[&a, &b], ShardKind::Hash, 4),
            reference
        );
    }
}
