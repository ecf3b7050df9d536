//! Where the load goes: the server's address and the `Host` to send,
//! checked to be loopback unless the user opted in to another host.

use std::net::SocketAddr;

use hyper::header::HeaderValue;

/// Where requests go: the server's address and the `Host` to send.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) addr: SocketAddr,
    pub(crate) authority: HeaderValue,
}

/// Where the requests go, checked: loopback only, unless the user opted
/// in to another host.
pub(crate) fn resolve_target(url: &str, allow_remote: bool) -> Result<Target, String> {
    let parsed = perf_record::target::TargetUrl::parse(url)?;
    let addrs = parsed.resolve(allow_remote)?;
    let addr = *addrs
        .first()
        .ok_or_else(|| format!("the target `{}` resolves to no address", parsed.authority))?;
    let authority = HeaderValue::try_from(parsed.authority)
        .map_err(|_| format!("invalid host in `{}`", perf_record::target::redact(url)))?;
    Ok(Target { addr, authority })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_must_be_loopback_http() {
        assert!(resolve_target("http://127.0.0.1:8080", false).is_ok());
        assert!(resolve_target("http://[::1]:8080/", false).is_ok());
        assert!(resolve_target("http://[::1]:8080/api", false).is_err());
        assert!(resolve_target("http://localhost:9", false).is_ok());
        let remote = resolve_target("http://192.0.2.1:80", false).unwrap_err();
        assert!(
            remote.contains("not a loopback address") && remote.contains("PERF_ALLOW_REMOTE"),
            "{remote}"
        );
        assert!(resolve_target("http://192.0.2.1:80", true).is_ok());
        assert!(
            resolve_target("https://127.0.0.1", false)
                .unwrap_err()
                .contains("http://")
        );
    }
}
