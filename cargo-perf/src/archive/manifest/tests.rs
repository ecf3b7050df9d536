use cargo_metadata::TargetKind;

use super::*;

fn key(revision: Revision, kind: TargetKind, target: &str) -> TargetKey {
    TargetKey {
        revision,
        package: "demo".to_owned(),
        kind,
        target: target.to_owned(),
    }
}

fn executable(file: &str, key: TargetKey, size: u64) -> Executable {
    Executable {
        key,
        file: file.to_owned(),
        size,
        sha256: "ab".repeat(32),
    }
}

fn manifest(executables: Vec<Executable>) -> Manifest {
    Manifest {
        format_version: FORMAT_VERSION,
        cargo_perf_version: "0.1.0".to_owned(),
        created_utc: "2026-12-07T17:00:00Z".to_owned(),
        build: BuildFlags::default(),
        rustc: None,
        target: None,
        head_commit: Some("0123456789abcdef".to_owned()),
        head_dirty: false,
        base: None,
        executables,
    }
}

#[test]
fn executables_are_found_by_build_package_kind_and_target() {
    let m = manifest(vec![
        executable(
            "head-perf-1",
            key(Revision::Head, TargetKind::Bench, "perf"),
            10,
        ),
        executable(
            "base-perf-1",
            key(Revision::Base, TargetKind::Bench, "perf"),
            20,
        ),
        executable(
            "head-demo-server",
            key(Revision::Head, TargetKind::Bin, "demo-server"),
            30,
        ),
    ]);
    let find = |k: TargetKey| m.find(&k).map(|e| e.file.as_str());
    assert_eq!(
        find(key(Revision::Head, TargetKind::Bench, "perf")),
        Some("head-perf-1")
    );
    assert_eq!(
        find(key(Revision::Base, TargetKind::Bench, "perf")),
        Some("base-perf-1")
    );
    // Another kind of the same name, or the base's server: not there.
    assert_eq!(find(key(Revision::Head, TargetKind::Test, "perf")), None);
    assert_eq!(
        find(key(Revision::Base, TargetKind::Bin, "demo-server")),
        None
    );
    assert_eq!(m.total_size(), 60);
    assert_eq!(
        key(Revision::Base, TargetKind::Bin, "demo-server").to_string(),
        "demo's bin `demo-server` of the --compare-ref base"
    );
    assert_eq!(
        key(Revision::Head, TargetKind::Bench, "perf").to_string(),
        "demo's bench `perf`"
    );
}

#[test]
fn the_manifest_reads_back_as_written_and_names_its_fields() {
    let mut m = manifest(vec![executable(
        "head-perf-1",
        key(Revision::Head, TargetKind::Bench, "perf"),
        10,
    )]);
    m.base = Some(BaseBuild {
        rev: "main".to_owned(),
        commit: "fedcba".to_owned(),
    });
    m.build.features = vec!["catalog".to_owned()];
    let json = serde_json::to_value(&m).unwrap();
    let entry = &json["executables"][0];
    assert_eq!(entry["revision"], "head");
    assert_eq!(entry["kind"], "bench");
    assert_eq!(entry["package"], "demo");
    assert_eq!(entry["target"], "perf");
    assert_eq!(json["base"]["rev"], "main");
    let back: Manifest = serde_json::from_value(json).unwrap();
    assert_eq!(back, m);
    // The optional fields may be absent.
    let minimal = serde_json::json!({
        "format_version": FORMAT_VERSION,
        "cargo_perf_version": "0.1.0",
        "created_utc": "2026-12-07T17:00:00Z",
        "build": {},
        "executables": [],
    });
    let minimal: Manifest = serde_json::from_value(minimal).unwrap();
    assert!(minimal.base.is_none() && minimal.head_commit.is_none() && !minimal.head_dirty);
}

#[test]
fn a_manifest_that_cannot_be_unpacked_safely_is_refused() {
    let head = |target: &str| key(Revision::Head, TargetKind::Bench, target);
    let good = manifest(vec![executable("head-perf", head("perf"), 10)]);
    assert_eq!(good.check(100), Ok(()));
    let cases = [
        (
            vec![executable("../perf", head("perf"), 1)],
            "not a plain file name",
        ),
        (
            vec![executable("/tmp/perf", head("perf"), 1)],
            "not a plain file name",
        ),
        (
            vec![executable("a/perf", head("perf"), 1)],
            "not a plain file name",
        ),
        (
            vec![executable("", head("perf"), 1)],
            "not a plain file name",
        ),
        (
            vec![executable(".complete", head("perf"), 1)],
            "not a plain file name",
        ),
        (
            vec![executable(MANIFEST_NAME, head("perf"), 1)],
            "not a plain file name",
        ),
        (
            vec![executable("x", head("a"), 1), executable("x", head("b"), 1)],
            "lists the entry `x` twice",
        ),
        (
            vec![executable("x", head("a"), 1), executable("y", head("a"), 1)],
            "lists demo's bench `a` twice",
        ),
        (vec![executable("x", head("a"), 101)], "more than"),
        (
            vec![
                executable("x", head("a"), u64::MAX),
                executable("y", head("b"), 2),
            ],
            "more than",
        ),
    ];
    for (executables, expected) in cases {
        let message = manifest(executables).check(100).unwrap_err();
        assert!(message.contains(expected), "{expected}: {message}");
    }
    let mut bad_digest = good.clone();
    bad_digest.executables[0].sha256 = "xyz".to_owned();
    assert!(bad_digest.check(100).unwrap_err().contains("SHA-256"));
    let mut newer = good;
    newer.format_version = FORMAT_VERSION + 1;
    let message = newer.check(100).unwrap_err();
    assert!(message.contains("make the archive again"), "{message}");
}
