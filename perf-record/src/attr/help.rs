//! What `#[perf_test(...)]` accepts at its top level, and the message for
//! an option it does not know: the likely option or kind meant, and the
//! whole list.

use crate::kinds::Kind;

/// The options that are not a kind, for "expected one of" messages.
pub const OPTIONS: &str = "`ignore`, `ignore = \"reason\"`, `regression_threshold = \"10%\"`, \
                           `warm_up_time = \"1s\"`, `measurement_time = \"3s\"`, `instructions` (benchmarks); \
                           `load = \"normal_load\"` or `load(...)`; `time_limit = \"30s\"`";

/// Every option, the kinds included.
fn all_options() -> String {
    format!(
        "{OPTIONS}, {}, `threshold(p95 = \"200ms\")`, `tasks(...)` (load tests)",
        Kind::listed()
    )
}

/// The message for an option `#[perf_test]` does not know.
pub fn unknown_option(key: &str) -> String {
    let hint = match key {
        "threshold" => {
            " (for the regression gate, write `regression_threshold = \"10%\"`; SLA limits of load tests are `threshold(p95 = \"200ms\")`)"
        }
        "regression" => " (for the regression gate, write `regression_threshold = \"10%\"`)",
        "warmup" | "warm_up" => " (did you mean `warm_up_time`?)",
        "measurement" | "time" | "budget" => " (did you mean `measurement_time`?)",
        "ignored" | "skip" => " (did you mean `ignore`?)",
        "timeout_after" | "deadline" | "limit" => " (did you mean `time_limit`?)",
        _ => "",
    };
    let kind = Kind::like(key)
        .map(|kind| format!(" (did you mean the catalogue kind `{kind}(...)`?)"))
        .unwrap_or_default();
    format!(
        "unknown option `{key}`{hint}{kind}; expected one of {}",
        all_options()
    )
}

/// The message for an option path that is not a plain name (`a::b`).
pub fn not_an_option() -> String {
    format!("unknown option; expected one of {}", all_options())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_options_name_what_was_meant_and_list_every_option() {
        let warm = unknown_option("warmup");
        assert!(warm.starts_with(
            "unknown option `warmup` (did you mean `warm_up_time`?); expected one of `ignore`"
        ));
        let kind = unknown_option("ratelimit");
        assert!(kind.contains("(did you mean the catalogue kind `rate_limit(...)`?)"));
        for kind in Kind::ALL {
            assert!(warm.contains(&format!("`{}(...)`", kind.name())));
        }
        assert!(warm.ends_with("`threshold(p95 = \"200ms\")`, `tasks(...)` (load tests)"));
    }
}
