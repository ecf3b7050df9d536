//! `cargo perf archive` builds once; `cargo perf --archive-file` runs the
//! archive's executables where no build is, cargo allowed only to read
//! the workspace (`cargo metadata`).

use std::path::{Path, PathBuf};

use crate::support::{TempProject, names};

/// A cargo that runs only `cargo metadata` and notes, then refuses,
/// anything else: a run from an archive must not build.
struct MetadataOnlyCargo {
    dir: tempfile::TempDir,
}

impl MetadataOnlyCargo {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let script = format!(
            "#!/bin/sh\ncase \"$1\" in\n  metadata) exec '{real}' \"$@\" ;;\nesac\necho \"$*\" >> '{}'\nexit 97\n",
            dir.path().join("refused").display()
        );
        let path = dir.path().join("cargo");
        std::fs::write(&path, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Self { dir }
    }

    fn path(&self) -> String {
        self.dir.path().join("cargo").display().to_string()
    }

    /// The cargo commands it refused.
    fn refused(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("refused")).unwrap_or_default()
    }
}

/// What a target dir holds at its top: only `perf` after a run from an
/// archive (no `release`, `debug` or profile folder of a build).
fn top_level(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn archive_file(project: &TempProject) -> PathBuf {
    project.root().join("perf.tar.gz")
}

#[test]
fn a_run_from_an_archive_builds_nothing() {
    let project = TempProject::new("demo");
    project.git_init();
    let file = archive_file(&project);
    let file_arg = file.display().to_string();
    let archived = project
        .cargo_perf()
        .args(&[
            "archive",
            "--archive-file",
            &file_arg,
            "--message-format",
            "json",
        ])
        .run();
    archived.assert_code(0);
    let manifest = &archived.message("archive-written")["manifest"];
    let mut held: Vec<String> = manifest["executables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {} {}", e["package"], e["kind"], e["target"]).replace('"', ""))
        .collect();
    held.sort();
    assert_eq!(
        held,
        [
            "demo bench load",
            "demo bench perf",
            "demo-server bin demo-server"
        ]
    );
    assert_eq!(manifest["head_commit"], project.git(&["rev-parse", "HEAD"]));

    // Where nothing is built: another target dir, and a cargo that only
    // reads the workspace.
    let cargo = MetadataOnlyCargo::new();
    let target = tempfile::tempdir().unwrap();
    let target_dir = target.path().display().to_string();
    let run = |args: &[&str]| {
        project
            .cargo_perf()
            .args(&[
                "--archive-file",
                &file_arg,
                "--quick",
                "--message-format",
                "json",
            ])
            .args(args)
            .env("CARGO", &cargo.path())
            .env("CARGO_TARGET_DIR", &target_dir)
            .run()
    };
    let bench = run(&["--exact", "checksum_64k"]);
    bench.assert_code(0);
    assert_eq!(names(&bench.record()), ["checksum_64k"]);
    // A load test, with the archive's server started for it.
    let load = run(&["--exact", "echo_64k", "--duration-scale", "0.1"]);
    load.assert_code(0);
    let record = load.record();
    assert_eq!(names(&record), ["echo_64k"]);
    let requests = record.tests[0].load.as_ref().map_or(0, |l| l.requests);
    assert!(requests > 0, "{}", load.stdout);
    assert_eq!(cargo.refused(), "", "cargo was asked to build");
    assert_eq!(top_level(target.path()), ["perf"]);

    // The archive is read for what it is: a damaged copy is an error
    // naming it (exit 2), and nothing runs.
    let bytes = std::fs::read(&file).unwrap();
    let cut = project.root().join("cut.tar.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let damaged = project
        .cargo_perf()
        .args(&["--archive-file", &cut.display().to_string(), "--quick"])
        .env("CARGO", &cargo.path())
        .env("CARGO_TARGET_DIR", &target_dir)
        .run();
    damaged.assert_code(2);
    assert!(
        damaged.stderr.contains("cut.tar.gz") && damaged.stderr.contains("not a whole archive"),
        "{}",
        damaged.stderr
    );
    // Features the archive was not built with are refused, not ignored.
    let other = run(&["--exact", "checksum_64k", "-F", "catalog"]);
    other.assert_code(2);
    assert!(
        other.stderr.contains("-F") || other.stderr.contains("--features"),
        "{}",
        other.stderr
    );
    assert_eq!(cargo.refused(), "", "cargo was asked to build");
}

#[test]
fn a_compare_ref_run_from_an_archive_builds_neither_side() {
    let project = TempProject::new("demo");
    let base = project.git_init();
    // The working tree's checksum does twice the work of the base's.
    project.edit("src/lib.rs", ".unwrap_or(0)", ".unwrap_or(100)");
    project.git(&["commit", "-qam", "checksum does twice the work"]);
    let file = archive_file(&project);
    let file_arg = file.display().to_string();
    let archived = project
        .cargo_perf()
        .args(&[
            "archive",
            "--archive-file",
            &file_arg,
            "--compare-ref",
            "HEAD~1",
        ])
        .run();
    archived.assert_code(0);
    assert!(
        archived.stderr.contains("Archived 6 executables")
            && archived.stderr.contains("--compare-ref HEAD~1"),
        "{}",
        archived.stderr
    );
    let cargo = MetadataOnlyCargo::new();
    let target = tempfile::tempdir().unwrap();
    let target_dir = target.path().display().to_string();
    let run = |rev: &str| {
        project
            .cargo_perf()
            .args(&["--archive-file", &file_arg, "--compare-ref", rev])
            .args(&["--exact", "checksum_64k", "--quick", "--threshold", "60%"])
            .args(&["--message-format", "json"])
            .env("CARGO", &cargo.path())
            .env("CARGO_TARGET_DIR", &target_dir)
            .run()
    };
    let paired = run("HEAD~1");
    paired.assert_code(12);
    assert_eq!(paired.summary_names("regressed"), ["checksum_64k"]);
    let comparison = &paired.message("comparison")["comparison"];
    assert_eq!(comparison["baseline_git_commit"], base.as_str());
    // Another base than the archive's: refused, naming both commits.
    let head = project.git(&["rev-parse", "HEAD"]);
    let other = run("HEAD");
    other.assert_code(2);
    assert!(
        other.stderr.contains(&base) && other.stderr.contains(&head),
        "{}",
        other.stderr
    );
    assert_eq!(cargo.refused(), "", "cargo was asked to build");
    assert_eq!(top_level(target.path()), ["perf"]);
    let worktrees = project.git(&["worktree", "list"]);
    assert_eq!(worktrees.lines().count(), 1, "{worktrees}");
}
