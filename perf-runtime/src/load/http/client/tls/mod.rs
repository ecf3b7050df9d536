//! `https://`: the connection's stream is a rustls client session on its
//! socket, configured once per run (roots, `--insecure`, `--ca-cert`) and
//! shared by every user.

mod config;
mod connector;
mod insecure;
mod reason;

pub(crate) use config::TlsSettings;
pub(crate) use connector::Tls;
