//! The tests `#[perf_test]` registers, collected across the binary with
//! `inventory` so that the user lists nothing by hand, and the benchmarks
//! a compat crate builds at run time (one per argument of a divan bench).

use std::sync::Arc;

use crate::Bencher;
use crate::load::LoadFn;
use crate::load::profile::LoadOptions;

/// What the test function is.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum TestFn {
    /// `fn(&mut Bencher)`; async benchmarks are wrapped by the macro into
    /// a function that blocks on them.
    Bench(fn(&mut Bencher)),
    /// An HTTP load test: one iteration of a virtual user.
    Load {
        /// The iteration.
        run: LoadFn,
        /// The workload.
        options: &'static LoadOptions,
        /// SLA thresholds: (metric, limit as written, the requirement's
        /// name).
        thresholds: &'static [DeclaredThreshold],
    },
}

/// A threshold as a test declares it: (metric, limit as written, the
/// requirement's name).
pub(crate) type DeclaredThreshold = (&'static str, &'static str, Option<&'static str>);

/// The thresholds a test declares, parsed (the macro checked them at
/// compile time).
pub(crate) fn parse_thresholds(
    declared: &[DeclaredThreshold],
) -> Vec<perf_record::threshold::Threshold> {
    declared
        .iter()
        .filter_map(|&(metric, value, name)| {
            perf_record::threshold::Threshold::declared(metric, value, name).ok()
        })
        .collect()
}

/// One `#[perf_test]`, as the macro registers it.
pub struct PerfTestEntry {
    /// The function's name.
    pub name: &'static str,
    /// `module_path!()` where it is defined.
    pub module_path: &'static str,
    /// `file!()` where it is defined.
    pub file: &'static str,
    /// `line!()` where it is defined.
    pub line: u32,
    /// `#[perf_test(ignore)]`.
    pub ignore: bool,
    /// `#[perf_test(ignore = "reason")]`.
    pub ignore_reason: Option<&'static str>,
    /// `regression_threshold = "5%"`, in percent.
    pub regression_threshold_pct: Option<f64>,
    /// `warm_up_time = "..."`, in nanoseconds.
    pub warm_up_ns: Option<u64>,
    /// `measurement_time = "..."`, in nanoseconds.
    pub measurement_ns: Option<u64>,
    /// `#[perf_test(instructions)]`: count retired instructions too.
    pub count_instructions: bool,
    /// `time_limit = "..."`, in nanoseconds.
    pub time_limit_ns: Option<u64>,
    /// The function to run.
    pub run: TestFn,
}

inventory::collect!(PerfTestEntry);

impl PerfTestEntry {
    /// The libtest name: the module path below the crate root, then the
    /// function, e.g. `parse_order` or `json::parse_order`.
    pub fn test_name(&self) -> String {
        match self.module_path.split_once("::") {
            Some((_crate, rest)) => format!("{rest}::{}", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// A benchmark built at run time rather than registered by
/// `#[perf_test]`: a compat crate (perf-divan-compat) makes one per
/// argument, type and constant of a bench, whose names only exist once the
/// arguments are evaluated.
pub struct DynamicBench {
    /// The full libtest name, e.g. `fibonacci::slow/10`.
    pub name: String,
    /// `file!()` where it is defined.
    pub file: &'static str,
    /// `line!()` where it is defined.
    pub line: u32,
    /// Skipped unless ignored tests are asked for.
    pub ignore: bool,
    /// Its own warm-up time, in nanoseconds.
    pub warm_up_ns: Option<u64>,
    /// Its own measurement time, in nanoseconds.
    pub measurement_ns: Option<u64>,
    /// What it asked for that this harness does not honour, one line each.
    pub unsupported: Vec<String>,
    /// Times the routine through the [`Bencher`].
    pub run: Arc<dyn Fn(&mut Bencher) + Send + Sync>,
}

/// A test of this binary, however it was registered.
#[derive(Clone)]
pub(crate) enum Registered {
    /// By `#[perf_test]`.
    Entry(&'static PerfTestEntry),
    /// By a compat crate, at run time.
    Dynamic(Arc<DynamicBench>),
}

impl Registered {
    pub(crate) fn test_name(&self) -> String {
        match self {
            Self::Entry(entry) => entry.test_name(),
            Self::Dynamic(bench) => bench.name.clone(),
        }
    }

    pub(crate) fn ignore(&self) -> bool {
        match self {
            Self::Entry(entry) => entry.ignore,
            Self::Dynamic(bench) => bench.ignore,
        }
    }

    pub(crate) fn warm_up_ns(&self) -> Option<u64> {
        match self {
            Self::Entry(entry) => entry.warm_up_ns,
            Self::Dynamic(bench) => bench.warm_up_ns,
        }
    }

    pub(crate) fn measurement_ns(&self) -> Option<u64> {
        match self {
            Self::Entry(entry) => entry.measurement_ns,
            Self::Dynamic(bench) => bench.measurement_ns,
        }
    }

    pub(crate) fn regression_threshold_pct(&self) -> Option<f64> {
        match self {
            Self::Entry(entry) => entry.regression_threshold_pct,
            Self::Dynamic(_) => None,
        }
    }
}

/// Every registered test and every one given at run time, sorted by name.
pub(crate) fn entries(dynamic: Vec<DynamicBench>) -> Vec<Registered> {
    let mut entries: Vec<_> = inventory::iter::<PerfTestEntry>
        .into_iter()
        .map(Registered::Entry)
        .chain(
            dynamic
                .into_iter()
                .map(|bench| Registered::Dynamic(Arc::new(bench))),
        )
        .collect();
    entries.sort_by_key(Registered::test_name);
    entries
}
