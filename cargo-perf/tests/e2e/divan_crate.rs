//! A published crate's own divan benches, unchanged, gated through
//! perf-divan-compat: bytesize 2.7.0 ships `benches/display.rs`, written
//! for divan. The crate is fetched from the registry at test time and
//! unpacked into a temp dir (never committed here); one line of its
//! manifest points `divan` at the compat crate.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{TempProject, repo_root};

const CRATE: &str = "bytesize";
const VERSION: &str = "2.7.0";

/// The `.crate` file, fetched by cargo into its registry cache.
fn fetched_crate() -> PathBuf {
    let fetcher = tempfile::tempdir().unwrap();
    std::fs::write(
        fetcher.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetcher\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{CRATE} = \"={VERSION}\"\n"
        ),
    )
    .unwrap();
    std::fs::create_dir(fetcher.path().join("src")).unwrap();
    std::fs::write(fetcher.path().join("src/lib.rs"), "").unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .arg("fetch")
        .current_dir(fetcher.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "cargo fetch: {output:?}");
    let home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"),
        PathBuf::from,
    );
    let file = format!("{CRATE}-{VERSION}.crate");
    std::fs::read_dir(home.join("registry/cache"))
        .unwrap()
        .map(|registry| registry.unwrap().path().join(&file))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("cargo fetch left no {file} in {}", home.display()))
}

/// The crate unpacked into `project`, its manifest the author's own
/// (`Cargo.toml.orig`) with its one `divan` line pointed at the compat
/// crate, committed as one git revision.
fn unpack_with_the_compat_crate(project: &TempProject) {
    let archive = std::fs::File::open(fetched_crate()).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    // Files dated now, not when the crate was packed: the shared target
    // dir may hold a newer build of the same crate (a previous run's
    // slowdown), which cargo would otherwise take as up to date.
    archive.set_preserve_mtime(false);
    let prefix = format!("{CRATE}-{VERSION}");
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().into_owned();
        let Ok(relative) = path.strip_prefix(&prefix) else {
            continue;
        };
        let dest = project.root().join(relative);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        entry.unpack(&dest).unwrap();
    }
    let root = project.root();
    std::fs::rename(root.join("Cargo.toml.orig"), root.join("Cargo.toml")).unwrap();
    let compat = repo_root().join("perf-divan-compat");
    project.edit(
        "Cargo.toml",
        "divan = \"0.1\"",
        &format!(
            "divan = {{ package = \"perf-divan-compat\", path = {:?} }}",
            compat.display().to_string()
        ),
    );
    // Not part of the change a user makes: the e2e target dir, where
    // `--compare-ref` checks out the base, lies inside this workspace, and
    // cargo would take that checkout for one of our members.
    let manifest = std::fs::read_to_string(project.manifest()).unwrap();
    std::fs::write(project.manifest(), format!("{manifest}\n[workspace]\n")).unwrap();
    // The crate's Cargo.lock gains the compat crate's dependencies before
    // the commit, so that base and candidate build the same versions.
    let locked = project.cargo(&["metadata", "--format-version", "1"]);
    assert_eq!(locked.code, 0, "{}", locked.stderr);
    project.git_init();
}

/// The display routine every benchmark formats through, made about a
/// hundred times slower.
fn commit_a_slowdown(project: &TempProject) {
    project.edit(
        "src/display.rs",
        "impl fmt::Display for Display {\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n",
        "impl fmt::Display for Display {\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n        \
         for i in 0..std::hint::black_box(20_000_u64) {\n            std::hint::black_box(i);\n        }\n",
    );
    project.git(&["commit", "-qam", "display spins before it formats"]);
}

/// Quick rounds; the threshold is far above what two builds of the same
/// code differ by on a busy machine (nanosecond routines move by up to
/// half between memory layouts) and far below the planted slowdown.
const MEASURE: [&str; 6] = [
    "--warm-up-time",
    "200ms",
    "--measurement-time",
    "1s",
    "--threshold",
    "100%",
];

fn save_transcript(name: &str, output: &crate::support::Output) {
    if let Some(dir) = std::env::var_os("E2E_TRANSCRIPTS") {
        let text = format!(
            "exit code: {:?}\n--- stdout\n{}--- stderr\n{}",
            output.code, output.stdout, output.stderr
        );
        std::fs::write(Path::new(&dir).join(name), text).unwrap();
    }
}

#[test]
fn a_published_crates_divan_benches_are_gated_unchanged() {
    let project = TempProject::empty();
    unpack_with_the_compat_crate(&project);

    let listed = project.cargo_perf().args(&["--list"]).run();
    listed.assert_code(0);
    for bench in [
        "display_inner_display",
        "display_bytesize_standard",
        "display_bytesize_custom",
        "display_always_pad_standard",
        "display_always_pad_custom",
    ] {
        assert!(listed.stdout.contains(bench), "{bench}: {}", listed.stdout);
    }

    let same = project
        .cargo_perf()
        .args(&["--compare-ref", "HEAD"])
        .args(&MEASURE)
        .run();
    save_transcript("divan-a-a.txt", &same);
    same.assert_code(0);

    commit_a_slowdown(&project);
    let slower = project
        .cargo_perf()
        .args(&["--compare-ref", "HEAD~1"])
        .args(&MEASURE)
        .run();
    save_transcript("divan-slowdown.txt", &slower);
    slower.assert_code(12);
    let row = slower
        .stdout
        .lines()
        .find(|line| line.starts_with("display_bytesize_standard") && line.contains("REGRESSED"))
        .unwrap_or_else(|| panic!("{}", slower.stdout));
    assert!(row.contains('%'), "{row}");
}
