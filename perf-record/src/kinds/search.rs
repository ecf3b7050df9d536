//! `search(...)`: one level per query; per-query statistics, the slowest
//! named.

use super::figure::{Change, KindMetric, Unit};
use super::kind::Kind;
use super::options::KindOptions;
use super::spec::Spec;
use crate::attr::{Arg, Checked, Given};

pub(super) const SPEC: Spec = Spec {
    name: "search",
    variant: "Search",
    parameter: "query",
    holds: "options",
    keys: &["queries", "users", "step", "think"],
    example: "`search(queries = [\"red chair\", \"oak table\", \"*oak\"], users = 1, step = \"1s\")`",
    aliases: &["searching"],
    figures: &[
        KindMetric::new(
            "spread",
            "query_spread",
            Unit::Number,
            false,
            Change::Shown,
            "query spread",
        ),
        KindMetric::new(
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
    kind: Kind::Search,
    check,
};

fn check(spec: &Spec, given: &[Given]) -> Checked<KindOptions> {
    let mut options = KindOptions {
        step_ns: 1_000_000_000,
        ..KindOptions::new(spec.kind)
    };
    for arg in Arg::all(given) {
        match arg.key {
            "queries" => options.labels = arg.strings("query", SPEC.example)?,
            "users" => options.users = arg.users()?,
            "step" => options.step_ns = arg.positive_duration_ns()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.labels.is_empty() {
        return Err(spec.missing("its queries, `queries = [...]`"));
    }
    if options.labels.len() < 3 {
        return Err(spec.too_few("three queries, to have others to hold the slowest against"));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Spot, Value};

    fn queries(names: &[&str]) -> Given {
        Given::new(
            "queries",
            Value::List(names.iter().map(|q| Value::Str((*q).into())).collect()),
        )
    }

    #[test]
    fn a_search_needs_three_distinct_queries() {
        let options = Kind::Search.check(&[queries(&["a", "b", "c"])]).unwrap();
        assert_eq!(options.labels, ["a", "b", "c"]);
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
