//! `n_plus_one(...)`: larger pages per level, and a server-side query
//! counter per request (a header, or a Prometheus counter).

use super::figure::{Change, KindMetric, Unit};
use super::kind::Kind;
use super::options::KindOptions;
use super::spec::Spec;
use crate::attr::{Arg, Checked, Given};

pub(super) const SPEC: Spec = Spec {
    name: "n_plus_one",
    variant: "NPlusOne",
    parameter: "items",
    holds: "options",
    keys: &[
        "sizes",
        "header",
        "metric",
        "metrics_path",
        "users",
        "step",
        "think",
    ],
    example: "`n_plus_one(sizes = [10, 50, 100], header = \"x-db-queries\")` or \
              `n_plus_one(sizes = [10, 100], metric = \"db_queries_total\")`",
    aliases: &["nplus1", "n1", "queries", "database", "db"],
    figures: &[
        KindMetric::new(
            "query_growth",
            "query_growth",
            Unit::Number,
            false,
            Change::Absolute(0.3),
            "query growth",
        ),
        KindMetric::new(
            "queries",
            "queries_per_request",
            Unit::Number,
            false,
            Change::Relative,
            "queries/request",
        ),
    ],
    default_thresholds: &[("query_growth", "<= 0.5")],
    needs_threshold: None,
    kind: Kind::NPlusOne,
    check,
};

fn check(spec: &Spec, given: &[Given]) -> Checked<KindOptions> {
    let mut options = KindOptions {
        step_ns: 1_000_000_000,
        ..KindOptions::new(spec.kind)
    };
    for arg in Arg::all(given) {
        match arg.key {
            "sizes" => options.levels = arg.levels(SPEC.example)?,
            "header" => {
                let header = arg
                    .string(" such as \"x-db-queries\"")?
                    .to_ascii_lowercase();
                let valid = !header.is_empty()
                    && header
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if !valid {
                    return Err(arg.error("`header` is a header name such as \"x-db-queries\""));
                }
                options.counter_header = Some(header);
            }
            "metric" => {
                let metric = arg.string(" such as \"db_queries_total\"")?;
                let valid = metric
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                    && metric
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':');
                if !valid {
                    return Err(arg.error(
                        "`metric` is a Prometheus counter's name such as \"db_queries_total\" (no labels)",
                    ));
                }
                options.counter_metric = Some(metric.to_owned());
            }
            "metrics_path" => options.metrics_path = arg.path()?,
            "users" => options.users = arg.users()?,
            "step" => options.step_ns = arg.positive_duration_ns()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.levels.is_empty() {
        return Err(spec.missing("its page sizes, `sizes = [...]`"));
    }
    if options.counter_header.is_some() == options.counter_metric.is_some() {
        return Err(spec.missing("one query counter: `header = \"...\"` or `metric = \"...\"`"));
    }
    if options.levels.len() < 2 {
        return Err(spec.too_few("two levels, to see how it grows"));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Spot, Value};

    fn sizes() -> Given {
        Given::new(
            "sizes",
            Value::List(vec![Value::Number(10.0), Value::Number(100.0)]),
        )
    }

    #[test]
    fn n_plus_one_counts_queries_one_way() {
        let header = Given::new("header", Value::Str("X-DB-Queries".into()));
        let options = Kind::NPlusOne.check(&[sizes(), header.clone()]).unwrap();
        assert_eq!(options.counter_header.as_deref(), Some("x-db-queries"));
        let metric = Given::new("metric", Value::Str("db_queries_total".into()));
        let both = Kind::NPlusOne
            .check(&[sizes(), header, metric])
            .unwrap_err();
        assert_eq!(both.spot, Spot::Name);
        assert!(
            both.message
                .starts_with("`n_plus_one` needs one query counter")
        );
    }

    #[test]
    fn n_plus_one_refuses_bad_counter_names_at_their_value() {
        let bad = Given::new("metric", Value::Str("db{x}".into()));
        let error = Kind::NPlusOne.check(&[sizes(), bad]).unwrap_err();
        assert_eq!(error.spot, Spot::Value(1));
        let one = Given::new("sizes", Value::List(vec![Value::Number(10.0)]));
        let header = Given::new("header", Value::Str("x-q".into()));
        let few = Kind::NPlusOne.check(&[one, header]).unwrap_err();
        assert!(
            few.message
                .starts_with("`n_plus_one` needs at least two levels")
        );
    }
}
