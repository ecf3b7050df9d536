//! `#[divan::bench]` and `#[divan::bench_group]` for perf-divan-compat.
//!
//! Use them through `perf-divan-compat` (renamed to `divan`); its
//! documentation lives there. Like divan's own macros they take divan's
//! options; unlike them they register nothing before `main`: each emits
//! the item unchanged (also when an option is wrong, so IDEs keep working)
//! plus one `inventory` entry whose functions the compat crate calls to
//! build the benchmarks, one per type, constant and argument.
//!
//! A crate of its own rather than a second attribute in perf-macros: the
//! code it emits reaches the compat crate (`::divan::__private`), not
//! perf-runtime, and its grammar is divan's, not `#[perf_test]`'s.

use proc_macro::TokenStream;

mod emit;
mod options;
mod type_name;

/// Registers a function as a divan benchmark. See `perf_divan_compat`.
#[proc_macro_attribute]
pub fn bench(attr: TokenStream, item: TokenStream) -> TokenStream {
    emit::bench(attr.into(), item.into()).into()
}

/// Gives the benchmarks of a module a name and shared options. See
/// `perf_divan_compat`.
#[proc_macro_attribute]
pub fn bench_group(attr: TokenStream, item: TokenStream) -> TokenStream {
    emit::bench_group(attr.into(), item.into()).into()
}
