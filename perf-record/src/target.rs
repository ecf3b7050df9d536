//! The URL load tests are sent to, as both `cargo perf` and the harness
//! read it: plain `http://`, and a host and port to resolve.

/// The parts of a target URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl {
    /// `host:port` as written (`127.0.0.1:8080`, `[::1]:8080`, `localhost`).
    pub authority: String,
    /// `host:port` with the default port 80 filled in, for resolving.
    pub host_port: String,
}

impl TargetUrl {
    /// Reads `http://host[:port][/path]`.
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest = url.strip_prefix("http://").ok_or_else(|| {
            format!(
                "the target URL `{url}` must start with http:// (load tests speak plain HTTP/1.1)"
            )
        })?;
        let authority = rest.split('/').next().unwrap_or(rest);
        if authority.is_empty() {
            return Err(format!("the target URL `{url}` has no host"));
        }
        let has_port = authority.rsplit_once(':').is_some_and(|(host, port)| {
            port.parse::<u16>().is_ok() && (!host.contains(':') || host.ends_with(']'))
        });
        let host_port = if has_port {
            authority.to_owned()
        } else {
            format!("{authority}:80")
        };
        Ok(Self {
            authority: authority.to_owned(),
            host_port,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = TargetUrl::parse("http://127.0.0.1:8080/api").unwrap();
        assert_eq!(
            (t.authority.as_str(), t.host_port.as_str()),
            ("127.0.0.1:8080", "127.0.0.1:8080")
        );
        assert_eq!(
            TargetUrl::parse("http://localhost").unwrap().host_port,
            "localhost:80"
        );
        assert_eq!(
            TargetUrl::parse("http://[::1]:9000").unwrap().host_port,
            "[::1]:9000"
        );
        assert!(
            TargetUrl::parse("https://x")
                .unwrap_err()
                .contains("http://")
        );
        assert!(TargetUrl::parse("http:///x").is_err());
    }
}
