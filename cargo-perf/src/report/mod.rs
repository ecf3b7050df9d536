//! What `cargo perf` prints: tables for people, JSON lines for machines,
//! both from the same data.

pub(crate) mod comparison;
mod json;
mod run;
pub(crate) mod table;

pub use comparison::{print_comparison, print_saved, print_written};
pub use json::{FindingMessage, JsonMessage, ListedTestMessage};
pub use run::{print_list, print_run};
#[cfg(test)]
mod tests;
