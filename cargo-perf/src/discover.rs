//! Asking each perf binary for its tests, and selecting the ones to run.

use std::path::Path;
use std::process::Command;

use perf_record::protocol::{PROTOCOL_VERSION, env};
use perf_record::{ListedTest, Listing, TestId};

use crate::cargo::PerfBinary;
use crate::error::CliError;

mod criterion;

/// Which harness a test's binary is built on, and so how it is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Harness {
    /// perf-runtime: it speaks cargo perf's own protocol.
    #[default]
    PerfRuntime,
    /// An unchanged criterion bench, measured through criterion's
    /// external-runner protocol (see [`crate::criterion`]).
    Criterion,
}

/// A test and the binary it lives in.
#[derive(Debug, Clone)]
pub struct DiscoveredTest {
    /// Which test.
    pub id: TestId,
    /// What the binary says about it.
    pub listed: ListedTest,
    /// Index into the binaries.
    pub binary: usize,
    /// The harness it runs on.
    pub harness: Harness,
}

/// Lists every perf binary. A `harness = false` binary that does not
/// answer with a listing is not built on perf-runtime: a criterion bench
/// lists its benchmarks through criterion; any other is skipped, and its
/// name is returned so it can be mentioned.
pub fn discover(
    binaries: &[PerfBinary],
    scratch: &Path,
) -> Result<(Vec<DiscoveredTest>, Vec<String>), CliError> {
    let mut tests = Vec::new();
    let mut skipped = Vec::new();
    for (index, binary) in binaries.iter().enumerate() {
        let out = scratch.join(format!("list-{index}.json"));
        let output = Command::new(&binary.executable)
            .args(["--list", "--format", "terse"])
            .env(env::LIST_OUT, &out)
            .current_dir(&binary.target.manifest_dir)
            .output()
            .map_err(|e| CliError::Listing {
                binary: binary.executable.clone(),
                message: e.to_string(),
            })?;
        if !output.status.success() {
            return Err(CliError::Listing {
                binary: binary.executable.clone(),
                message: format!(
                    "it exited with {}:\n{}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr).trim_end()
                ),
            });
        }
        let found = |listed: ListedTest, harness| DiscoveredTest {
            id: TestId {
                package: binary.target.package.clone(),
                target: binary.target.name.clone(),
                name: listed.name.clone(),
            },
            listed,
            binary: index,
            harness,
        };
        let Ok(text) = std::fs::read_to_string(&out) else {
            match criterion::list(binary)? {
                Some(listed) => tests.extend(
                    listed
                        .into_iter()
                        .map(|listed| found(listed, Harness::Criterion)),
                ),
                None => {
                    skipped.push(format!("{}/{}", binary.target.package, binary.target.name));
                }
            }
            continue;
        };
        let listing: Listing = serde_json::from_str(&text).map_err(|e| CliError::Listing {
            binary: binary.executable.clone(),
            message: format!("its listing is not valid JSON: {e}"),
        })?;
        if listing.protocol != PROTOCOL_VERSION {
            return Err(CliError::Listing {
                binary: binary.executable.clone(),
                message: format!(
                    "it was built with perf-runtime {} (protocol {}), which this cargo-perf \
                     (protocol {PROTOCOL_VERSION}) does not speak; use the same version of both",
                    listing.runtime_version, listing.protocol
                ),
            });
        }
        tests.extend(
            listing
                .tests
                .into_iter()
                .map(|listed| found(listed, Harness::PerfRuntime)),
        );
    }
    Ok((tests, skipped))
}

/// Which tests to run, as libtest selects them.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Substrings (or exact names) of test names; none selects all.
    pub filters: Vec<String>,
    /// Match filters exactly.
    pub exact: bool,
    /// Only ignored tests.
    pub ignored: bool,
    /// Ignored tests too.
    pub include_ignored: bool,
}

impl Selection {
    /// Whether the filters select this test (ignoring `ignore`).
    pub(crate) fn matches_name(&self, id: &TestId) -> bool {
        if self.filters.is_empty() {
            return true;
        }
        let full = id.to_string();
        self.filters.iter().any(|filter| {
            if self.exact {
                id.name == *filter || full == *filter
            } else {
                full.contains(filter.as_str())
            }
        })
    }

    /// Whether the test runs.
    pub fn selects(&self, test: &DiscoveredTest) -> bool {
        let ignore_ok = if self.ignored {
            test.listed.ignored
        } else {
            self.include_ignored || !test.listed.ignored
        };
        ignore_ok && self.matches_name(&test.id)
    }
}

#[cfg(test)]
impl DiscoveredTest {
    /// A test of `kind` named `name` in the demo's `perf` target, for unit
    /// tests.
    pub(crate) fn example(name: &str, kind: perf_record::TestKind) -> Self {
        Self {
            id: TestId {
                package: "demo".into(),
                target: "perf".into(),
                name: name.into(),
            },
            listed: ListedTest {
                name: name.into(),
                kind,
                ignored: false,
                ignore_reason: None,
                regression_threshold_pct: None,
                warm_up_ns: None,
                measurement_ns: None,
                source: perf_record::protocol::SourceLocation {
                    file: "benches/perf.rs".into(),
                    line: 1,
                },
                instructions: false,
                thresholds: Vec::new(),
                time_limit_ns: None,
                whole_run: false,
                load_shape: (kind == perf_record::TestKind::Load)
                    .then_some(perf_record::overrides::LoadShape::Closed),
                unsupported: Vec::new(),
            },
            binary: 0,
            harness: Harness::PerfRuntime,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use perf_record::TestKind;

    fn test(name: &str, ignored: bool) -> DiscoveredTest {
        let mut test = DiscoveredTest::example(name, TestKind::Bench);
        test.listed.ignored = ignored;
        test
    }

    #[test]
    fn filters_and_ignored_tests() {
        let plain = Selection::default();
        assert!(plain.selects(&test("checksum", false)));
        assert!(!plain.selects(&test("slow", true)));
        let only_ignored = Selection {
            ignored: true,
            ..Selection::default()
        };
        assert!(only_ignored.selects(&test("slow", true)));
        assert!(!only_ignored.selects(&test("checksum", false)));
        let filtered = Selection {
            filters: vec!["check".into()],
            ..Selection::default()
        };
        assert!(filtered.selects(&test("checksum", false)));
        assert!(!filtered.selects(&test("parse", false)));
        let by_package = Selection {
            filters: vec!["demo/perf::".into()],
            ..Selection::default()
        };
        assert!(by_package.selects(&test("parse", false)));
        let exact = Selection {
            filters: vec!["check".into()],
            exact: true,
            ..Selection::default()
        };
        assert!(!exact.selects(&test("checksum", false)));
        assert!(exact.selects(&test("check", false)));
    }
}
