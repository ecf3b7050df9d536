//! One `cargo perf` run, from flags to exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use perf_record::record::{SCHEMA_VERSION, format_utc};
use perf_record::{RunRecord, TestOutcome};

use crate::cargo::{Workspace, feature_gated_targets, perf_targets};
use crate::cli::{MessageFormat, PerfArgs};
use crate::discover::{DiscoveredTest, Selection, discover};
use crate::error::CliError;
use crate::report::{self, JsonMessage};
use crate::run::process::{RunOptions, run_tests};
use crate::server::ServerManager;
use crate::server::{check_loopback, prepare_servers};
use crate::verdict::compare::{Comparison, compare};
use crate::{DEFAULT_PROCESSES, DEFAULT_THRESHOLD_PCT, baseline, cargo, environment, exit_code};

/// Runs `cargo perf` and returns the exit code; errors that stop the run
/// early come back as `Err`.
pub fn run(args: &PerfArgs) -> Result<u8, CliError> {
    // Ctrl-C and SIGTERM stop the perf binary running at the moment and
    // any server, whatever the run is doing.
    crate::interrupt::install_signal_handler();
    let json = args.message_format == MessageFormat::Json;
    // A bad target must not cost a build.
    if let Some(url) = &args.target_url {
        check_loopback(url, args.allow_remote)?;
    }
    for (flag, value) in [
        ("--save-baseline", &args.save_baseline),
        ("--compare", &args.compare),
    ] {
        if let Some(value) = value {
            baseline::check_name(flag, value)?;
        }
    }
    let env_target =
        std::env::var(perf_record::protocol::env::TARGET_URL).is_ok_and(|u| !u.trim().is_empty());
    if args.compare_ref.is_some() && (args.target_url.is_some() || env_target) {
        return Err(CliError::Usage(
            "--compare-ref starts a server for each side; it cannot be combined with --target-url or \
             PERF_TARGET_URL, where both sides would load the same server"
                .to_owned(),
        ));
    }
    if args.instructions && crate::run::instructions::Counter::detect().is_none() {
        return Err(CliError::Usage(format!(
            "--instructions: {}",
            crate::run::instructions::Counter::UNAVAILABLE
        )));
    }
    let workspace = Workspace::load(&args.cargo)?;
    let packages = workspace.select(&args.cargo)?;
    let mut package_configs = BTreeMap::new();
    for package in &packages {
        package_configs.insert(package.name.to_string(), workspace.package_config(package)?);
    }
    // The most specific wins: the flag, then the selected package's own
    // setting (over the workspace's) when one package is selected, then the
    // workspace's, then target/perf/baselines.
    let single_package = match packages.as_slice() {
        [only] => package_configs.get(only.name.as_str()),
        _ => None,
    };
    let baseline_dir = args
        .baseline_dir
        .clone()
        .or_else(|| single_package.and_then(|c| c.baseline_dir.clone()))
        .or_else(|| workspace.config.baseline_dir.clone())
        .unwrap_or_else(|| workspace.target_dir.join("perf").join("baselines"));
    // Read the baseline before building: a typo must not cost a whole run.
    let baseline = match &args.compare {
        Some(name) => {
            let path = baseline::resolve(name, &baseline_dir);
            Some((baseline::load(&path)?, path))
        }
        None => None,
    };
    // And resolve the base revision before building, for the same reason.
    let base_commit = match &args.compare_ref {
        Some(rev) => Some(crate::run::worktree::resolve(workspace.root(), rev)?),
        None => None,
    };
    let targets = perf_targets(&packages, &args.cargo)?;
    let gated = feature_gated_targets(&packages, &args.cargo);
    if targets.is_empty() && !gated.is_empty() {
        return Err(CliError::NoPerfTargets(format!(
            "no perf targets with the features selected: {} left out by its required-features; \
             turn them on with the -F shown",
            gated.join(", ")
        )));
    }
    if targets.is_empty() {
        let names: Vec<_> = packages.iter().map(|p| p.name.to_string()).collect();
        return Err(CliError::NoPerfTargets(format!(
            "no perf targets in {}: add `perf-runtime` to [dev-dependencies] and a \
             [[bench]] with `harness = false` whose file ends with `perf_runtime::main!();` \
             (see the README's tour), or pick another package with `-p`",
            if names.is_empty() {
                "the selection".to_owned()
            } else {
                names.join(", ")
            }
        )));
    }
    let binaries = cargo::build(&args.cargo, &targets)?;
    let perf_dir = workspace.target_dir.join("perf");
    std::fs::create_dir_all(&perf_dir).map_err(|source| CliError::Write {
        path: perf_dir.clone(),
        source,
    })?;
    let scratch = tempfile::Builder::new()
        .prefix(".run-")
        .tempdir_in(&perf_dir)
        .map_err(|source| CliError::Write {
            path: perf_dir.clone(),
            source,
        })?;
    let (tests, skipped) = discover(&binaries, scratch.path())?;
    if args.verbose {
        for name in skipped {
            eprintln!("note: {name} does not use perf-runtime's harness; skipped");
        }
    }
    let selection = selection(args);
    let selected: Vec<_> = tests.iter().filter(|t| selection.selects(t)).collect();
    if selected.is_empty() {
        return Err(no_test_matched(args, &tests, &gated));
    }
    if args.list {
        if json {
            JsonMessage::TestList {
                schema_version: SCHEMA_VERSION,
                tests: selected
                    .iter()
                    .map(|t| report::ListedTestMessage {
                        id: &t.id,
                        listed: &t.listed,
                    })
                    .collect(),
            }
            .print();
        } else {
            report::print_list(&selected);
        }
        return Ok(exit_code::SUCCESS);
    }
    let selected: Vec<_> = selected.into_iter().cloned().collect();
    let run = Prepared {
        args,
        workspace: &workspace,
        package_configs: &package_configs,
        perf_dir: &perf_dir,
        scratch: scratch.path(),
        binaries: &binaries,
        selected: &selected,
        baseline_dir: &baseline_dir,
        options: run_options(args),
    };
    match (base_commit, baseline) {
        (Some(commit), _) => crate::run::paired::run(&run, &commit),
        (None, baseline) => run_against_baseline(&run, baseline),
    }
}

/// Everything a run needs once the candidate is built and its tests are
/// selected.
pub(crate) struct Prepared<'a> {
    pub(crate) args: &'a PerfArgs,
    pub(crate) workspace: &'a Workspace,
    pub(crate) package_configs: &'a BTreeMap<String, crate::cargo::PerfConfig>,
    pub(crate) perf_dir: &'a Path,
    pub(crate) scratch: &'a Path,
    pub(crate) binaries: &'a [cargo::PerfBinary],
    pub(crate) selected: &'a [DiscoveredTest],
    pub(crate) baseline_dir: &'a Path,
    pub(crate) options: RunOptions,
}

impl Prepared<'_> {
    /// The run record around the tests' records.
    pub(crate) fn record(&self, started: u64, tests: Vec<perf_record::TestRecord>) -> RunRecord {
        RunRecord {
            schema_version: SCHEMA_VERSION,
            cargo_perf_version: env!("CARGO_PKG_VERSION").to_owned(),
            created_unix_s: started,
            created_utc: format_utc(started),
            environment: environment::fingerprint(self.workspace.root(), &self.args.cargo),
            tests,
        }
    }

    /// Writes `latest.json`, and the baseline when `--save-baseline` asks.
    pub(crate) fn save(&self, record: &RunRecord) -> Result<(PathBuf, Option<PathBuf>), CliError> {
        let latest = self.perf_dir.join("latest.json");
        baseline::write_atomic(&latest, record)?;
        let saved = match &self.args.save_baseline {
            Some(name) => {
                let path = baseline::resolve(name, self.baseline_dir);
                baseline::write_atomic(&path, record)?;
                Some(path)
            }
            None => None,
        };
        Ok((latest, saved))
    }

    /// Fills in each record's effective regression threshold and checks
    /// its SLA thresholds.
    pub(crate) fn apply_thresholds(&self, records: &mut [perf_record::TestRecord]) {
        apply_thresholds(
            records,
            self.selected,
            self.package_configs,
            self.args.threshold,
        );
    }
}

/// The tests the flags select.
pub(crate) fn selection(args: &PerfArgs) -> Selection {
    Selection {
        filters: args.filters.clone(),
        exact: args.exact,
        ignored: args.ignored,
        include_ignored: args.include_ignored || args.list,
    }
}

/// Test ids as a comma-separated list, for messages.
pub(crate) fn join_ids<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Seconds since the Unix epoch.
pub(crate) fn now_unix_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn run_options(args: &PerfArgs) -> RunOptions {
    RunOptions {
        quick: args.quick,
        warm_up: args.warm_up_time,
        measurement: args.measurement_time,
        processes: args
            .processes
            .unwrap_or(if args.quick { 1 } else { DEFAULT_PROCESSES }),
        // --quick is a smoke run: load tests too run at a tenth of their
        // length unless --duration-scale says otherwise.
        duration_scale: args
            .duration_scale
            .or(args.quick.then_some(QUICK_DURATION_SCALE)),
        allow_remote: args.allow_remote,
        verbose: args.verbose,
        instructions: args.instructions,
    }
}

fn no_test_matched(args: &PerfArgs, tests: &[DiscoveredTest], gated: &[String]) -> CliError {
    let known: Vec<String> = tests
        .iter()
        .map(|t| {
            let ignored = if t.listed.ignored { " (ignored)" } else { "" };
            format!("  {}{ignored}", t.id)
        })
        .collect();
    let what = if args.filters.is_empty() {
        "no perf test to run".to_owned()
    } else {
        format!("no perf test matched {}", args.filters.join(", "))
    };
    let what = if args.ignored {
        format!(
            "{what} among the ignored tests (--ignored runs only those; --include-ignored runs all)"
        )
    } else {
        what
    };
    let gated = if gated.is_empty() {
        String::new()
    } else {
        format!(
            "\n(not built, for their required-features: {})",
            gated.join(", ")
        )
    };
    CliError::NoTestMatched(if known.is_empty() {
        format!("{what}: the perf targets contain no #[perf_test] functions{gated}")
    } else {
        format!("{what}; the tests are:\n{}{gated}", known.join("\n"))
    })
}

/// A plain run, compared with a saved baseline when `--compare` asks.
fn run_against_baseline(
    run: &Prepared<'_>,
    baseline: Option<(RunRecord, PathBuf)>,
) -> Result<u8, CliError> {
    let args = run.args;
    let mut servers = prepare_servers(
        &args.cargo,
        args.target_url.clone(),
        args.allow_remote,
        run.workspace,
        run.package_configs,
        run.selected,
        &run.perf_dir.join("server.log"),
    )?;
    let started = now_unix_s();
    let records = run_tests(
        run.selected,
        run.binaries,
        &run.options,
        run.scratch,
        &mut servers,
    );
    servers.stop();
    let mut records = records?;
    run.apply_thresholds(&mut records);
    let record = run.record(started, records);
    let mut comparison = baseline
        .as_ref()
        .map(|(old, path)| compare(old, path, &record));
    if let (Some(comparison), Some((old, _))) = (&mut comparison, &baseline) {
        confirm_against_baseline(run, comparison, old, &mut servers)?;
    }
    let (latest, saved) = run.save(&record)?;
    Ok(finish(
        &record,
        comparison.as_ref(),
        saved.as_deref(),
        &latest,
        args.message_format == MessageFormat::Json,
    ))
}

/// Runs the tests flagged as regressed once more and keeps the verdict
/// only where the re-run finds the regression again.
fn confirm_against_baseline(
    run: &Prepared<'_>,
    comparison: &mut Comparison,
    baseline: &RunRecord,
    servers: &mut ServerManager,
) -> Result<(), CliError> {
    let flagged = comparison.unconfirmed_tests();
    if flagged.is_empty() {
        return Ok(());
    }
    eprintln!(
        "{:>12} {} flagged test(s) with a re-run: {}",
        "Confirming",
        flagged.len(),
        join_ids(&flagged)
    );
    let tests: Vec<DiscoveredTest> = run
        .selected
        .iter()
        .filter(|t| flagged.contains(&t.id))
        .cloned()
        .collect();
    let records = run_tests(&tests, run.binaries, &run.options, run.scratch, servers);
    servers.stop();
    let mut records = records?;
    run.apply_thresholds(&mut records);
    let rerun: Vec<_> = records
        .iter()
        .filter_map(|new| {
            let old = baseline.tests.iter().find(|t| t.id == new.id)?;
            Some(crate::verdict::compare::compare_records(old, new))
        })
        .flatten()
        .collect();
    comparison.confirm(&rerun);
    Ok(())
}

/// The most specific threshold wins: the test's own, then the command
/// line, then the package's (or workspace's) configuration.
fn apply_thresholds(
    records: &mut [perf_record::TestRecord],
    selected: &[DiscoveredTest],
    package_configs: &BTreeMap<String, crate::cargo::PerfConfig>,
    flag: Option<f64>,
) {
    for record in records {
        let own = record.config.regression_threshold_pct;
        let package = package_configs
            .get(&record.id.package)
            .and_then(|c| c.regression_threshold_pct);
        record.config.regression_threshold_pct =
            Some(own.or(flag).or(package).unwrap_or(DEFAULT_THRESHOLD_PCT));
        // SLA thresholds: the test's own, then the package's defaults for
        // the metrics the test does not set.
        if let Some(load) = &record.load {
            let mut thresholds = selected
                .iter()
                .find(|t| t.id == record.id)
                .map(|t| t.listed.thresholds.clone())
                .unwrap_or_default();
            let defaults = package_configs
                .get(&record.id.package)
                .map(|c| c.thresholds.as_slice())
                .unwrap_or_default();
            for default in defaults {
                // A sweep's metric (`growth`, ...) as a package default
                // applies to the tests that measure it.
                if default.applies_to(load)
                    && !thresholds.iter().any(|t| t.metric == default.metric)
                {
                    thresholds.push(default.clone());
                }
            }
            // A figure the run could not measure (a soak test's memory
            // without a server to watch, a growth fit from one level) is
            // not checked: the findings say why it is missing.
            record.thresholds = thresholds
                .iter()
                .map(|t| t.check(load))
                .filter(|r| !r.value.is_nan())
                .collect();
        }
    }
}

/// Prints the reports and decides the exit code.
pub(crate) fn finish(
    record: &RunRecord,
    comparison: Option<&Comparison>,
    saved: Option<&std::path::Path>,
    latest: &std::path::Path,
    json: bool,
) -> u8 {
    let failed: Vec<_> = record
        .tests
        .iter()
        .filter(|t| !matches!(t.outcome, TestOutcome::Passed))
        .map(|t| &t.id)
        .collect();
    let regressed: Vec<_> = comparison
        .map(Comparison::regressed_tests)
        .unwrap_or_default();
    let missed: Vec<_> = record
        .tests
        .iter()
        .filter(|t| t.thresholds.iter().any(|r| !r.passed))
        .map(|t| &t.id)
        .collect();
    let code = if !failed.is_empty() {
        exit_code::TEST_FAILED
    } else if !missed.is_empty() {
        exit_code::THRESHOLD_MISSED
    } else if !regressed.is_empty() {
        exit_code::REGRESSION
    } else {
        exit_code::SUCCESS
    };
    if json {
        JsonMessage::RunFinished {
            schema_version: SCHEMA_VERSION,
            path: latest.display().to_string(),
            record,
        }
        .print();
        if let Some(comparison) = comparison {
            JsonMessage::Comparison {
                schema_version: SCHEMA_VERSION,
                comparison,
            }
            .print();
        }
        if let Some(path) = saved {
            JsonMessage::BaselineSaved {
                schema_version: SCHEMA_VERSION,
                path: path.display().to_string(),
            }
            .print();
        }
        JsonMessage::Summary {
            schema_version: SCHEMA_VERSION,
            exit_code: code,
            tests: record.tests.len(),
            failed: failed.clone(),
            thresholds_missed: missed.clone(),
            regressed: regressed.clone(),
        }
        .print();
    } else {
        report::print_run(record);
        if let Some(comparison) = comparison {
            report::print_comparison(comparison);
        }
        if let Some(path) = saved {
            report::print_saved(path);
        }
    }
    if !failed.is_empty() {
        eprintln!(
            "error: {} perf test(s) failed: {}",
            failed.len(),
            join_ids(&failed)
        );
    }
    if !missed.is_empty() {
        eprintln!(
            "error: {} load test(s) missed an SLA threshold: {}",
            missed.len(),
            join_ids(&missed)
        );
    }
    if !regressed.is_empty() {
        eprintln!(
            "error: {} perf test(s) regressed beyond their threshold: {}",
            regressed.len(),
            join_ids(&regressed)
        );
    }
    code
}

/// The duration scale of load tests under `--quick`.
const QUICK_DURATION_SCALE: f64 = 0.1;
