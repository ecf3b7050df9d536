use std::io::Write as _;
use std::path::Path;

use cargo_metadata::TargetKind;
use flate2::Compression;
use flate2::write::GzEncoder;

use super::*;
use crate::archive::{BuildFlags, Built, Executable, FORMAT_VERSION, Revision, TargetKey};

fn key(revision: Revision, kind: TargetKind, target: &str) -> TargetKey {
    TargetKey {
        revision,
        package: "demo".to_owned(),
        kind,
        target: target.to_owned(),
    }
}

fn empty_manifest() -> Manifest {
    Manifest {
        format_version: FORMAT_VERSION,
        cargo_perf_version: "0.1.0".to_owned(),
        created_utc: "2026-12-07T17:00:00Z".to_owned(),
        build: BuildFlags::default(),
        rustc: None,
        target: None,
        head_commit: None,
        head_dirty: false,
        base: None,
        executables: Vec::new(),
    }
}

/// Two executables (a perf binary and a server) of the head build and the
/// base's perf binary, packed into `dir/perf.tar.gz`.
fn packed(dir: &Path) -> (PathBuf, Manifest) {
    let mut built = Vec::new();
    for (revision, kind, target, content) in [
        (
            Revision::Head,
            TargetKind::Bench,
            "perf",
            "#!/bin/sh\necho head\n",
        ),
        (Revision::Head, TargetKind::Bin, "demo-server", "server"),
        (
            Revision::Base,
            TargetKind::Bench,
            "perf",
            "#!/bin/sh\necho base\n",
        ),
    ] {
        let source = dir.join(revision.name()).join(target);
        std::fs::create_dir_all(source.parent().unwrap()).unwrap();
        std::fs::write(&source, content).unwrap();
        built.push(Built {
            key: key(revision, kind, target),
            path: source,
        });
    }
    let path = dir.join("perf.tar.gz");
    let mut manifest = empty_manifest();
    let bytes = crate::archive::write(&path, &mut manifest, &built).unwrap();
    assert_eq!(bytes, std::fs::metadata(&path).unwrap().len());
    (path, manifest)
}

#[test]
fn an_archive_unpacks_once_with_its_executables_runnable() {
    let dir = tempfile::tempdir().unwrap();
    let (path, written) = packed(dir.path());
    let names: Vec<&str> = written
        .executables
        .iter()
        .map(|e| e.file.as_str())
        .collect();
    assert_eq!(names, ["head-perf", "head-demo-server", "base-perf"]);
    let root = dir.path().join("target/perf/archive");
    let archive = Archive::open(&path, &root).unwrap();
    assert_eq!(archive.manifest(), &written);
    let head = archive
        .executable(&key(Revision::Head, TargetKind::Bench, "perf"))
        .unwrap();
    let base = archive
        .executable(&key(Revision::Base, TargetKind::Bench, "perf"))
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&head).unwrap(),
        "#!/bin/sh\necho head\n"
    );
    assert_eq!(
        std::fs::read_to_string(&base).unwrap(),
        "#!/bin/sh\necho base\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&head).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "{mode:o}");
        let output = std::process::Command::new(&head).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&output.stdout), "head\n");
    }
    // Unpacked in a folder named after the archive's digest; a second
    // open finds it whole and unpacks nothing again.
    assert_eq!(head.parent().unwrap(), root.join(&archive.digest()[..16]));
    std::fs::write(&head, "changed").unwrap();
    let again = Archive::open(&path, &root).unwrap();
    let head_again = again
        .executable(&key(Revision::Head, TargetKind::Bench, "perf"))
        .unwrap();
    assert_eq!(std::fs::read_to_string(head_again).unwrap(), "changed");
    // Nothing else was left in the root.
    let entries: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
    assert_eq!(entries.len(), 1);
    // A target the archive lacks: named, with the fix.
    let message = archive
        .executable(&key(Revision::Base, TargetKind::Bin, "demo-server"))
        .unwrap_err()
        .to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(
        message.contains("demo's bin `demo-server` of the --compare-ref base")
            && message.contains("--compare-ref REV")
            && message.contains("it holds: demo's bench `perf`"),
        "{message}"
    );
}

#[test]
fn a_missing_truncated_or_foreign_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = packed(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    let root = dir.path().join("unpacked");
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "cut.tar.gz",
            bytes[..bytes.len() / 2].to_vec(),
            "a whole archive",
        ),
        (
            "tail.tar.gz",
            bytes[..bytes.len() - 4].to_vec(),
            "a whole archive",
        ),
        ("text.tar.gz", b"not an archive".to_vec(), "a whole archive"),
        ("empty.tar.gz", Vec::new(), "a whole archive"),
    ];
    for (name, content, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, content).unwrap();
        let error = Archive::open(&file, &root).unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, CliError::Archive { .. }) && message.contains(name),
            "{name}: {message}"
        );
        assert!(message.contains(expected), "{name}: {message}");
    }
    let missing = Archive::open(&dir.path().join("nothing.tar.gz"), &root)
        .unwrap_err()
        .to_string();
    assert!(
        missing.contains("nothing.tar.gz") && missing.contains("cannot be read"),
        "{missing}"
    );
    // A damaged file leaves nothing behind that a later run would trust.
    let left = std::fs::read_dir(&root).map_or(0, Iterator::count);
    assert_eq!(left, 0);
}

/// A raw entry: any name, type and content, as a hostile archive has.
struct Raw<'a> {
    name: &'a [u8],
    kind: tar::EntryType,
    data: &'a [u8],
    /// The size the header claims, when it lies.
    size: Option<u64>,
}

fn raw(name: &'static str, data: &'static [u8]) -> Raw<'static> {
    Raw {
        name: name.as_bytes(),
        kind: tar::EntryType::Regular,
        data,
        size: None,
    }
}

/// An archive of `entries` after a manifest listing `listed` (name,
/// content) with their true sizes and digests.
fn hostile(path: &Path, listed: &[(&str, &[u8])], entries: &[Raw<'_>]) {
    let mut manifest = empty_manifest();
    for (i, (name, content)) in listed.iter().enumerate() {
        let mut hasher = Sha256::new();
        hasher.update(content);
        manifest.executables.push(Executable {
            key: key(Revision::Head, TargetKind::Bench, &format!("t{i}")),
            file: (*name).to_owned(),
            size: content.len() as u64,
            sha256: hex(&hasher.finalize()),
        });
    }
    let json = serde_json::to_vec(&manifest).unwrap();
    let mut tar = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    let mut all = vec![Raw {
        name: MANIFEST_NAME.as_bytes(),
        kind: tar::EntryType::Regular,
        data: &json,
        size: None,
    }];
    all.extend(entries.iter().map(|e| Raw { ..*e }));
    for entry in all {
        let mut header = tar::Header::new_old();
        header.as_old_mut().name[..entry.name.len()].copy_from_slice(entry.name);
        header.set_entry_type(entry.kind);
        header.set_mode(0o755);
        header.set_size(entry.size.unwrap_or(entry.data.len() as u64));
        header.set_cksum();
        tar.append(&header, entry.data).unwrap();
    }
    let bytes = tar.into_inner().unwrap().finish().unwrap();
    std::fs::File::create(path)
        .unwrap()
        .write_all(&bytes)
        .unwrap();
}

#[test]
fn hostile_entries_are_refused_and_nothing_is_written_outside() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("deep/target/perf/archive");
    let evil: &[(&str, &[u8])] = &[("evil", b"x")];
    let cases: Vec<(&str, Vec<Raw<'_>>, &str)> = vec![
        ("dotdot", vec![raw("../evil", b"x")], "outside the folder"),
        (
            "deeper",
            vec![raw("../../../evil", b"x")],
            "outside the folder",
        ),
        (
            "absolute",
            vec![raw("/tmp/evil", b"x")],
            "outside the folder",
        ),
        (
            "nested",
            vec![raw("sub/evil", b"x")],
            "not a plain file name",
        ),
        (
            "symlink",
            vec![Raw {
                kind: tar::EntryType::Symlink,
                ..raw("evil", b"")
            }],
            "not a regular file",
        ),
        (
            "folder",
            vec![Raw {
                kind: tar::EntryType::Directory,
                ..raw("evil", b"")
            }],
            "not a regular file",
        ),
        (
            "unlisted",
            vec![raw("evil", b"x"), raw("other", b"y")],
            "not in its manifest",
        ),
        ("twice", vec![raw("evil", b"x"), raw("evil", b"x")], "twice"),
        (
            "longer",
            vec![raw("evil", b"xx")],
            "holds 2 bytes where the manifest says 1",
        ),
        (
            "altered",
            vec![raw("evil", b"y")],
            "does not match the digest",
        ),
        ("missing", vec![], "lacks evil"),
    ];
    for (name, entries, expected) in cases {
        let path = dir.path().join(format!("{name}.tar.gz"));
        hostile(&path, evil, &entries);
        let message = Archive::open(&path, &root).unwrap_err().to_string();
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            message.contains(&format!("{name}.tar.gz")),
            "{name}: {message}"
        );
    }
    // Nothing named `evil` anywhere but in the folders being unpacked,
    // which a failure removes.
    let mut found = Vec::new();
    let mut stack = vec![dir.path().to_path_buf(), std::env::temp_dir()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == "evil") {
                found.push(path.clone());
            }
            if path.starts_with(dir.path()) && entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            }
        }
    }
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn an_archive_over_the_bound_or_without_a_manifest_first_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("unpacked");
    let path = dir.path().join("big.tar.gz");
    hostile(
        &path,
        &[("big", b"0123456789")],
        &[raw("big", b"0123456789")],
    );
    let message = open_within(&path, &root, 9).unwrap_err().to_string();
    assert!(
        message.contains("refused") && message.contains("MiB"),
        "{message}"
    );
    assert!(open_within(&path, &root, 10).is_ok());
    // A header that claims more than the manifest: refused before reading.
    let path = dir.path().join("liar.tar.gz");
    hostile(
        &path,
        &[("liar", b"x")],
        &[Raw {
            size: Some(1 << 40),
            ..raw("liar", b"x")
        }],
    );
    let message = Archive::open(&path, &root).unwrap_err().to_string();
    assert!(message.contains("liar.tar.gz"), "{message}");
    // Another file first: not an archive of cargo perf.
    let path = dir.path().join("foreign.tar.gz");
    let mut tar = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    let mut header = tar::Header::new_gnu();
    header.set_size(2);
    header.set_mode(0o644);
    tar.append_data(&mut header, "README", &b"hi"[..]).unwrap();
    std::fs::write(&path, tar.into_inner().unwrap().finish().unwrap()).unwrap();
    let message = Archive::open(&path, &root).unwrap_err().to_string();
    assert!(message.contains("its first entry is `README`"), "{message}");
}
