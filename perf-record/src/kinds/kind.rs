//! The `Kind` of a catalogue test: its name as written and recorded, and
//! the [`Spec`] that gives its options, defaults, figures and thresholds.

use serde::{Deserialize, Serialize};

use super::figure::KindMetric;
use super::options::KindOptions;
use crate::attr::{Arg, Checked, Given, OptionError, Spot, no_repeats};

/// A kind of catalogue test. Serialized as its name (`"rate_limit"`), as
/// in records and baselines written before this type existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    /// More users per level until a threshold breaks: the breaking point.
    #[serde(rename = "stress")]
    Stress,
    /// More users per level: the throughput curve and scaling efficiency.
    #[serde(rename = "scalability")]
    Scalability,
    /// A larger payload per level: latency growth with size.
    #[serde(rename = "volume")]
    Volume,
    /// A deeper page per level: latency growth with the offset.
    #[serde(rename = "pagination")]
    Pagination,
    /// Base load, a burst, base load again: how long until latency is back.
    #[serde(rename = "spike")]
    Spike,
    /// One user, a fixed number of requests one after the other.
    #[serde(rename = "response_time")]
    ResponseTime,
    /// A long hold: the server's memory growth and the latency drift.
    #[serde(rename = "soak")]
    Soak,
    /// Below and above a declared rate limit: 429s, what gets through, and
    /// the limit headers.
    #[serde(rename = "rate_limit")]
    RateLimit,
    /// Cold keys, then warm ones: the cache's speedup, its headers, and
    /// conditional requests.
    #[serde(rename = "caching")]
    Caching,
    /// Larger pages per level: a server-side query counter per request.
    #[serde(rename = "n_plus_one")]
    NPlusOne,
    /// More users per level than a pool holds: errors and the latency knee.
    #[serde(rename = "pool")]
    Pool,
    /// A client timeout against a slow endpoint, then a probe that the
    /// server still answers.
    #[serde(rename = "timeout")]
    Timeout,
    /// One level per query: per-query statistics, the slowest named.
    #[serde(rename = "search")]
    Search,
    /// More open WebSockets per level: round-trip latency, how it grows
    /// with the connections, and the handshakes that succeeded.
    #[serde(rename = "websocket")]
    WebSocket,
}

/// Everything about one kind, in the kind's own module.
#[derive(Debug)]
pub struct Spec {
    /// As written in `#[perf_test(...)]` and recorded (the serde name).
    pub name: &'static str,
    /// The Rust name of its [`Kind`] variant, for the macro's output.
    pub variant: &'static str,
    /// What a level counts (`users`, `bytes`, `phase`...).
    pub parameter: &'static str,
    /// What its parentheses hold, for "takes its ... in parentheses".
    pub holds: &'static str,
    /// Its options (each kind's `check` refuses any other).
    pub keys: &'static [&'static str],
    /// An example of the whole option.
    pub example: &'static str,
    /// Other names users write for it (`endurance` for `soak`), lowercase
    /// without `_`.
    pub aliases: &'static [&'static str],
    /// The figures its analysis measures.
    pub figures: &'static [KindMetric],
    /// The thresholds it gets unless the test sets its own on that figure:
    /// the limits that make its verdict.
    pub default_thresholds: &'static [(&'static str, &'static str)],
    /// Why it needs a threshold of the test's own (stress: one to break),
    /// and an example; `None` when it does not.
    pub needs_threshold: Option<&'static str>,
    /// Reads its options, once each is known to be given once.
    pub check: fn(Kind, &[Given]) -> Checked<KindOptions>,
}

impl Kind {
    /// Every kind, in the order messages list them.
    pub const ALL: [Kind; 14] = [
        Self::Stress,
        Self::Scalability,
        Self::Volume,
        Self::Pagination,
        Self::Spike,
        Self::ResponseTime,
        Self::Soak,
        Self::RateLimit,
        Self::Caching,
        Self::NPlusOne,
        Self::Pool,
        Self::Timeout,
        Self::Search,
        Self::WebSocket,
    ];

    /// Its specification: the one place each kind is described.
    pub fn spec(self) -> &'static Spec {
        use super::{
            caching, n_plus_one, pool, rate_limit, response_time, search, soak, spike, sweep,
            timeout, websocket,
        };
        match self {
            Self::Stress => &sweep::STRESS,
            Self::Scalability => &sweep::SCALABILITY,
            Self::Volume => &sweep::VOLUME,
            Self::Pagination => &sweep::PAGINATION,
            Self::Spike => &spike::SPEC,
            Self::ResponseTime => &response_time::SPEC,
            Self::Soak => &soak::SPEC,
            Self::RateLimit => &rate_limit::SPEC,
            Self::Caching => &caching::SPEC,
            Self::NPlusOne => &n_plus_one::SPEC,
            Self::Pool => &pool::SPEC,
            Self::Timeout => &timeout::SPEC,
            Self::Search => &search::SPEC,
            Self::WebSocket => &websocket::SPEC,
        }
    }

    /// Its name as written and recorded.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// What a level counts.
    pub fn parameter(self) -> &'static str {
        self.spec().parameter
    }

    /// The figures its analysis measures.
    pub fn figures(self) -> &'static [KindMetric] {
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
        let spec = self.spec();
        OptionError::new(
            Spot::Name,
            format!(
                "`{}` takes its {} in parentheses: {}",
                spec.name, spec.holds, spec.example
            ),
        )
    }

    /// Checks the options given in its parentheses.
    pub fn check(self, given: &[Given]) -> Checked<KindOptions> {
        no_repeats(given)?;
        (self.spec().check)(self, given)
    }

    /// The error for an option the kind does not take: its options, with
    /// an example.
    pub(crate) fn unknown(self, arg: &Arg<'_>) -> OptionError {
        let spec = self.spec();
        let expected: Vec<String> = spec.keys.iter().map(|k| format!("`{k}`")).collect();
        arg.key_error(format!(
            "unknown `{}` option `{}`; expected {}: {}",
            spec.name,
            arg.key,
            expected.join(", "),
            spec.example
        ))
    }

    /// An error about the kind as a whole, saying what is too few
    /// (`what`: "three queries, to ...").
    pub(crate) fn too_few(self, what: &str) -> OptionError {
        let spec = self.spec();
        OptionError::new(
            Spot::Name,
            format!("`{}` needs at least {what}: {}", spec.name, spec.example),
        )
    }

    /// The error for a required option left out (`what`: "a `hold` time").
    pub(crate) fn missing(self, what: &str) -> OptionError {
        let spec = self.spec();
        OptionError::new(
            Spot::Name,
            format!("`{}` needs {what}: {}", spec.name, spec.example),
        )
    }

    /// An error about the kind as a whole, at its name.
    pub(crate) fn error(self, message: impl Into<String>) -> OptionError {
        OptionError::new(Spot::Name, message)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_serializes_as_its_name_and_reads_back() {
        for kind in Kind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(serde_json::from_str::<Kind>(&json).unwrap(), kind);
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
            assert_eq!(format!("{kind:?}"), kind.spec().variant);
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
                    kind.figures().iter().any(|f| f.threshold == *name),
                    "{name} is not measured by {kind}"
                );
                crate::threshold::Threshold::parse(name, value).expect(value);
            }
            assert!(kind.spec().example.contains(&format!("`{}(", kind.name())));
        }
    }
}
