//! How an `https://` target's certificate is checked, as the user asked
//! (`--insecure`, `--ca-cert`): read whether or not TLS is built in, so a
//! build without it can say what is missing.

use std::path::PathBuf;

use perf_record::protocol::env;

/// How `https://` targets' certificates are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TlsOptions {
    /// `--insecure`: no check at all.
    pub(crate) insecure: bool,
    /// `--ca-cert`: a PEM file of authorities trusted beside the
    /// platform's.
    pub(crate) ca_cert: Option<PathBuf>,
}

impl TlsOptions {
    /// The options `cargo perf` passed down (its environment variables).
    pub(crate) fn from_env() -> Self {
        Self {
            insecure: std::env::var(env::INSECURE).is_ok_and(|v| v == "1"),
            ca_cert: std::env::var_os(env::CA_CERT)
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
        }
    }
}
