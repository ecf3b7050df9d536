//! What the attributes register, and the benchmarks built from it at run
//! time: one per type, constant and argument, named as divan's tree shows
//! them (`module::function/<Type>/const/arg`).

use std::sync::Arc;

use perf_runtime::__private::DynamicBench;

use crate::bencher::Bencher;
use crate::options::BenchOptions;

/// One `#[divan::bench]`.
pub struct BenchEntry {
    /// The function's name, or `name = "..."`.
    pub name: &'static str,
    /// `module_path!()` where it is defined.
    pub module_path: &'static str,
    /// `file!()` where it is defined.
    pub file: &'static str,
    /// `line!()` where it is defined.
    pub line: u32,
    /// The function carries `#[ignore]`.
    pub ignore_attr: bool,
    /// Its options.
    pub options: fn() -> BenchOptions,
    /// Registers its instances.
    pub variants: fn(&mut Variants),
}

inventory::collect!(BenchEntry);

/// One `#[divan::bench_group]`.
pub struct GroupEntry {
    /// The module's path.
    pub module_path: &'static str,
    /// `name = "..."`, shown instead of the module's name.
    pub name: Option<&'static str>,
    /// The module carries `#[ignore]`.
    pub ignore_attr: bool,
    /// Options for the benchmarks inside.
    pub options: fn() -> BenchOptions,
}

inventory::collect!(GroupEntry);

type Run = Arc<dyn Fn(&mut perf_runtime::Bencher) + Send + Sync>;

/// The instances of one benchmark: the name segments below it and how to
/// run each.
#[derive(Default)]
pub struct Variants {
    list: Vec<(Vec<String>, Run)>,
}

impl Variants {
    /// An instance without arguments.
    pub fn plain(&mut self, segments: Vec<String>, run: for<'a, 'b> fn(Bencher<'a, 'b>)) {
        self.list.push((
            segments,
            Arc::new(move |bencher: &mut perf_runtime::Bencher| run(Bencher::new(bencher))),
        ));
    }

    /// One instance per item of `args`, named by `name`. The items are
    /// made again in the process that runs the instance, so they need not
    /// be `Send`.
    pub fn with_args<A, I>(
        &mut self,
        segments: Vec<String>,
        args: fn() -> A,
        name: fn(&I) -> String,
        run: for<'a, 'b, 'c> fn(Bencher<'a, 'b>, &'c I),
    ) where
        A: IntoIterator<Item = I> + 'static,
        I: 'static,
    {
        for (index, item) in args().into_iter().enumerate() {
            let mut segments = segments.clone();
            segments.push(name(&item));
            let run = move |bencher: &mut perf_runtime::Bencher| {
                let item = args().into_iter().nth(index);
                match item {
                    Some(item) => run(Bencher::new(bencher), &item),
                    None => panic!(
                        "divan `args` gave fewer items on the second evaluation than the {} of the first",
                        index + 1
                    ),
                }
            };
            self.list.push((segments, Arc::new(run)));
        }
    }
}

/// Every registered benchmark as perf-runtime runs it.
pub(crate) fn benches() -> Vec<DynamicBench> {
    let groups: Vec<&GroupEntry> = inventory::iter::<GroupEntry>.into_iter().collect();
    let mut benches = Vec::new();
    for entry in inventory::iter::<BenchEntry> {
        let mut options = (entry.options)();
        let mut ignore_attr = entry.ignore_attr;
        // Nearest group first, so that its options win over outer ones.
        let mut enclosing: Vec<&&GroupEntry> = groups
            .iter()
            .filter(|group| within(entry.module_path, group.module_path))
            .collect();
        enclosing.sort_by_key(|group| std::cmp::Reverse(group.module_path.len()));
        for group in &enclosing {
            options = options.or((group.options)());
            ignore_attr |= group.ignore_attr;
        }
        let prefix = prefix(entry.module_path, &groups);
        let measurement = options
            .measurement(perf_runtime::DEFAULT_MEASUREMENT)
            .map(|time| u64::try_from(time.as_nanos()).unwrap_or(u64::MAX));
        let unsupported = options.unsupported();
        let ignore = ignore_attr || options.ignore == Some(true);
        let mut variants = Variants::default();
        (entry.variants)(&mut variants);
        for (segments, run) in variants.list {
            let mut name = format!("{prefix}{}", entry.name);
            for segment in &segments {
                name.push('/');
                name.push_str(segment);
            }
            benches.push(DynamicBench {
                name,
                file: entry.file,
                line: entry.line,
                ignore,
                warm_up_ns: None,
                measurement_ns: measurement,
                unsupported: unsupported.clone(),
                run,
            });
        }
    }
    benches
}

/// Whether `module` is `group` or inside it.
fn within(module: &str, group: &str) -> bool {
    module == group
        || module
            .strip_prefix(group)
            .is_some_and(|rest| rest.starts_with("::"))
}

/// The module path below the crate root, with each group's `name`
/// instead of its module's, followed by `::` (empty at the root).
fn prefix(module_path: &str, groups: &[&GroupEntry]) -> String {
    let mut shown = String::new();
    let mut path = String::new();
    for (depth, segment) in module_path.split("::").enumerate() {
        if depth > 0 {
            path.push_str("::");
        }
        path.push_str(segment);
        if depth == 0 {
            continue;
        }
        let renamed = groups
            .iter()
            .find(|group| group.module_path == path)
            .and_then(|group| group.name);
        shown.push_str(renamed.unwrap_or(segment));
        shown.push_str("::");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_options() -> BenchOptions {
        BenchOptions::default()
    }

    #[test]
    fn names_are_the_module_path_below_the_crate_with_groups_renamed() {
        let group = GroupEntry {
            module_path: "benches::sorting",
            name: Some("sort"),
            ignore_attr: false,
            options: no_options,
        };
        assert_eq!(prefix("benches", &[]), "");
        assert_eq!(prefix("benches::fibonacci", &[]), "fibonacci::");
        assert_eq!(
            prefix("benches::sorting::slices", &[&group]),
            "sort::slices::"
        );
    }

    #[test]
    fn a_group_holds_its_own_module_and_those_inside_only() {
        assert!(within("b::sort", "b::sort"));
        assert!(within("b::sort::inner", "b::sort"));
        assert!(!within("b::sorting", "b::sort"));
    }
}
