//! From flags to a prepared run: the workspace read, the baseline or base
//! revision resolved, the perf targets built and their tests selected.

use std::collections::BTreeMap;
use std::path::PathBuf;

use perf_record::record::SCHEMA_VERSION;

use super::prepared::{Prepared, selection};
use crate::cargo::{PerfConfig, Workspace, feature_gated_targets, perf_targets};
use crate::cli::{MessageFormat, PerfArgs};
use crate::discover::{DiscoveredTest, discover};
use crate::error::CliError;
use crate::report::{self, JsonMessage};
use crate::run::options::RunOptions;
use crate::server::check_loopback;
use crate::verdict::gate::Summary;
use crate::{DEFAULT_PROCESSES, baseline, cargo};

/// Runs `cargo perf` and returns what it found; errors that stop the run
/// early come back as `Err`.
pub fn run(args: &mut PerfArgs) -> Result<Summary, CliError> {
    // Ctrl-C and SIGTERM stop the perf binary running at the moment and
    // any server, whatever the run is doing.
    crate::interrupt::install_signal_handler();
    let json = args.message_format == MessageFormat::Json;
    check_flags(args)?;
    let split = crate::split::resolve(args)?;
    let workspace = Workspace::load(&args.cargo)?;
    // With --archive-file the executables are the archive's from here on.
    super::from_archive::attach(args, &workspace)?;
    let args = &*args;
    let packages = workspace.select(&args.cargo)?;
    let mut package_configs = BTreeMap::new();
    for package in &packages {
        package_configs.insert(package.name.to_string(), workspace.package_config(package)?);
    }
    let baseline_dir = baseline_dir(args, &workspace, &packages, &package_configs);
    // Where the results go is checked before anything is measured.
    if let Some(name) = &args.save_baseline {
        let path = baseline::resolve(name, &baseline_dir);
        crate::atomic_write::check_writable("--save-baseline", &path)?;
        crate::history::store::check_writable(&path)?;
    }
    let perf_dir = workspace.target_dir.join("perf");
    let latest = perf_dir.join("latest.json");
    let mut taken = vec![("the run record", latest.clone())];
    let mut folders = Vec::new();
    if let Some(name) = &args.save_baseline {
        let path = baseline::resolve(name, &baseline_dir);
        if crate::export::same_file(&path, &latest) {
            return Err(CliError::Usage(format!(
                "--save-baseline names {}, the run record every run of cargo perf replaces; \
                 give the baseline a name (kept in {}) or another path",
                path.display(),
                baseline_dir.display()
            )));
        }
        folders.push((
            "the history of the baseline --save-baseline writes",
            crate::history::store::dir_of(&path),
        ));
        taken.push(("--save-baseline", path));
    }
    if let Some(name) = &args.compare {
        let path = baseline::resolve(name, &baseline_dir);
        folders.push((
            "the history of the baseline --compare reads",
            crate::history::store::dir_of(&path),
        ));
        taken.push(("the baseline --compare reads", path));
    }
    crate::export::check(&args.outputs, &perf_dir, &taken, &folders)?;
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
    if targets.is_empty() {
        return Err(no_perf_targets(&packages, &gated));
    }
    let binaries = cargo::build(&args.cargo, &targets)?;
    let scratch = crate::run::scratch::create(&perf_dir, &baseline_dir)?;
    let (tests, skipped) = discover(&binaries, scratch.path())?;
    if args.verbose {
        for name in skipped {
            eprintln!("note: {name} does not use perf-runtime's harness; skipped");
        }
    }
    let selection = selection(args);
    let mut selected: Vec<_> = tests.iter().filter(|t| selection.selects(t)).collect();
    if split.is_some() {
        super::split::keep_load_tests(&mut selected);
    }
    if selected.is_empty() {
        return Err(no_test_matched(args, &tests, &gated));
    }
    check_workload_flags(args, &selected)?;
    // A compat crate's options that this harness cannot honour: one line
    // each, so that none is dropped silently.
    for test in &selected {
        for feature in &test.listed.unsupported {
            eprintln!("note: {}: {feature}", test.id);
        }
    }
    if let Some((record, path)) = &baseline
        && !args.list
    {
        let ids: Vec<_> = selected.iter().map(|t| &t.id).collect();
        baseline::check_shares_tests(path, record, &ids)?;
    }
    let all_selected: Vec<perf_record::TestId> = selected.iter().map(|t| t.id.clone()).collect();
    // `--shard`, after the filters: every shard deals the same list. A
    // shard dealt no test still runs, and writes a record that says so.
    let (selected, shard) = match args.sharding.shard {
        Some(spec) => {
            let ids: Vec<_> = selected.iter().map(|t| &t.id).collect();
            let environment = crate::environment::fingerprint(workspace.root(), &args.cargo);
            let flags = crate::cli::ShardArgs::measurement_flags(args);
            let hash = crate::shard::run_hash(&flags, &environment, &ids, spec.kind, spec.count);
            let all = selected.len();
            let dealt = crate::shard::deal(selected, spec);
            if dealt.is_empty() {
                eprintln!(
                    "note: shard {spec} was dealt none of the {all} selected test(s); \
                     its record holds none"
                );
            }
            (dealt, Some(spec.info(hash)))
        }
        None => (selected, None),
    };
    // A share of a split load is a shard of kind `split`: `cargo perf
    // merge` adds the shares' load into one run's.
    let shard = match split {
        Some((share, _)) => {
            let ids: Vec<_> = selected.iter().map(|t| &t.id).collect();
            let environment = crate::environment::fingerprint(workspace.root(), &args.cargo);
            let flags = crate::cli::ShardArgs::measurement_flags(args);
            let kind = perf_record::shard::ShardKind::Split;
            Some(perf_record::shard::ShardInfo {
                kind,
                index: share.index,
                count: share.count,
                run_hash: crate::shard::run_hash(&flags, &environment, &ids, kind, share.count),
            })
        }
        None => shard,
    };
    // A shard compares its own tests: the baseline's tests dealt to the
    // other shards are theirs to compare, not missing from this run.
    let baseline = baseline.map(|(mut record, path)| {
        if shard.is_some() {
            record
                .tests
                .retain(|t| selected.iter().any(|s| s.id == t.id) || !all_selected.contains(&t.id));
        }
        (record, path)
    });
    if args.list {
        print_list(&selected, json);
        return Ok(Summary::default());
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
        options: RunOptions {
            split: split.map(|(share, start)| super::split::plan(args, share, start, &selected)),
            ..run_options(args)
        },
        shard,
    };
    match (base_commit, baseline) {
        (Some(commit), _) => super::paired::run(&run, &commit),
        (None, baseline) => super::plain::run(&run, baseline),
    }
}

/// The flags checked before anything is built: a bad target or baseline
/// name must not cost a build.
fn check_flags(args: &PerfArgs) -> Result<(), CliError> {
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
    if let Ok(threads) = std::env::var(perf_record::protocol::env::GENERATOR_THREADS) {
        perf_record::protocol::parse_generator_threads(&threads).map_err(CliError::Usage)?;
    }
    if args.instructions && crate::run::instructions::Counter::detect().is_none() {
        return Err(CliError::Usage(format!(
            "--instructions: {}",
            crate::run::instructions::Counter::UNAVAILABLE
        )));
    }
    Ok(())
}

/// Where baselines live. The most specific wins: the flag, then the
/// selected package's own setting (over the workspace's) when one package
/// is selected, then the workspace's, then target/perf/baselines.
pub(super) fn baseline_dir(
    args: &PerfArgs,
    workspace: &Workspace,
    packages: &[&cargo_metadata::Package],
    package_configs: &BTreeMap<String, PerfConfig>,
) -> PathBuf {
    let single_package = match packages {
        [only] => package_configs.get(only.name.as_str()),
        _ => None,
    };
    args.baseline_dir
        .clone()
        .or_else(|| single_package.and_then(|c| c.baseline_dir.clone()))
        .or_else(|| workspace.config.baseline_dir.clone())
        .unwrap_or_else(|| workspace.target_dir.join("perf").join("baselines"))
}

/// Why no perf target is there to build.
pub(super) fn no_perf_targets(packages: &[&cargo_metadata::Package], gated: &[String]) -> CliError {
    if !gated.is_empty() {
        return CliError::NoPerfTargets(format!(
            "no perf targets with the features selected: {} left out by its required-features; \
             turn them on with the -F shown",
            gated.join(", ")
        ));
    }
    let names: Vec<_> = packages.iter().map(|p| p.name.to_string()).collect();
    CliError::NoPerfTargets(format!(
        "no perf targets in {}: add `perf-runtime` to [dev-dependencies] and a \
         [[bench]] with `harness = false` whose file ends with `perf_runtime::main!();` \
         (see the README's tour), or pick another package with `-p`",
        if names.is_empty() {
            "the selection".to_owned()
        } else {
            names.join(", ")
        }
    ))
}

/// `--list`: the selected tests, as a table or a JSON message.
fn print_list(selected: &[&DiscoveredTest], json: bool) {
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
        report::print_list(selected);
    }
}

fn run_options(args: &PerfArgs) -> RunOptions {
    RunOptions {
        quick: args.quick,
        warm_up: args.warm_up_time,
        measurement: args.measurement_time,
        // A share of a split runs each load test once, at its shared start.
        processes: args
            .processes
            .unwrap_or(if args.quick || args.split.split.is_some() {
                1
            } else {
                DEFAULT_PROCESSES
            }),
        // --quick is a smoke run: load tests too run at a tenth of their
        // length unless --duration-scale says otherwise.
        duration_scale: args
            .duration_scale
            .or(args.quick.then_some(QUICK_DURATION_SCALE)),
        generator_threads: args.generator_threads,
        allow_remote: args.allow_remote,
        insecure: args.insecure,
        // The test binaries run in their package's directory: a relative
        // path is the user's, from where cargo perf was run.
        ca_cert: args
            .ca_cert
            .as_ref()
            .map(|path| std::path::absolute(path).unwrap_or_else(|_| path.clone())),
        http2: args.http2,
        http2_streams: args.http2_streams,
        verbose: args.verbose,
        instructions: args.instructions,
        test_timeout: args.test_timeout,
        split: None,
        load_overrides: args.workload.overrides(),
        skip_calibration: false,
    }
}

/// The workload flags fit every selected load test, or the run stops
/// before anything is measured, naming each test they do not fit: a flag
/// is never ignored.
fn check_workload_flags(args: &PerfArgs, selected: &[&DiscoveredTest]) -> Result<(), CliError> {
    let flags = args.workload.overrides();
    if flags.is_empty() {
        return Ok(());
    }
    let misfits: Vec<String> = selected
        .iter()
        .filter_map(|t| {
            let shape = t.listed.load_shape?;
            flags
                .check(shape)
                .err()
                .map(|why| format!("  {}: {why}", t.id))
        })
        .collect();
    if misfits.is_empty() {
        return Ok(());
    }
    Err(CliError::Usage(format!(
        "the workload flags ({}) do not fit every selected load test:\n{}\n\
         select the tests they fit with a filter (`cargo perf NAME`)",
        flags.command_line(),
        misfits.join("\n")
    )))
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

/// The duration scale of load tests under `--quick`.
const QUICK_DURATION_SCALE: f64 = 0.1;
