//! The JSON shape every finding and warning shares: `{code, …figures,
//! message}`, with a plain string (what records held before codes) read
//! back as text with the code `note`.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The code of a text-only finding or warning from a record written
/// before they had codes.
pub(crate) const NOTE: &str = "note";

/// A finding or warning whose typed variants serde writes internally
/// tagged by `code`, and whose text-only variants are `(code, message)`.
pub(crate) trait Coded: Sized + std::fmt::Display {
    /// The typed variants, tagged by `code` (serde's derive, `remote =
    /// "Self"`).
    fn serialize_tagged<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// The typed variants back from their tag and figures.
    fn deserialize_tagged<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    /// `(code, message)` of a text-only variant.
    fn text(&self) -> Option<(&str, &str)>;
    /// A text-only variant: a code that names no typed variant, or
    /// [`NOTE`] for an old plain string.
    fn from_text(code: String, message: String) -> Self;
}

struct TaggedRef<'a, T>(&'a T);

impl<T: Coded> Serialize for TaggedRef<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_tagged(serializer)
    }
}

/// `{code, …figures, message}`, or `{code, message}` for a text-only one.
pub(crate) fn serialize<T: Coded, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if let Some((code, message)) = value.text() {
        let mut out = serializer.serialize_struct("Coded", 2)?;
        out.serialize_field("code", code)?;
        out.serialize_field("message", message)?;
        return out.end();
    }
    #[derive(serde::Serialize)]
    #[serde(bound = "T: Coded")]
    struct Wire<'a, T> {
        #[serde(flatten)]
        figures: TaggedRef<'a, T>,
        message: String,
    }
    Wire {
        figures: TaggedRef(value),
        message: value.to_string(),
    }
    .serialize(serializer)
}

struct Tagged<T>(T);

impl<'de, T: Coded> Deserialize<'de> for Tagged<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_tagged(deserializer).map(Tagged)
    }
}

/// A typed variant from its code and figures (its message is rendered
/// again); else text with its code; else an old plain string.
pub(crate) fn deserialize<'de, T: Coded, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged, bound = "T: Coded")]
    enum Wire<T> {
        Tagged(Tagged<T>),
        Text { code: String, message: String },
        Plain(String),
    }
    Ok(match Wire::<T>::deserialize(deserializer)? {
        Wire::Tagged(Tagged(value)) => value,
        Wire::Text { code, message } => T::from_text(code, message),
        Wire::Plain(message) => T::from_text(NOTE.to_owned(), message),
    })
}
