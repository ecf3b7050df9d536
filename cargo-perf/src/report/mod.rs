//! What `cargo perf` prints: tables for people, JSON lines for machines,
//! both from the same data.

mod human;
mod json;

pub use human::{print_comparison, print_list, print_run, print_saved};
pub use json::{JsonMessage, ListedTestMessage};

use perf_record::TestId;

/// How test ids are shown: just the test's name when every test comes
/// from one target, else `package/target::name`.
pub(crate) fn display_names<'a>(
    ids: impl IntoIterator<Item = &'a TestId> + Clone,
) -> impl Fn(&TestId) -> String {
    let mut targets = ids.into_iter().map(|id| (&id.package, &id.target));
    let single = match targets.next() {
        Some(first) => targets.all(|t| t == first),
        None => true,
    };
    move |id: &TestId| {
        if single {
            id.name.clone()
        } else {
            id.to_string()
        }
    }
}
