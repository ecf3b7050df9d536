//! `cargo perf merge`: the run records of a run's shards as one run
//! record. Test-list shards (`--shard`) are unioned; split shards
//! (`--split`) of the same load tests are added exactly. Whatever cannot
//! make one honest run is refused, naming the file.

use std::path::{Path, PathBuf};

use perf_record::finding::Warning;
use perf_record::record::{SCHEMA_VERSION, format_utc};
use perf_record::shard::ShardInfo;
use perf_record::{RunRecord, TestId, TestRecord};

/// Why the shards do not make one run.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct MergeError {
    /// The file at fault (for a missing shard, the first of the run's).
    pub path: PathBuf,
    /// What is wrong and what to do.
    pub message: String,
}

fn refuse(path: &Path, message: String) -> MergeError {
    MergeError {
        path: path.to_path_buf(),
        message,
    }
}

/// The shards' records as one run record, or why they are not one run.
pub fn merge(shards: &[(PathBuf, RunRecord)]) -> Result<RunRecord, MergeError> {
    let Some((_, first)) = shards.first() else {
        return Err(refuse(Path::new("."), "no run record to merge".to_owned()));
    };
    let infos = identities(shards)?;
    let reference = &infos[0];
    check_complete(shards, &infos)?;
    for ((path, record), _) in shards.iter().zip(&infos) {
        check_generators(path, record)?;
    }
    let tests = if reference.kind.deals_tests() {
        union(shards)?
    } else {
        split_tests(shards)?
    };
    let created = shards
        .iter()
        .map(|(_, r)| r.created_unix_s)
        .min()
        .unwrap_or(first.created_unix_s);
    Ok(RunRecord {
        schema_version: SCHEMA_VERSION,
        cargo_perf_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_unix_s: created,
        created_utc: format_utc(created),
        environment: super::environment::merged(shards.iter().map(|(_, r)| &r.environment)),
        tests,
        shard: None,
        split: None,
    })
}

/// Each record's shard identity, all of one run.
fn identities(shards: &[(PathBuf, RunRecord)]) -> Result<Vec<ShardInfo>, MergeError> {
    let mut infos: Vec<ShardInfo> = Vec::new();
    for (path, record) in shards {
        let Some(info) = &record.shard else {
            return Err(refuse(
                path,
                "it is the record of a whole run, not of a shard (it has no `shard`); \
                 merge the records that `cargo perf --shard` or `--split` wrote"
                    .to_owned(),
            ));
        };
        if let Some(reference) = infos.first() {
            let (first_path, _) = &shards[0];
            if (info.kind, info.count) != (reference.kind, reference.count) {
                return Err(refuse(
                    path,
                    format!(
                        "it is shard {info}, but {} is shard {reference}: shards of one run are dealt \
                         the same way into the same number",
                        first_path.display()
                    ),
                ));
            }
            if info.run_hash != reference.run_hash {
                return Err(refuse(
                    path,
                    format!(
                        "it belongs to another run than {} (run hash {} against {}): another commit, \
                         toolchain, Cargo.lock, test list or measurement flags; merge the shards of \
                         one run",
                        first_path.display(),
                        info.run_hash,
                        reference.run_hash
                    ),
                ));
            }
        }
        infos.push(info.clone());
    }
    Ok(infos)
}

/// Every shard once: none twice, none missing.
fn check_complete(shards: &[(PathBuf, RunRecord)], infos: &[ShardInfo]) -> Result<(), MergeError> {
    let count = infos[0].count;
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for ((path, _), info) in shards.iter().zip(infos) {
        let slot = seen
            .get_mut(info.index.wrapping_sub(1) as usize)
            .ok_or_else(|| {
                refuse(
                    path,
                    format!("it says it is shard {info}, beyond {count} shards"),
                )
            })?;
        if let Some(other) = slot {
            return Err(refuse(
                path,
                format!(
                    "it is shard {info}, and so is {}: give each shard's record once",
                    other.display()
                ),
            ));
        }
        *slot = Some(path);
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(refuse(
        &shards[0].0,
        format!(
            "shard(s) {} of {count} of its run are missing: a merge of part of a run would \
             pass what it never measured; give every shard's record",
            missing.join(", ")
        ),
    ))
}

/// One saturated generator makes its shard, and so the run, invalid.
fn check_generators(path: &Path, record: &RunRecord) -> Result<(), MergeError> {
    for test in &record.tests {
        let saturated = test
            .load
            .iter()
            .flat_map(|l| &l.warnings)
            .find_map(|w| match w {
                Warning::GeneratorSaturated { cpu_pct, .. } => Some(*cpu_pct),
                _ => None,
            });
        if let Some(cpu_pct) = saturated {
            return Err(refuse(
                path,
                format!(
                    "its load generator was saturated in {} ({cpu_pct:.0}% of its threads): its \
                     figures may describe the generator, not the server, and one invalid shard \
                     invalidates the merged result; run that shard on a larger machine or split \
                     the load further",
                    test.id
                ),
            ));
        }
    }
    Ok(())
}

/// Test-list shards: every test of every shard, none in two.
fn union(shards: &[(PathBuf, RunRecord)]) -> Result<Vec<TestRecord>, MergeError> {
    let mut tests: Vec<(TestRecord, &Path)> = Vec::new();
    for (path, record) in shards {
        for test in &record.tests {
            if let Some((_, other)) = tests.iter().find(|(t, _)| t.id == test.id) {
                return Err(refuse(
                    path,
                    format!(
                        "it holds {}, and so does {}: a test runs in one shard of a run",
                        test.id,
                        other.display()
                    ),
                ));
            }
            tests.push((test.clone(), path));
        }
    }
    Ok(tests.into_iter().map(|(t, _)| t).collect())
}

/// Split shards: each test's parts added; every shard ran every test.
fn split_tests(shards: &[(PathBuf, RunRecord)]) -> Result<Vec<TestRecord>, MergeError> {
    let (first_path, first) = &shards[0];
    let mut ids: Vec<&TestId> = first.tests.iter().map(|t| &t.id).collect();
    for (path, record) in &shards[1..] {
        let theirs: Vec<&TestId> = record.tests.iter().map(|t| &t.id).collect();
        if let Some(odd) = theirs
            .iter()
            .find(|id| !ids.contains(id))
            .or_else(|| ids.iter().find(|id| !theirs.contains(id)))
        {
            return Err(refuse(
                path,
                format!(
                    "its tests differ from those of {} ({odd} is in one of them only): the shards \
                     of a split run every test",
                    first_path.display()
                ),
            ));
        }
    }
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            let parts: Vec<(&Path, &TestRecord)> = shards
                .iter()
                .filter_map(|(path, r)| r.test(id).map(|t| (path.as_path(), t)))
                .collect();
            split_test(&parts)
        })
        .collect()
}

/// One test's split parts as one record: a failed part fails it; a load
/// test's load added, its SLA thresholds checked again on the sum; a
/// benchmark (whose measurement is not split) as the first shard ran it.
fn split_test(parts: &[(&Path, &TestRecord)]) -> Result<TestRecord, MergeError> {
    let (_, first) = parts[0];
    if let Some((_, failed)) = parts.iter().find(|(_, t)| !t.outcome.is_passed()) {
        return Ok((*failed).clone());
    }
    let loads: Vec<&perf_record::load::LoadStats> =
        parts.iter().filter_map(|(_, t)| t.load.as_ref()).collect();
    if loads.len() != parts.len() {
        return Ok(first.clone());
    }
    let load = super::load::concurrent(&loads)
        .map_err(|e| refuse(parts[0].0, format!("{}: {e}", first.id)))?;
    let mut record = first.clone();
    record.thresholds = first
        .thresholds
        .iter()
        .map(|r| r.threshold.check(&load))
        .filter(|r| !r.value.is_nan())
        .collect();
    // Each shard watched the server (or, for an external one, none): the
    // samples of every shard are kept, on the wall clock.
    let watched: Vec<(
        &perf_record::load::ServerStats,
        &perf_record::load::LoadStats,
    )> = parts
        .iter()
        .filter_map(|(_, t)| Some((t.server.as_ref()?, t.load.as_ref()?)))
        .collect();
    let starts: Vec<Option<u64>> = watched.iter().map(|(_, l)| l.started_unix_ms).collect();
    let server_parts: Vec<super::server::ServerPart<'_>> = watched
        .iter()
        .zip(super::timeline::offsets(&starts))
        .map(|((stats, load), offset)| super::server::ServerPart {
            stats,
            offset_s: f64::from(offset),
            load_started_unix_ms: load.started_unix_ms,
            duration_s: load.duration_s,
        })
        .collect();
    record.server = super::server::combine(&server_parts);
    record.load = Some(load);
    Ok(record)
}

#[cfg(test)]
mod tests;
