//! What every kind's options tell whoever runs them, whatever the kind:
//! each kind's module implements [`ThinkTime`] for its options type, and
//! [`KindOptions`](super::KindOptions) (one variant per kind, built from
//! the registry) answers through it.

use super::value::Think;

/// The think time of a kind's users, as its options set it.
pub trait ThinkTime {
    /// The users' think time, (min ns, max ns); `None`: none.
    fn think_ns(&self) -> Think;
}

#[cfg(test)]
mod tests {
    use super::super::{Kind, KindOptions};
    use crate::attr::{Given, Value};

    /// The least each kind needs to check.
    fn least(kind: Kind) -> Vec<Given> {
        let list = |values: &[f64]| Value::List(values.iter().map(|v| Value::Number(*v)).collect());
        let text = |s: &str| Value::Str(s.to_owned());
        let given = |pairs: Vec<(&str, Value)>| -> Vec<Given> {
            pairs.into_iter().map(|(k, v)| Given::new(k, v)).collect()
        };
        let least: [(&[Kind], Vec<Given>); 12] = [
            (
                &[Kind::Stress, Kind::Scalability, Kind::Pool],
                given(vec![("users", list(&[1.0, 2.0]))]),
            ),
            (
                &[Kind::Volume],
                given(vec![("sizes", Value::List(vec![text("1KB")]))]),
            ),
            (
                &[Kind::Pagination],
                given(vec![("pages", list(&[1.0, 10.0]))]),
            ),
            (
                &[Kind::Spike],
                given(vec![("spike_users", Value::Number(8.0))]),
            ),
            (
                &[Kind::ResponseTime],
                given(vec![("requests", Value::Number(10.0))]),
            ),
            (&[Kind::Soak], given(vec![("hold", text("1m"))])),
            (
                &[Kind::RateLimit],
                given(vec![("limit", Value::Number(50.0))]),
            ),
            (&[Kind::Caching], Vec::new()),
            (
                &[Kind::NPlusOne],
                given(vec![
                    ("sizes", list(&[10.0, 100.0])),
                    ("header", text("x-q")),
                ]),
            ),
            (&[Kind::Timeout], given(vec![("after", text("500ms"))])),
            (
                &[Kind::Search],
                given(vec![(
                    "queries",
                    Value::List(vec![text("a"), text("b"), text("c")]),
                )]),
            ),
            (
                &[Kind::WebSocket],
                given(vec![("connections", list(&[1.0, 8.0]))]),
            ),
        ];
        // A kind not listed: its options' own defaults (when it requires
        // an option, `each_kind_checks_into_its_own_options` fails on it
        // and names it: list its least options here).
        least
            .into_iter()
            .find(|(kinds, _)| kinds.contains(&kind))
            .map(|(_, given)| given)
            .unwrap_or_default()
    }

    #[test]
    fn each_kind_checks_into_its_own_options() {
        for kind in Kind::ALL {
            let options = kind
                .check(&least(kind))
                .unwrap_or_else(|e| panic!("{kind}: {}", e.message));
            assert_eq!(options.kind(), kind, "{options:?}");
        }
    }

    #[test]
    fn a_rate_limit_is_open_and_thinks_not() {
        let options = Kind::RateLimit.check(&least(Kind::RateLimit)).unwrap();
        assert!(matches!(options, KindOptions::RateLimit(_)));
        assert_eq!(options.think_ns(), None);
    }

    #[test]
    fn think_time_is_the_kinds_own_and_a_rate_limit_has_none() {
        let think = Given::new("think", Value::Str("1s".into()));
        for kind in Kind::ALL {
            if !kind.spec().keys.contains(&"think") {
                assert_eq!(kind, Kind::RateLimit);
                continue;
            }
            let mut given = least(kind);
            given.push(think.clone());
            let expected = Some((1_000_000_000, 1_000_000_000));
            let read = kind.check(&given).unwrap().think_ns();
            assert_eq!(read, expected, "{kind}");
        }
    }
}
