//! Which HTTP an endpoint's requests spoke: HTTP/1.1, or HTTP/2 (chosen
//! by the server through ALPN on `https://`, or by `--http2` on
//! `http://`).

use serde::{Deserialize, Serialize};

/// The HTTP version of an endpoint's requests, named as ALPN names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HttpVersion {
    /// `http/1.1`.
    #[serde(rename = "http/1.1")]
    Http1,
    /// `h2`.
    #[serde(rename = "h2")]
    H2,
    /// Some requests spoke one and some the other (a server that changed
    /// its answer to ALPN mid-test).
    #[serde(rename = "mixed")]
    Mixed,
}

impl HttpVersion {
    /// Its name, as serialized: `http/1.1`, `h2` or `mixed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http1 => "http/1.1",
            Self::H2 => "h2",
            Self::Mixed => "mixed",
        }
    }

    /// What a report adds to an endpoint's name: nothing for HTTP/1.1,
    /// the usual (and for a record that does not say), ` (h2)` or
    /// ` (h2 and http/1.1)`.
    pub fn suffix(version: Option<Self>) -> &'static str {
        match version {
            None | Some(Self::Http1) => "",
            Some(Self::H2) => " (h2)",
            Some(Self::Mixed) => " (h2 and http/1.1)",
        }
    }

    /// The version of two sets of requests together: one of them alone,
    /// or mixed.
    pub fn with(self, other: Self) -> Self {
        if self == other { self } else { Self::Mixed }
    }

    /// The version of several parts (processes, shards) of one endpoint;
    /// `None` when none of them says (a record from before it was kept,
    /// or only WebSocket round trips).
    pub fn of_parts(parts: impl IntoIterator<Item = Option<Self>>) -> Option<Self> {
        parts.into_iter().flatten().reduce(Self::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::EndpointStats;

    #[test]
    fn parts_combine_into_one_version_or_mixed() {
        use HttpVersion::{H2, Http1, Mixed};
        assert_eq!(HttpVersion::of_parts([Some(H2), None, Some(H2)]), Some(H2));
        assert_eq!(HttpVersion::of_parts([Some(H2), Some(Http1)]), Some(Mixed));
        assert_eq!(HttpVersion::of_parts([None, None]), None);
        assert_eq!(
            serde_json::to_string(&[Http1, H2, Mixed]).unwrap(),
            r#"["http/1.1","h2","mixed"]"#
        );
    }

    #[test]
    fn an_endpoint_recorded_before_its_version_was_kept_still_loads() {
        // As an earlier cargo-perf wrote it: no `protocol`.
        let old = r#"{"name":"GET /","rps":1.0,"errors":0,"latency":{"count":1,"min_us":1,"mean_us":1.0,"p50_us":1,"p90_us":1,"p95_us":1,"p99_us":1,"p999_us":1,"max_us":1,"histogram":""}}"#;
        let endpoint: EndpointStats = serde_json::from_str(old).unwrap();
        assert_eq!(endpoint.protocol, None);
        let again = serde_json::to_string(&endpoint).unwrap();
        assert!(!again.contains("protocol"), "{again}");
        let h2 = EndpointStats {
            protocol: Some(HttpVersion::H2),
            ..endpoint
        };
        let text = serde_json::to_string(&h2).unwrap();
        assert!(text.contains(r#""protocol":"h2""#), "{text}");
        assert_eq!(serde_json::from_str::<EndpointStats>(&text).unwrap(), h2);
    }
}
