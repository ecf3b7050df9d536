//! The lookups the macro, the thresholds, the comparison and the reports
//! make through `Kind::spec()` (by name, by figure).

use super::kind::Kind;
use crate::attr::OptionError;
use crate::metric::MetricSpec;

impl Kind {
    /// Its name as written and recorded.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// What a level counts.
    pub fn parameter(self) -> &'static str {
        self.spec().parameter
    }

    /// The figures its analysis measures.
    pub fn figures(self) -> &'static [MetricSpec] {
        self.spec().figures
    }

    /// The thresholds it gets unless the test sets its own.
    pub fn default_thresholds(self) -> &'static [(&'static str, &'static str)] {
        self.spec().default_thresholds
    }

    /// The kind written `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The kind a misspelt or differently named option most likely means:
    /// `ratelimit`, `rate_limiting`, `cache`, `endurance`, `ws`... (`None`
    /// for a kind's exact name: that is no typo).
    pub fn like(written: &str) -> Option<Self> {
        let bare: String = written
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .collect::<String>()
            .to_ascii_lowercase();
        Self::ALL.into_iter().find(|kind| {
            kind.name() != written
                && (kind.spec().aliases.contains(&bare.as_str())
                    || kind.name().replace('_', "") == bare)
        })
    }

    /// `` `stress(...)`, `scalability(...)`, ... ``: every kind, for messages.
    pub fn listed() -> String {
        Self::ALL
            .iter()
            .map(|k| format!("`{}(...)`", k.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The error for the kind written without its parentheses.
    pub fn needs_parentheses(self) -> OptionError {
        self.spec().needs_parentheses()
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl MetricSpec {
    /// The kinds that measure it.
    pub fn kinds(&self) -> Vec<Kind> {
        Kind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.figures().iter().any(|f| f.key == self.key))
            .collect()
    }

    /// The kinds that measure it, as written (`volume and pagination`).
    pub fn kind_names(&self, separator: &str) -> String {
        self.kinds()
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(separator)
    }
}

/// Every kind's figures, each once (a figure two kinds share comes first
/// with the first of them).
pub fn figures() -> impl Iterator<Item = &'static MetricSpec> {
    Kind::ALL
        .iter()
        .flat_map(|kind| kind.figures().iter().map(move |f| (*kind, f)))
        .filter(|(kind, figure)| figure.kinds().first() == Some(kind))
        .map(|(_, figure)| figure)
}

/// The figure a threshold name stands for.
pub fn by_threshold(name: &str) -> Option<&'static MetricSpec> {
    figures().find(|m| m.threshold == Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Given, Spot};

    #[test]
    fn each_kind_serializes_as_its_name_and_reads_back() {
        for kind in Kind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(serde_json::from_str::<Kind>(&json).unwrap(), kind);
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
        // Names recorded before the type existed.
        assert_eq!(
            serde_json::to_string(&Kind::RateLimit).unwrap(),
            "\"rate_limit\""
        );
        assert_eq!(
            serde_json::to_string(&Kind::WebSocket).unwrap(),
            "\"websocket\""
        );
        assert!(serde_json::from_str::<Kind>("\"web_socket\"").is_err());
    }

    #[test]
    fn a_sweep_recorded_before_the_type_existed_still_loads() {
        let json = r#"{"kind":"rate_limit","parameter":"phase","levels":[],
                       "metrics":{"admitted_pct":100.0},"findings":[]}"#;
        let sweep: crate::load::SweepStats = serde_json::from_str(json).unwrap();
        assert_eq!(sweep.kind, Kind::RateLimit);
        let back = serde_json::to_value(&sweep).unwrap();
        assert_eq!(back["kind"], "rate_limit");
        let unknown = json.replace("rate_limit", "fuzzing");
        assert!(serde_json::from_str::<crate::load::SweepStats>(&unknown).is_err());
    }

    #[test]
    fn other_names_find_the_kind_meant() {
        assert_eq!(Kind::like("ratelimit"), Some(Kind::RateLimit));
        assert_eq!(Kind::like("rate_limiting"), Some(Kind::RateLimit));
        assert_eq!(Kind::like("cache"), Some(Kind::Caching));
        assert_eq!(Kind::like("endurance"), Some(Kind::Soak));
        assert_eq!(Kind::like("ws"), Some(Kind::WebSocket));
        assert_eq!(Kind::like("responsetime"), Some(Kind::ResponseTime));
        assert_eq!(Kind::like("soak"), None);
        assert_eq!(Kind::like("warmup"), None);
    }

    #[test]
    fn unknown_options_list_the_kinds_own_with_an_example() {
        let error = Kind::Caching
            .check(&[Given::new("key", crate::attr::Value::Number(10.0))])
            .unwrap_err();
        assert_eq!(error.spot, Spot::Key(0));
        assert_eq!(
            error.message,
            "unknown `caching` option `key`; expected `keys`, `users`, `step`, `think`: \
             `caching(keys = 20, users = 1, step = \"2s\")`"
        );
    }

    #[test]
    fn every_default_threshold_is_a_figure_of_its_kind_and_parses() {
        for kind in Kind::ALL {
            for (name, value) in kind.default_thresholds() {
                assert!(
                    kind.figures().iter().any(|f| f.threshold == Some(*name)),
                    "{name} is not measured by {kind}"
                );
                crate::threshold::Threshold::parse(name, value).expect(value);
            }
            assert!(kind.spec().example.contains(&format!("`{}(", kind.name())));
        }
    }
}

#[cfg(test)]
mod figure_tests {
    use super::*;

    #[test]
    fn names_and_keys_are_unique_and_shared_figures_agree() {
        let all: Vec<_> = figures().collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a.threshold, b.threshold);
                assert_ne!(a.key, b.key);
            }
        }
        // A figure two kinds share is the same figure in both.
        for kind in Kind::ALL {
            for figure in kind.figures() {
                assert_eq!(by_threshold(figure.threshold.unwrap()), Some(figure));
            }
        }
        assert_eq!(
            by_threshold("growth").map(MetricSpec::kinds),
            Some(vec![Kind::Volume, Kind::Pagination])
        );
        assert_eq!(
            crate::metric::Metric::by_key("admitted_pct").map(|f| f.threshold),
            Some(Some("admitted"))
        );
    }
}
