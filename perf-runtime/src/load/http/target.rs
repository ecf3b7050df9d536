//! Where the load goes: the server's address, the `Host` to send and how
//! connections are opened (cleartext or TLS), checked to be loopback
//! unless the user opted in to another host.

use std::net::SocketAddr;

use hyper::header::HeaderValue;
use perf_record::target::{Scheme, TargetUrl};

#[cfg(feature = "http2")]
use super::client::http2::{Dial, Http2Pool};
#[cfg(feature = "tls")]
use super::client::tls::{Tls, TlsSettings};
use super::options::ConnectOptions;
#[cfg(feature = "http2")]
use super::options::Http2Options;

/// Where requests go: the server's address and the `Host` to send.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) addr: SocketAddr,
    pub(crate) authority: HeaderValue,
    /// How its connections are opened.
    pub(crate) transport: TargetTransport,
    /// HTTP/2 (`--http2`, or offered by ALPN on `https://`): the
    /// connections its users share, by thread.
    #[cfg(feature = "http2")]
    pub(crate) http2: Option<std::sync::Arc<Http2Pool>>,
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
/// in to another host. An `https://` target's certificate is checked, and
/// HTTP/2 spoken, as `options` say.
pub(crate) fn resolve_target(
    url: &str,
    allow_remote: bool,
    options: &ConnectOptions,
) -> Result<Target, String> {
    let parsed = TargetUrl::parse(url)?;
    let addrs = parsed.resolve(allow_remote)?;
    let addr = *addrs
        .first()
        .ok_or_else(|| format!("the target `{}` resolves to no address", parsed.authority))?;
    let transport = transport(&parsed, options)?;
    if parsed.scheme == Scheme::Http && !options.http2.only && options.http2.streams > 1 {
        return Err(format!(
            "--http2-streams shares HTTP/2 connections, which `http://{}` is not spoken to: give \
             --http2 too (a server that speaks HTTP/2 without TLS), or an https:// target",
            parsed.authority
        ));
    }
    #[cfg(feature = "http2")]
    let http2 = http2(&parsed, &transport, options.http2)?;
    let authority = HeaderValue::try_from(parsed.authority)
        .map_err(|_| format!("invalid host in `{}`", perf_record::target::redact(url)))?;
    Ok(Target {
        addr,
        authority,
        transport,
        #[cfg(feature = "http2")]
        http2,
    })
}

/// How connections to `url` are opened.
#[cfg(feature = "tls")]
fn transport(url: &TargetUrl, options: &ConnectOptions) -> Result<TargetTransport, String> {
    Ok(match url.scheme {
        Scheme::Http => TargetTransport::Plain,
        Scheme::Https => {
            let settings = TlsSettings::new(&options.tls, &[b"http/1.1"])?;
            TargetTransport::Tls(Tls::new(&settings, &url.host)?)
        }
    })
}

/// The pool of HTTP/2 connections to `url`, when they speak it: with
/// `--http2`, or `https://`, where the server may choose it by ALPN.
#[cfg(feature = "http2")]
fn http2(
    url: &TargetUrl,
    transport: &TargetTransport,
    options: Http2Options,
) -> Result<Option<std::sync::Arc<Http2Pool>>, String> {
    let dial = match transport {
        TargetTransport::Plain if options.only => Dial::Plain,
        TargetTransport::Plain => return Ok(None),
        #[cfg(feature = "tls")]
        TargetTransport::Tls(tls) => {
            let offered: &[&[u8]] = if options.only {
                &[b"h2"]
            } else {
                &[b"h2", b"http/1.1"]
            };
            Dial::Tls(tls.offering(offered))
        }
    };
    Http2Pool::new(url, dial, options).map(Some)
}

/// How connections to `url` are opened: cleartext only, in a build
/// without TLS.
#[cfg(not(feature = "tls"))]
fn transport(url: &TargetUrl, _options: &ConnectOptions) -> Result<TargetTransport, String> {
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
        let resolve = |url, remote| resolve_target(url, remote, &ConnectOptions::default());
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

    #[test]
    fn streams_per_connection_on_cleartext_need_http2() {
        let streams = |only| ConnectOptions {
            http2: crate::load::http::options::Http2Options { only, streams: 4 },
            ..ConnectOptions::default()
        };
        let refused = resolve_target("http://127.0.0.1:9", false, &streams(false))
            .err()
            .unwrap();
        assert!(refused.contains("give --http2 too"), "{refused}");
        // Cleartext speaks HTTP/2 only when asked to.
        #[cfg(feature = "http2")]
        assert!(
            resolve_target("http://127.0.0.1:9", false, &ConnectOptions::default())
                .is_ok_and(|t| t.http2.is_none())
        );
        #[cfg(feature = "http2")]
        assert!(
            resolve_target("http://127.0.0.1:9", false, &streams(true))
                .is_ok_and(|t| t.http2.is_some())
        );
    }
}
