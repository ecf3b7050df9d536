//! How the run asked connections to be made: the certificates an
//! `https://` target's are checked against, and HTTP/2 (`--http2`,
//! `--http2-streams`). Read whether or not TLS and HTTP/2 are built in,
//! so a build without them can say what is missing.

use perf_record::protocol::env;

use super::trust::TlsOptions;

/// The connection flags `cargo perf` passed down.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ConnectOptions {
    /// How certificates are checked.
    pub(crate) tls: TlsOptions,
    /// How HTTP/2 is used.
    pub(crate) http2: Http2Options,
}

/// How HTTP/2 is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Http2Options {
    /// `--http2`: HTTP/2 only, by prior knowledge on `http://` (h2c) and
    /// as the only protocol offered by ALPN on `https://`.
    pub(crate) only: bool,
    /// `--http2-streams`: the users that share one HTTP/2 connection,
    /// each with its one request in flight.
    pub(crate) streams: u32,
}

impl Default for Http2Options {
    fn default() -> Self {
        Self {
            only: false,
            streams: 1,
        }
    }
}

impl ConnectOptions {
    /// The options of the environment `cargo perf` set: refused when they
    /// ask for HTTP/2 and this binary was built without it.
    pub(crate) fn from_env() -> Result<Self, String> {
        let http2 = Http2Options::read(
            std::env::var(env::HTTP2).ok().as_deref(),
            std::env::var(env::HTTP2_STREAMS).ok().as_deref(),
            cfg!(feature = "http2"),
        )?;
        Ok(Self {
            tls: TlsOptions::from_env(),
            http2,
        })
    }
}

impl Http2Options {
    /// The options of `--http2` (`"1"`) and `--http2-streams` as passed
    /// down, in a binary with HTTP/2 `built_in` or not.
    fn read(only: Option<&str>, streams: Option<&str>, built_in: bool) -> Result<Self, String> {
        let only = only == Some("1");
        let count =
            match streams {
                None => None,
                Some(text) => Some(text.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(
                    || {
                        format!(
                            "{}={text}: write a number of users per connection, 1 or more",
                            env::HTTP2_STREAMS
                        )
                    },
                )?),
            };
        if (only || count.is_some()) && !built_in {
            let flag = if only { "--http2" } else { "--http2-streams" };
            return Err(format!(
                "{flag} needs HTTP/2, which this perf binary was built without: turn on perf-runtime's \
                 `http2` feature (`perf-runtime = {{ version = \"...\", features = [\"http2\"] }}` in \
                 the dev-dependencies; add \"tls\" too for https:// targets)"
            ));
        }
        Ok(Self {
            only,
            streams: count.unwrap_or(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http2_flags_are_read_and_refused_by_a_binary_without_the_feature() {
        assert_eq!(
            Http2Options::read(None, None, false),
            Ok(Http2Options::default())
        );
        assert_eq!(
            Http2Options::read(Some("1"), Some("8"), true),
            Ok(Http2Options {
                only: true,
                streams: 8
            })
        );
        for (only, streams, flag) in [
            (Some("1"), None, "--http2"),
            (None, Some("4"), "--http2-streams"),
        ] {
            let refused = Http2Options::read(only, streams, false).unwrap_err();
            assert!(
                refused.starts_with(flag)
                    && refused.contains("`http2` feature")
                    && refused.contains("features = [\"http2\"]"),
                "{refused}"
            );
        }
        assert!(
            Http2Options::read(None, Some("0"), true)
                .unwrap_err()
                .contains("1 or more")
        );
    }
}
