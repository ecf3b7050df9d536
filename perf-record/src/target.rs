//! The URL load tests are sent to, as both `cargo perf` and the harness
//! read it: `http://` or `https://`, a host and port to resolve, and the
//! one rule on where it may point (this machine, unless the user opted in).

use std::net::{SocketAddr, ToSocketAddrs as _};

/// How a target is spoken to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http://`: cleartext.
    Http,
    /// `https://`: TLS.
    Https,
}

impl Scheme {
    /// The port a URL of this scheme means when it names none.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }
}

/// The parts of a target URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl {
    /// `http://` or `https://`.
    pub scheme: Scheme,
    /// `host:port` as written (`127.0.0.1:8080`, `[::1]:8080`, `localhost`).
    pub authority: String,
    /// The host alone, without brackets (`127.0.0.1`, `::1`, `localhost`):
    /// the name a TLS certificate is checked against.
    pub host: String,
    /// `host:port` with the scheme's default port (80, 443) filled in, for
    /// resolving.
    pub host_port: String,
}

impl TargetUrl {
    /// Reads `http[s]://[user[:password]@]host[:port][/path]`. The user
    /// part is dropped (load tests send their own headers) and never shown.
    pub fn parse(url: &str) -> Result<Self, String> {
        let shown = redact(url);
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("http://") {
            (Scheme::Http, rest)
        } else if let Some(rest) = url.strip_prefix("https://") {
            (Scheme::Https, rest)
        } else {
            return Err(format!(
                "the target URL `{shown}` must start with http:// or https://"
            ));
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        if !path.is_empty() && path != "/" {
            // A password with an unencoded `/` would end up in `path`: then
            // neither part is shown.
            if path.contains('@') {
                return Err(
                    "the target URL has a path, which load tests would not send; give only the \
                     scheme, host and port (percent-encode a `/` in a password)"
                        .to_owned(),
                );
            }
            return Err(format!(
                "the target URL `{shown}` has a path (`{}`), which load tests would not send: they \
                 send their own absolute paths; give only the scheme, host and port \
                 (`{}://{}`), and write the prefix into the test's paths",
                path,
                url.split_once("://").map_or("http", |(scheme, _)| scheme),
                authority
                    .rsplit_once('@')
                    .map_or(authority, |(_, host)| host)
            ));
        }
        let authority = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        if authority.is_empty() {
            return Err(format!("the target URL `{shown}` has no host"));
        }
        let has_port = authority.rsplit_once(':').is_some_and(|(host, port)| {
            port.parse::<u16>().is_ok() && (!host.contains(':') || host.ends_with(']'))
        });
        let (host, host_port) = if has_port {
            let host = authority
                .rsplit_once(':')
                .map_or(authority, |(host, _)| host);
            (host, authority.to_owned())
        } else {
            (authority, format!("{authority}:{}", scheme.default_port()))
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        Ok(Self {
            scheme,
            authority: authority.to_owned(),
            host: host.to_owned(),
            host_port,
        })
    }
    /// Resolves the host and applies the loopback rule: every address it
    /// resolves to must be on this machine (127.0.0.0/8 or ::1) unless
    /// `allow_remote`. Returns the addresses, in the resolver's order.
    pub fn resolve(&self, allow_remote: bool) -> Result<Vec<SocketAddr>, String> {
        let addrs: Vec<SocketAddr> = self
            .host_port
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve the target `{}`: {e}", self.authority))?
            .collect();
        if addrs.is_empty() {
            return Err(format!(
                "the target `{}` resolves to no address",
                self.authority
            ));
        }
        check_loopback(&self.authority, &addrs, allow_remote)?;
        Ok(addrs)
    }
}

/// `url` as it may be shown: a password in its user part is replaced by
/// `***` (`http://user:***@host/`).
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(name, _)| name);
            let sep = if scheme.is_empty() { "" } else { "://" };
            format!("{scheme}{sep}{user}:***@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// The loopback rule: a load test must not flood another host by
/// accident, so every address of the target `authority` (`host:port` as
/// written) must be a loopback one unless
/// the user opted in (`--allow-remote`, or `PERF_ALLOW_REMOTE=1` for a
/// perf binary run by hand).
pub fn check_loopback(
    authority: &str,
    addrs: &[SocketAddr],
    allow_remote: bool,
) -> Result<(), String> {
    match addrs.iter().find(|a| !a.ip().is_loopback()) {
        Some(remote) if !allow_remote => Err(format!(
            "the target `{authority}` ({}) is not a loopback address (127.0.0.0/8 or ::1): a load test must not flood \
             another host by accident; pass --allow-remote to cargo perf (or set PERF_ALLOW_REMOTE=1) if you \
             mean it",
            remote.ip()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let error = TargetUrl::parse("http://127.0.0.1:8080/api").unwrap_err();
        assert!(
            error.contains("has a path (`/api`)") && error.contains("`http://127.0.0.1:8080`"),
            "{error}"
        );
        assert!(TargetUrl::parse("http://127.0.0.1:8080/?x=1").is_err());
        let t = TargetUrl::parse("http://127.0.0.1:8080/").unwrap();
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
            TargetUrl::parse("ftp://x")
                .unwrap_err()
                .contains("http:// or https://")
        );
        let tls = TargetUrl::parse("https://localhost").unwrap();
        assert_eq!(
            (tls.scheme, tls.host.as_str(), tls.host_port.as_str()),
            (Scheme::Https, "localhost", "localhost:443")
        );
        let tls = TargetUrl::parse("https://[::1]:8443/").unwrap();
        assert_eq!(
            (tls.host.as_str(), tls.authority.as_str()),
            ("::1", "[::1]:8443")
        );
        assert_eq!(t.scheme, Scheme::Http);
        assert_eq!(t.host, "127.0.0.1");
        assert!(
            TargetUrl::parse("https://127.0.0.1:1/api")
                .unwrap_err()
                .contains("`https://127.0.0.1:1`")
        );
        assert!(TargetUrl::parse("http:///x").is_err());
        let secret = TargetUrl::parse("http://user:secret@127.0.0.1:1/").unwrap();
        assert_eq!(secret.authority, "127.0.0.1:1");
        let error = TargetUrl::parse("http://user:secret@127.0.0.1:1/x").unwrap_err();
        assert!(!error.contains("secret"), "{error}");
        let error = TargetUrl::parse("http://user:se/cret@127.0.0.1:1").unwrap_err();
        assert!(!error.contains("cret"), "{error}");
        let error = TargetUrl::parse("ftp://user:secret@127.0.0.1:1").unwrap_err();
        assert!(
            !error.contains("secret") && error.contains("user:***@"),
            "{error}"
        );
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(redact("http://u:pw@h:1/p?q"), "http://u:***@h:1/p?q");
        assert_eq!(redact("http://u@h"), "http://u:***@h");
        assert_eq!(redact("http://h:1/a@b"), "http://h:1/a@b");
        assert_eq!(redact("http://h"), "http://h");
    }

    fn addrs(ips: &[&str]) -> Vec<SocketAddr> {
        ips.iter()
            .map(|ip| SocketAddr::new(ip.parse().unwrap(), 80))
            .collect()
    }

    #[test]
    fn only_loopback_addresses_pass_without_the_opt_in() {
        let url = "x:80";
        assert!(check_loopback(url, &addrs(&["127.0.0.1", "::1", "127.1.2.3"]), false).is_ok());
        let refused = check_loopback(url, &addrs(&["192.0.2.1"]), false).unwrap_err();
        assert!(
            refused.contains("`x:80` (192.0.2.1) is not a loopback address")
                && refused.contains("--allow-remote")
                && refused.contains("PERF_ALLOW_REMOTE=1"),
            "{refused}"
        );
        // One remote address among loopback ones is enough to refuse.
        assert!(check_loopback(url, &addrs(&["127.0.0.1", "192.0.2.1"]), false).is_err());
        assert!(check_loopback(url, &addrs(&["0.0.0.0"]), false).is_err());
        assert!(check_loopback(url, &addrs(&["192.0.2.1"]), true).is_ok());
    }

    #[test]
    fn resolving_applies_the_rule() {
        let resolve = |url: &str, allow_remote| TargetUrl::parse(url)?.resolve(allow_remote);
        assert_eq!(
            resolve("http://127.0.0.1:9", false).unwrap(),
            addrs(&["127.0.0.1"])
                .into_iter()
                .map(|a| SocketAddr::new(a.ip(), 9))
                .collect::<Vec<_>>()
        );
        assert!(resolve("http://[::1]:8080", false).is_ok());
        assert!(resolve("http://192.0.2.1:80", false).is_err());
        assert!(resolve("http://192.0.2.1:80", true).is_ok());
    }
}
