//! Criterion benchmarks measured unchanged, on code nobody here wrote: a
//! published crate's own criterion benches, fetched from crates.io at test
//! time, gated by `--compare-ref`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Output, git_in, serial, shared_target_dir};

/// A small published crate whose package ships criterion (0.8) benches:
/// groups, `BenchmarkId::from_parameter` and `Throughput::Bytes`.
const CRATE: &str = "crc32fast";
const VERSION: &str = "1.5.6";

/// The crate's sources as cargo unpacked them into its registry cache:
/// fetched by `cargo metadata` in a throwaway project that depends on it.
fn published_sources(scratch: &Path) -> PathBuf {
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{CRATE} = \"={VERSION}\"\n\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::write(scratch.join("src/lib.rs"), "").unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(scratch)
        .output()
        .unwrap();
    assert!(output.status.success(), "cargo metadata: {output:?}");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == CRATE && p["version"] == VERSION)
        .and_then(|p| p["manifest_path"].as_str())
        .unwrap();
    Path::new(manifest).parent().unwrap().to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (source, dest) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&source, &dest);
        } else {
            std::fs::copy(&source, &dest).unwrap();
        }
    }
}

/// `combine` pads the first checksum three times instead of once (the
/// first two results thrown away): what `combine/64` measures, and
/// nothing `hash/16` calls.
const SLOWDOWN: &str = "    let mut p = crc1;
    for _ in 0..2 {
        let mut q = std::hint::black_box(crc1);
        for i in 0..64 - len2.leading_zeros() {
            if (len2 >> i & 1) != 0 {
                q = multiply(X2N_TABLE[(i & 0x1F) as usize], q);
            }
        }
        std::hint::black_box(q);
    }";

/// Two of the crate's benchmarks, a short budget and a threshold far
/// below the planted 3x and far above what two builds of the same code
/// differ by on a busy two-core machine.
const GATE: [&str; 10] = [
    "combine/64",
    "hash/16",
    "--threshold",
    "50%",
    "--warm-up-time",
    "200ms",
    "--measurement-time",
    "1s",
    "--message-format",
    "json",
];

fn git(root: &Path, args: &[&str]) {
    git_in(root, args);
}

fn cargo_perf(root: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-perf"));
    command
        .arg("perf")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(args)
        .args(GATE)
        .env("CARGO_TARGET_DIR", shared_target_dir().join("published"))
        .env("CARGO_TERM_COLOR", "never")
        .env("NO_COLOR", "1");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CARGO_PERF_") {
            command.env_remove(key);
        }
    }
    Output::from(command.output().unwrap())
}

#[test]
fn a_published_crates_criterion_benches_catch_a_committed_slowdown() {
    let _guard = serial();
    let scratch = tempfile::tempdir().unwrap();
    let sources = published_sources(&scratch.path().join("fetch"));
    let root = scratch.path().join(CRATE);
    copy_dir(&sources, &root);
    // The test's target dir, where `--compare-ref` checks out the base,
    // lies inside cargo-perf's own workspace: a `[workspace]` table keeps
    // the crate (and its checkout) out of it, as in every fixture.
    let manifest = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(!text.contains("[workspace]"));
    std::fs::write(&manifest, format!("{text}\n[workspace]\n")).unwrap();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "."]);
    git(&root, &["commit", "-qm", "crc32fast as published"]);
    let combine = root.join("src/combine.rs");
    let text = std::fs::read_to_string(&combine).unwrap();
    assert_eq!(text.matches("    let mut p = crc1;").count(), 1);
    std::fs::write(&combine, text.replace("    let mut p = crc1;", SLOWDOWN)).unwrap();
    git(&root, &["commit", "-qam", "combine pads three times"]);

    let caught = cargo_perf(&root, &["--compare-ref", "HEAD~1"]);
    caught.assert_code(12);
    assert_eq!(caught.summary_names("regressed"), ["combine/64"]);
    let comparison = &caught.message("comparison")["comparison"];
    assert_eq!(comparison["mode"]["kind"], "paired");
    let tests = comparison["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 2, "{comparison}");
    for test in tests {
        assert_eq!(test["id"]["package"], CRATE, "{test}");
        assert_eq!(test["id"]["target"], "bench", "{test}");
    }
    let combine = tests
        .iter()
        .find(|t| t["id"]["name"] == "combine/64")
        .unwrap();
    assert!(combine["change_pct"].as_f64().unwrap() > 80.0, "{combine}");

    let same = cargo_perf(&root, &["--compare-ref", "HEAD"]);
    same.assert_code(0);
    assert!(
        same.summary_names("regressed").is_empty(),
        "{}",
        same.stdout
    );
    let record = same.record();
    assert_eq!(record.tests.len(), 2);
    for test in &record.tests {
        assert_eq!(test.kind, perf_record::TestKind::Bench);
        assert!(!test.samples_ns.is_empty(), "{test:?}");
    }
}
