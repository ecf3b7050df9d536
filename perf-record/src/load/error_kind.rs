//! Why a request or an iteration failed, as a load test counts it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of a failed request or iteration: a load test's `errors` are
/// counted by it. Serialized as its name (`"connect"`), also as a key of
/// the `errors` map; the variants are in their names' order so that the
/// map's keys are too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestErrorKind {
    /// A check on a response failed.
    Check,
    /// The connection could not be made.
    Connect,
    /// Reading or writing the connection failed.
    Io,
    /// A virtual user's function panicked: the test is broken, not the
    /// server.
    Panic,
    /// The server answered with an error status (4xx, 5xx).
    Status,
    /// No answer in time.
    Timeout,
    /// The TLS handshake failed: the server's certificate was not trusted
    /// for its host (expired, another host's, signed by an unknown
    /// authority) or the two sides agreed on no protocol.
    Tls,
    /// The user's own function returned an error.
    User,
}

impl RequestErrorKind {
    /// Every kind, in order.
    pub const ALL: [Self; 8] = [
        Self::Check,
        Self::Connect,
        Self::Io,
        Self::Panic,
        Self::Status,
        Self::Timeout,
        Self::Tls,
        Self::User,
    ];

    /// Its name, as serialized: `check`, `connect`, `io`, `panic`,
    /// `status`, `timeout`, `tls` or `user`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Check => "check",
            Self::Connect => "connect",
            Self::Io => "io",
            Self::Panic => "panic",
            Self::Status => "status",
            Self::Timeout => "timeout",
            Self::Tls => "tls",
            Self::User => "user",
        }
    }
}

impl fmt::Display for RequestErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_kind_is_written_as_its_name_in_its_names_order() {
        let mut names = Vec::new();
        for kind in RequestErrorKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{kind}\""));
            assert_eq!(
                serde_json::from_str::<RequestErrorKind>(&json).unwrap(),
                kind
            );
            names.push(kind.as_str());
        }
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn the_errors_map_is_keyed_by_name_as_before() {
        let old = r#"{"connect":3,"panic":1,"status":2}"#;
        let map: BTreeMap<RequestErrorKind, u64> = serde_json::from_str(old).unwrap();
        assert_eq!(map[&RequestErrorKind::Connect], 3);
        assert_eq!(map[&RequestErrorKind::Panic], 1);
        assert_eq!(serde_json::to_string(&map).unwrap(), old);
    }

    #[test]
    fn records_from_before_tls_load_and_tls_errors_have_their_own_key() {
        // A record written before the `tls` kind existed: every key it
        // could hold still reads.
        let old = r#"{"check":1,"connect":2,"io":3,"panic":4,"status":5,"timeout":6,"user":7}"#;
        let map: BTreeMap<RequestErrorKind, u64> = serde_json::from_str(old).unwrap();
        assert_eq!(map.len(), 7);
        assert!(!map.contains_key(&RequestErrorKind::Tls));
        let with_tls = BTreeMap::from([(RequestErrorKind::Tls, 1_u64)]);
        assert_eq!(serde_json::to_string(&with_tls).unwrap(), r#"{"tls":1}"#);
    }
}
