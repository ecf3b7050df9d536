//! Where the load goes: the server's address, the `Host` to send and how
//! connections are opened (cleartext or TLS), checked to be loopback
//! unless the user opted in to another host.

use std::net::SocketAddr;

use hyper::header::HeaderValue;
use perf_record::target::{Scheme, TargetUrl};

#[cfg(feature = "tls")]
use super::client::tls::{Tls, TlsSettings};
use super::trust::TlsOptions;

/// Where requests go: the server's address and the `Host` to send.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) addr: SocketAddr,
    pub(crate) authority: HeaderValue,
    /// How its connections are opened.
    pub(crate) transport: TargetTransport,
}

/// How a target's connections are opened.
#[derive(Clone)]
pub(crate) enum TargetTransport {
    /// `http://`.
    Plain,
    /// `https://`, with the run's settings.
    #[cfg(feature = "tls")]
    Tls(Tls),
}

/// Where the requests go, checked: loopback only, unless the user opted
/// in to another host. An `https://` target's certificate is checked as
/// `tls` says.
pub(crate) fn resolve_target(
    url: &str,
    allow_remote: bool,
    tls: &TlsOptions,
) -> Result<Target, String> {
    let parsed = TargetUrl::parse(url)?;
    let addrs = parsed.resolve(allow_remote)?;
    let addr = *addrs
        .first()
        .ok_or_else(|| format!("the target `{}` resolves to no address", parsed.authority))?;
    let transport = transport(&parsed, tls)?;
    let authority = HeaderValue::try_from(parsed.authority)
        .map_err(|_| format!("invalid host in `{}`", perf_record::target::redact(url)))?;
    Ok(Target {
        addr,
        authority,
        transport,
    })
}

/// How connections to `url` are opened.
#[cfg(feature = "tls")]
fn transport(url: &TargetUrl, options: &TlsOptions) -> Result<TargetTransport, String> {
    Ok(match url.scheme {
        Scheme::Http => TargetTransport::Plain,
        Scheme::Https => {
            let settings = TlsSettings::new(options, &[b"http/1.1"])?;
            TargetTransport::Tls(Tls::new(&settings, &url.host)?)
        }
    })
}

/// How connections to `url` are opened: cleartext only, in a build
/// without TLS.
#[cfg(not(feature = "tls"))]
fn transport(url: &TargetUrl, _options: &TlsOptions) -> Result<TargetTransport, String> {
    match url.scheme {
        Scheme::Http => Ok(TargetTransport::Plain),
        Scheme::Https => Err(format!(
            "the target `https://{}` needs TLS, which this perf binary was built without: turn \
             on perf-runtime's `tls` feature (`perf-runtime = {{ version = \"...\", features = \
             [\"tls\"] }}` in the dev-dependencies)",
            url.authority
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_must_be_loopback_http() {
        let resolve = |url, remote| resolve_target(url, remote, &TlsOptions::default());
        assert!(resolve("http://127.0.0.1:8080", false).is_ok());
        assert!(resolve("http://[::1]:8080/", false).is_ok());
        assert!(resolve("http://[::1]:8080/api", false).is_err());
        assert!(resolve("http://localhost:9", false).is_ok());
        let remote = resolve("http://192.0.2.1:80", false).err().unwrap();
        assert!(
            remote.contains("not a loopback address") && remote.contains("PERF_ALLOW_REMOTE"),
            "{remote}"
        );
        assert!(resolve("http://192.0.2.1:80", true).is_ok());
        assert!(
            resolve("ftp://127.0.0.1", false)
                .err()
                .unwrap()
                .contains("http://")
        );
        #[cfg(feature = "tls")]
        assert!(matches!(
            resolve("https://localhost:9", false).map(|t| t.transport),
            Ok(TargetTransport::Tls(_))
        ));
        #[cfg(not(feature = "tls"))]
        assert!(
            resolve("https://localhost:9", false)
                .err()
                .unwrap()
                .contains("`tls` feature")
        );
    }
}
