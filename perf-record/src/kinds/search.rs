//! `search(...)`: one level per query; per-query statistics, the slowest
//! named.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::{List, Text, Think};
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `search(queries = ["red chair", ...])`: one step per query.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// The queries, distinct; at least three.
    pub queries: List<Text>,
    /// The users of each step.
    pub users: u32,
    /// How long each step runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// The users' think time.
    pub think_ns: Think,
}

impl ThinkTime for SearchOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "search",
    parameter: "query",
    holds: "options",
    keys: &["queries", "users", "step", "think"],
    example: "`search(queries = [\"red chair\", \"oak table\", \"*oak\"], users = 1, step = \"1s\")`",
    aliases: &["searching"],
    figures: &[
        MetricSpec::figure(
            "spread",
            "query_spread",
            Unit::Number,
            false,
            Change::Shown,
            "query spread",
        ),
        MetricSpec::figure(
            "slowest",
            "slowest_p95_us",
            Unit::Duration,
            false,
            Change::Shown,
            "slowest p95",
        ),
    ],
    default_thresholds: &[("spread", "<= 5")],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<SearchOptions> {
    let mut options = SearchOptions {
        queries: List::Borrowed(&[]),
        users: 1,
        step_ns: 1_000_000_000,
        think_ns: None,
    };
    for arg in Arg::all(given) {
        match arg.key {
            "queries" => {
                let queries = arg.strings("query", SPEC.example)?;
                options.queries = queries.into_iter().map(Text::Owned).collect();
            }
            "users" => options.users = arg.users()?,
            "step" => options.step_ns = arg.positive_duration_ns()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.queries.is_empty() {
        return Err(spec.missing("its queries, `queries = [...]`"));
    }
    if options.queries.len() < 3 {
        return Err(spec.too_few("three queries, to have others to hold the slowest against"));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Spot, Value};
    use crate::kinds::Kind;

    fn queries(names: &[&str]) -> Given {
        Given::new(
            "queries",
            Value::List(names.iter().map(|q| Value::Str((*q).into())).collect()),
        )
    }

    #[test]
    fn a_search_needs_three_distinct_queries() {
        let options = check(&SPEC, &[queries(&["a", "b", "c"])]).unwrap();
        assert_eq!(*options.queries, ["a", "b", "c"]);
        let two = Kind::Search.check(&[queries(&["a", "b"])]).unwrap_err();
        assert_eq!(two.spot, Spot::Name);
        assert!(
            two.message
                .starts_with("`search` needs at least three queries")
        );
        let twice = Kind::Search
            .check(&[queries(&["a", "b", "a"])])
            .unwrap_err();
        assert_eq!(twice.spot, Spot::Element(0, 2));
    }
}
