//! The options of `#[perf_test(...)]` as the macro hands them over: plain
//! values in, checked options or an error naming its token out, so the
//! macro only parses tokens and attaches spans.

mod help;
mod value;
mod workload;

pub use help::{OPTIONS, not_an_option, unknown_option};
pub use value::{
    Arg, Checked, Given, MAX_USERS, OptionError, Spot, Value, duration_ns, no_repeats, number,
    think, too_many_users, whole,
};
pub use workload::{PRESETS, WORKLOAD_KEYS, Workload, check_workload, preset};
