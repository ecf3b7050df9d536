//! The `Kind` of a catalogue test, as recorded: a name and nothing else
//! (its [`Spec`] says the rest), and [`KindOptions`], its checked
//! options. Both are built from the list in `registry.rs`.

use serde::{Deserialize, Serialize};

use super::options::ThinkTime as _;
use super::spec::Spec;
use super::value::Think;
use crate::attr::{Checked, Given, no_repeats};

/// Builds the kinds' types from the registry's entries.
macro_rules! declare_kinds {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal => $module:ident::{$spec:ident, $check:ident, $options:ident};
    )*) => {
        /// A kind of catalogue test. Serialized as its name (`"rate_limit"`), as
        /// in records and baselines written before this type existed.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Kind {
            $(
                $(#[$doc])*
                #[serde(rename = $name)]
                $variant,
            )*
        }

        impl Kind {
            /// Every kind, in the order messages list them.
            pub const ALL: [Kind; [$($name),*].len()] = [$(Self::$variant),*];

            /// Its specification: the one place each kind is described.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $(Self::$variant => &super::$module::$spec,)*
                }
            }

            /// Checks the options given in its parentheses: its module's
            /// `check`, as its own variant of [`KindOptions`].
            pub fn check(self, given: &[Given]) -> Checked<KindOptions> {
                no_repeats(given)?;
                let spec = self.spec();
                Ok(match self {
                    $(Self::$variant => KindOptions::$variant(super::$module::$check(spec, given)?),)*
                })
            }
        }

        /// The checked options of `stress(...)`, `caching(...)` and the rest:
        /// what the macro writes into a test's registration and the kind's
        /// runner reads, one variant per kind, holding its module's options.
        #[derive(Debug, Clone, PartialEq)]
        pub enum KindOptions {
            $(
                #[doc = concat!("`", $name, "(...)`.")]
                $variant(super::$module::$options),
            )*
        }

        impl KindOptions {
            /// The kind they are the options of.
            pub fn kind(&self) -> Kind {
                match self {
                    $(Self::$variant(_) => Kind::$variant,)*
                }
            }

            /// The users' think time (a rate-limit test's load is open: none).
            pub fn think_ns(&self) -> Think {
                match self {
                    $(Self::$variant(options) => options.think_ns(),)*
                }
            }
        }
    };
}

crate::for_each_kind!(declare_kinds);
