//! `n_plus_one(...)`: larger pages per level, and a server-side query
//! counter per request (a header, or a Prometheus counter).

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::{List, Text, Think};
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `n_plus_one(sizes = [10, 100], header = "x-db-queries")`: one step per
/// page size, counting the server's queries per request.
#[derive(Debug, Clone, PartialEq)]
pub struct NPlusOneOptions {
    /// The page size of each step, ascending; at least two.
    pub sizes: List<u64>,
    /// What counts the queries.
    pub counter: QueryCounter,
    /// The users of each step.
    pub users: u32,
    /// How long each step runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// The users' think time.
    pub think_ns: Think,
}

/// Where an N+1 test reads the server's query count.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryCounter {
    /// A response header carrying the request's queries (lowercase).
    Header(Text),
    /// A Prometheus counter of all queries, read before and after each
    /// step.
    Metric {
        /// The counter's name, without labels.
        name: Text,
        /// Where its Prometheus text is served.
        path: Text,
    },
}

impl ThinkTime for NPlusOneOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "n_plus_one",
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
        MetricSpec::figure(
            "query_growth",
            "query_growth",
            Unit::Number,
            false,
            Change::Absolute(0.3),
            "query growth",
        ),
        MetricSpec::figure(
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
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<NPlusOneOptions> {
    let mut sizes = Vec::new();
    let (mut header, mut metric, mut metrics_path) = (None, None, None);
    let (mut users, mut step_ns, mut think_ns) = (1, 1_000_000_000, None);
    for arg in Arg::all(given) {
        match arg.key {
            "sizes" => sizes = arg.levels(SPEC.example)?,
            "header" => {
                let name = arg
                    .string(" such as \"x-db-queries\"")?
                    .to_ascii_lowercase();
                let valid = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if !valid {
                    return Err(arg.error("`header` is a header name such as \"x-db-queries\""));
                }
                header = Some(name);
            }
            "metric" => {
                let name = arg.string(" such as \"db_queries_total\"")?;
                let valid = name
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':');
                if !valid {
                    return Err(arg.error(
                        "`metric` is a Prometheus counter's name such as \"db_queries_total\" (no labels)",
                    ));
                }
                metric = Some(name.to_owned());
            }
            "metrics_path" => metrics_path = Some(arg.path()?),
            "users" => users = arg.users()?,
            "step" => step_ns = arg.positive_duration_ns()?,
            "think" => think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if sizes.is_empty() {
        return Err(spec.missing("its page sizes, `sizes = [...]`"));
    }
    let counter = match (header, metric) {
        (Some(header), None) => QueryCounter::Header(header.into()),
        (None, Some(name)) => QueryCounter::Metric {
            name: name.into(),
            path: metrics_path.map_or(Text::Borrowed("/metrics"), Text::Owned),
        },
        (Some(_), Some(_)) | (None, None) => {
            return Err(spec.missing("one query counter: `header = \"...\"` or `metric = \"...\"`"));
        }
    };
    if sizes.len() < 2 {
        return Err(spec.too_few("two levels, to see how it grows"));
    }
    Ok(NPlusOneOptions {
        sizes: sizes.into(),
        counter,
        users,
        step_ns,
        think_ns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Spot, Value};
    use crate::kinds::Kind;

    fn sizes() -> Given {
        Given::new(
            "sizes",
            Value::List(vec![Value::Number(10.0), Value::Number(100.0)]),
        )
    }

    #[test]
    fn n_plus_one_counts_queries_one_way() {
        let header = Given::new("header", Value::Str("X-DB-Queries".into()));
        let options = check(&SPEC, &[sizes(), header.clone()]).unwrap();
        assert_eq!(options.counter, QueryCounter::Header("x-db-queries".into()));
        let metric = Given::new("metric", Value::Str("db_queries_total".into()));
        let options = check(&SPEC, &[sizes(), metric.clone()]).unwrap();
        let metric_at = |path: &str| QueryCounter::Metric {
            name: "db_queries_total".into(),
            path: path.to_owned().into(),
        };
        assert_eq!(options.counter, metric_at("/metrics"));
        let path = Given::new("metrics_path", Value::Str("/stats".into()));
        let options = check(&SPEC, &[sizes(), metric.clone(), path]).unwrap();
        assert_eq!(options.counter, metric_at("/stats"));
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
