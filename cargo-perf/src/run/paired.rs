//! `--compare-ref REV`: the base revision and the working tree, built side
//! by side and run in alternating rounds on the same machine (base then
//! candidate, then candidate then base, ...), so that drift, warm-up and
//! a busy neighbour hit both sides alike. Each round gives one ratio per
//! metric; the verdict is made on those ratios (see [`crate::compare`]).

use std::path::{Path, PathBuf};

use perf_record::{TestId, TestKind, TestRecord, TestResult};

use crate::app::{Prepared, finish, now_unix_s};
use crate::cargo::{self, PerfBinary};
use crate::cargo::{Workspace, perf_targets};
use crate::cli::MessageFormat;
use crate::discover::{DiscoveredTest, discover};
use crate::error::CliError;
use crate::run::process::{RunOptions, merge, run_process, summary_of};
use crate::run::progress::Progress;
use crate::run::worktree::{BaseCommit, Worktree};
use crate::server::prepare_servers;
use crate::server::{Sampler, ServerManager};
use crate::verdict::compare::{
    CompareMode, Comparison, LoadRatios, TestComparison, bench_median, load_metrics,
};
use crate::{DEFAULT_ROUNDS, QUICK_ROUNDS};

/// One side of the comparison.
struct SideRun<'a> {
    name: &'static str,
    binaries: &'a [PerfBinary],
    servers: ServerManager,
}

/// A test present on both sides.
struct Pair<'a> {
    base: &'a DiscoveredTest,
    candidate: &'a DiscoveredTest,
}

/// What the rounds of one test measured.
struct Measured {
    base: TestRecord,
    candidate: TestRecord,
    ratios: Vec<f64>,
    load: LoadRatios,
}

/// Runs the comparison with `base` and returns the exit code.
pub(crate) fn run(run: &Prepared<'_>, base: &BaseCommit) -> Result<u8, CliError> {
    let args = run.args;
    let worktree = Worktree::add(base, &run.perf_dir.join("worktrees"))?;
    let manifest = user_manifest(&args.cargo.manifest_path)?;
    let mut base_cargo = args.cargo.clone();
    base_cargo.manifest_path = Some(worktree.map(&manifest).ok_or_else(|| {
        CliError::Git(format!(
            "--compare-ref {}: {} is outside the repository {}",
            base.rev,
            manifest.display(),
            base.toplevel.display()
        ))
    })?);
    // A library's Cargo.lock is often untracked: the base then builds
    // with the candidate's dependency versions rather than fresh ones.
    let lock = run.workspace.root().join("Cargo.lock");
    if let Some(base_lock) = worktree.map(&lock).filter(|l| !l.exists())
        && lock.is_file()
        && std::fs::copy(&lock, &base_lock).is_ok()
    {
        eprintln!(
            "note: {} has no Cargo.lock at {}; the base builds with the working tree's",
            base.rev,
            base.short()
        );
    }
    // The base keeps a target dir of its own (its dependencies are built
    // once and reused by later runs); the candidate's stays untouched.
    base_cargo.target_dir = Some(run.perf_dir.join("base-target"));
    eprintln!(
        "{:>12} base {} ({}) in {}",
        "Building",
        base.rev,
        base.short(),
        worktree.path().display()
    );
    let base_workspace = Workspace::load(&base_cargo)?;
    let base_packages = base_workspace.select(&base_cargo).map_err(|e| {
        CliError::Git(format!(
            "--compare-ref {}: the base revision cannot select the same packages: {e}",
            base.rev
        ))
    })?;
    let base_targets = perf_targets(&base_packages, &base_cargo)?;
    let base_binaries = if base_targets.is_empty() {
        Vec::new()
    } else {
        cargo::build(&base_cargo, &base_targets)?
    };
    let base_scratch = run.scratch.join("base");
    std::fs::create_dir_all(&base_scratch).map_err(|source| CliError::Write {
        path: base_scratch.clone(),
        source,
    })?;
    let (base_tests, _) = discover(&base_binaries, &base_scratch)?;
    let selection = crate::app::selection(args);
    let base_tests: Vec<DiscoveredTest> = base_tests
        .into_iter()
        .filter(|t| selection.selects(t))
        .collect();
    let pairs: Vec<Pair<'_>> = run
        .selected
        .iter()
        .filter_map(|candidate| {
            base_tests
                .iter()
                .find(|b| b.id == candidate.id && b.listed.kind == candidate.listed.kind)
                .map(|base| Pair { base, candidate })
        })
        .collect();
    let only_in_current: Vec<TestId> = run
        .selected
        .iter()
        .filter(|c| !pairs.iter().any(|p| p.candidate.id == c.id))
        .map(|c| c.id.clone())
        .collect();
    let only_in_baseline: Vec<TestId> = base_tests
        .iter()
        .filter(|b| !pairs.iter().any(|p| p.base.id == b.id))
        .map(|b| b.id.clone())
        .collect();

    let base_package_configs = base_packages
        .iter()
        .map(|p| Ok((p.name.to_string(), base_workspace.package_config(p)?)))
        .collect::<Result<_, CliError>>()?;
    let paired_base: Vec<DiscoveredTest> = pairs.iter().map(|p| p.base.clone()).collect();
    let paired_candidate: Vec<DiscoveredTest> = pairs.iter().map(|p| p.candidate.clone()).collect();
    let mut sides = [
        SideRun {
            name: "base",
            binaries: &base_binaries,
            servers: prepare_servers(
                &base_cargo,
                None,
                args.allow_remote,
                &base_workspace,
                &base_package_configs,
                &paired_base,
                &run.perf_dir.join("server-base.log"),
            )?,
        },
        SideRun {
            name: "candidate",
            binaries: run.binaries,
            servers: prepare_servers(
                &args.cargo,
                None,
                args.allow_remote,
                run.workspace,
                run.package_configs,
                &paired_candidate,
                &run.perf_dir.join("server.log"),
            )?,
        },
    ];
    let rounds = args.rounds.unwrap_or(if args.quick {
        QUICK_ROUNDS
    } else {
        DEFAULT_ROUNDS
    });
    let started = now_unix_s();
    let measured = measure_pairs(&pairs, &mut sides, &run.options, rounds, run.scratch, "")?;
    let mut base_records: Vec<TestRecord> = measured.iter().map(|m| m.base.clone()).collect();
    let mut candidate_records: Vec<TestRecord> =
        measured.iter().map(|m| m.candidate.clone()).collect();
    run.apply_thresholds(&mut base_records);
    run.apply_thresholds(&mut candidate_records);
    let mut comparison = Comparison {
        mode: CompareMode::Paired {
            base_ref: base.rev.clone(),
            rounds,
        },
        baseline_path: format!("commit {}", base.short()),
        baseline_created_utc: perf_record::record::format_utc(started),
        baseline_git_commit: Some(base.commit.clone()),
        environment_differences: Vec::new(),
        tests: comparisons(&measured, &base_records, &candidate_records),
        only_in_baseline,
        only_in_current,
        noise_floor_pct: None,
        noise_warnings: Vec::new(),
    };
    comparison.judge();

    // A flagged test is measured again, with fresh rounds, before it may
    // fail the run.
    let flagged = comparison.unconfirmed_tests();
    if !flagged.is_empty() {
        eprintln!(
            "{:>12} {} flagged test(s) with {rounds} more rounds: {}",
            "Confirming",
            flagged.len(),
            crate::app::join_ids(&flagged)
        );
        let again: Vec<Pair<'_>> = pairs
            .iter()
            .filter(|p| flagged.contains(&p.candidate.id))
            .map(|p| Pair {
                base: p.base,
                candidate: p.candidate,
            })
            .collect();
        let remeasured = measure_pairs(
            &again,
            &mut sides,
            &run.options,
            rounds,
            run.scratch,
            "confirm-",
        )?;
        let mut base_again: Vec<TestRecord> = remeasured.iter().map(|m| m.base.clone()).collect();
        let mut candidate_again: Vec<TestRecord> =
            remeasured.iter().map(|m| m.candidate.clone()).collect();
        run.apply_thresholds(&mut base_again);
        run.apply_thresholds(&mut candidate_again);
        comparison.confirm(&comparisons(&remeasured, &base_again, &candidate_again));
    }
    for side in &mut sides {
        side.servers.stop();
    }
    drop(worktree);
    let record = run.record(started, candidate_records);
    let (latest, saved) = run.save(&record)?;
    Ok(finish(
        &record,
        Some(&comparison),
        saved.as_deref(),
        &latest,
        args.message_format == MessageFormat::Json,
    ))
}

/// The manifest cargo would use: the flag's, else the nearest Cargo.toml
/// from the current directory up.
fn user_manifest(flag: &Option<PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(path) = flag {
        return Ok(path.clone());
    }
    let cwd = std::env::current_dir().map_err(|source| CliError::Io {
        message: "failed to read the current directory".to_owned(),
        source,
    })?;
    Ok(cwd
        .ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| cwd.join("Cargo.toml")))
}

fn comparisons(
    measured: &[Measured],
    base: &[TestRecord],
    candidate: &[TestRecord],
) -> Vec<TestComparison> {
    measured
        .iter()
        .zip(base.iter().zip(candidate))
        .flat_map(|(m, (base, candidate))| {
            if candidate.kind == TestKind::Load {
                load_metrics(base, candidate, Some(&m.load))
            } else {
                let mut metrics = vec![bench_median(base, candidate, Some(&m.ratios))];
                metrics.extend(
                    crate::verdict::compare::compare_records(base, candidate)
                        .into_iter()
                        .filter(|c| c.metric == "instructions"),
                );
                metrics
            }
        })
        .collect()
}

/// Runs every pair for `rounds` alternating rounds, test by test.
fn measure_pairs(
    pairs: &[Pair<'_>],
    sides: &mut [SideRun<'_>; 2],
    options: &RunOptions,
    rounds: u32,
    scratch: &Path,
    tag: &str,
) -> Result<Vec<Measured>, CliError> {
    let total = pairs.len() * rounds as usize * 2;
    let mut progress = Progress::new(total);
    let mut step = 0;
    let mut out = Vec::new();
    for (index, pair) in pairs.iter().enumerate() {
        let load = pair.candidate.listed.kind == TestKind::Load;
        // A load test's workload is shortened so that each side spends
        // the test's usual length over all rounds, as a benchmark does.
        let mut options = options.clone();
        if load {
            options.duration_scale =
                Some(options.duration_scale.unwrap_or(1.0) / f64::from(rounds));
        } else {
            // Each process warms up for half its share of the warm-up
            // time: it starts on a machine the other side just warmed,
            // and it keeps a comparison within twice a plain run's time.
            let own = pair.candidate.listed.warm_up_ns;
            let warm_up = options.warm_up.unwrap_or_else(|| {
                let ns = own.unwrap_or(perf_record::protocol::DEFAULT_WARM_UP_NS);
                let ns = if options.quick {
                    ns.min(perf_record::protocol::QUICK_WARM_UP_NS)
                } else {
                    ns
                };
                std::time::Duration::from_nanos(ns)
            });
            options.warm_up = Some(warm_up / 2);
        }
        let mut results: [Vec<TestResult>; 2] = [Vec::new(), Vec::new()];
        let mut failed: [Option<TestRecord>; 2] = [None, None];
        let mut server_stats = [None, None];
        let mut measured = Measured {
            base: placeholder(pair.candidate),
            candidate: placeholder(pair.candidate),
            ratios: Vec::new(),
            load: LoadRatios::default(),
        };
        for round in 0..rounds {
            let order: [usize; 2] = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            let mut this_round: [Option<TestResult>; 2] = [None, None];
            for side_index in order {
                step += 1;
                if failed[side_index].is_some() {
                    continue;
                }
                let test = if side_index == 0 {
                    pair.base
                } else {
                    pair.candidate
                };
                let (target, sampler) = if load {
                    // One server at a time: the idle one would share the
                    // machine (and a fixed `port`) with the one measured.
                    sides[1 - side_index].servers.stop();
                    let side = &mut sides[side_index];
                    (Some(side.servers.url_for_test()?), side.servers.sample())
                } else {
                    (None, None)
                };
                let side = &mut sides[side_index];
                progress.begin(format!(
                    "[{step}/{total}] {} ({}, round {} of {rounds})",
                    test.id,
                    side.name,
                    round + 1
                ));
                let path = scratch.join(format!("{tag}paired-{index}-{round}-{}.jsonl", side.name));
                let outcome = run_process(
                    test,
                    &side.binaries[test.binary],
                    &options,
                    if load { 1 } else { rounds },
                    target.as_deref(),
                    &path,
                    &mut progress,
                )?;
                if load {
                    server_stats[side_index] = sampler.and_then(Sampler::finish);
                    side.servers.after_test()?;
                }
                match outcome {
                    Ok(result) => {
                        progress.end(Some(summary_of(&result)));
                        this_round[side_index] = Some(result.clone());
                        results[side_index].push(result);
                    }
                    Err(record) => {
                        progress.end(None);
                        failed[side_index] = Some(record);
                    }
                }
            }
            if let [Some(base), Some(candidate)] = &this_round {
                if let (Some(b), Some(c)) = (&base.stats, &candidate.stats) {
                    measured.ratios.push(c.median_ns / b.median_ns);
                }
                if let (Some(b), Some(c)) = (&base.load, &candidate.load) {
                    let ratio = |c: f64, b: f64| c / b;
                    measured
                        .load
                        .p95
                        .push(ratio(c.latency.p95_us as f64, b.latency.p95_us as f64));
                    measured
                        .load
                        .p99
                        .push(ratio(c.latency.p99_us as f64, b.latency.p99_us as f64));
                    measured.load.rps.push(ratio(c.rps, b.rps));
                }
            }
        }
        let [base_results, candidate_results] = results;
        let [base_failed, candidate_failed] = failed;
        let [base_server, candidate_server] = server_stats;
        let rounds_merged = |test: &DiscoveredTest, results: Vec<TestResult>| {
            let loads: Vec<_> = results.iter().filter_map(|r| r.load.clone()).collect();
            let mut record = merge(test, results);
            if let Some(load) = aggregate_load(loads) {
                record.load = Some(load);
            }
            record
        };
        measured.base = base_failed.unwrap_or_else(|| rounds_merged(pair.base, base_results));
        measured.base.server = base_server;
        measured.candidate =
            candidate_failed.unwrap_or_else(|| rounds_merged(pair.candidate, candidate_results));
        measured.candidate.server = candidate_server;
        crate::run::process::count_instructions(
            &mut measured.base,
            pair.base,
            &sides[0].binaries[pair.base.binary],
            &options,
        );
        crate::run::process::count_instructions(
            &mut measured.candidate,
            pair.candidate,
            &sides[1].binaries[pair.candidate.binary],
            &options,
        );
        out.push(measured);
    }
    Ok(out)
}

/// One load test's rounds as one: requests, errors and time summed, rps
/// and every percentile the median over the rounds. The serialized
/// histograms stay the first round's (a warning says so).
fn aggregate_load(
    rounds: Vec<perf_record::load::LoadStats>,
) -> Option<perf_record::load::LoadStats> {
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    let median_u64 = |pick: &dyn Fn(&perf_record::load::LoadStats) -> u64| {
        median(rounds.iter().map(|r| pick(r) as f64).collect()) as u64
    };
    let first = rounds.first()?.clone();
    if rounds.len() == 1 {
        return Some(first);
    }
    let requests: u64 = rounds.iter().map(|r| r.requests).sum();
    let errors: f64 = rounds
        .iter()
        .map(|r| r.error_rate_pct / 100.0 * r.requests as f64)
        .sum();
    let mut load = first;
    load.requests = requests;
    load.iterations = rounds.iter().map(|r| r.iterations).sum();
    load.duration_s = rounds.iter().map(|r| r.duration_s).sum();
    load.error_rate_pct = if requests > 0 {
        errors / requests as f64 * 100.0
    } else {
        0.0
    };
    load.rps = median(rounds.iter().map(|r| r.rps).collect());
    let latency = &mut load.latency;
    latency.count = rounds.iter().map(|r| r.latency.count).sum();
    latency.min_us = rounds.iter().map(|r| r.latency.min_us).min().unwrap_or(0);
    latency.max_us = rounds.iter().map(|r| r.latency.max_us).max().unwrap_or(0);
    latency.mean_us = median(rounds.iter().map(|r| r.latency.mean_us).collect());
    latency.p50_us = median_u64(&|r| r.latency.p50_us);
    latency.p90_us = median_u64(&|r| r.latency.p90_us);
    latency.p95_us = median_u64(&|r| r.latency.p95_us);
    latency.p99_us = median_u64(&|r| r.latency.p99_us);
    latency.p999_us = median_u64(&|r| r.latency.p999_us);
    load.late_iterations = rounds.iter().map(|r| r.late_iterations).sum();
    load.dropped_iterations = rounds.iter().map(|r| r.dropped_iterations).sum();
    load.generator_cpu_s = rounds.iter().map(|r| r.generator_cpu_s).sum();
    load.warnings.push(format!(
        "{} paired rounds: rps and percentiles are the median over the rounds, requests and errors their sum; \
         the serialized histograms and the time series are the first round's",
        rounds.len()
    ));
    Some(load)
}

/// A record to be replaced by the measurement.
fn placeholder(test: &DiscoveredTest) -> TestRecord {
    merge(test, Vec::new())
}
