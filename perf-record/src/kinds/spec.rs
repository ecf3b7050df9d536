//! What each kind's module declares: its [`Spec`] (names, options,
//! example, figures, default thresholds), and the messages built from it.
//! Its options are checked by its module's `check`; the registry
//! (`registry.rs`) names both for `Kind::spec` and `Kind::check`.

use crate::attr::{Arg, OptionError, Spot};
use crate::metric::MetricSpec;

/// Everything about one kind, in the kind's own module.
#[derive(Debug)]
pub struct Spec {
    /// As written in `#[perf_test(...)]` and recorded (the serde name).
    pub name: &'static str,
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
    pub figures: &'static [MetricSpec],
    /// The thresholds it gets unless the test sets its own on that figure:
    /// the limits that make its verdict.
    pub default_thresholds: &'static [(&'static str, &'static str)],
    /// Why it needs a threshold of the test's own (stress: one to break),
    /// and an example; `None` when it does not.
    pub needs_threshold: Option<&'static str>,
}

impl Spec {
    /// The error for the kind written without its parentheses.
    pub fn needs_parentheses(&self) -> OptionError {
        let spec = self;
        OptionError::new(
            Spot::Name,
            format!(
                "`{}` takes its {} in parentheses: {}",
                spec.name, spec.holds, spec.example
            ),
        )
    }

    /// The error for an option the kind does not take: its options, with
    /// an example.
    pub(crate) fn unknown(&self, arg: &Arg<'_>) -> OptionError {
        let spec = self;
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
    pub(crate) fn too_few(&self, what: &str) -> OptionError {
        let spec = self;
        OptionError::new(
            Spot::Name,
            format!("`{}` needs at least {what}: {}", spec.name, spec.example),
        )
    }

    /// The error for a required option left out (`what`: "a `hold` time").
    pub(crate) fn missing(&self, what: &str) -> OptionError {
        let spec = self;
        OptionError::new(
            Spot::Name,
            format!("`{}` needs {what}: {}", spec.name, spec.example),
        )
    }

    /// An error about the kind as a whole, at its name.
    pub(crate) fn error(&self, message: impl Into<String>) -> OptionError {
        OptionError::new(Spot::Name, message)
    }
}
