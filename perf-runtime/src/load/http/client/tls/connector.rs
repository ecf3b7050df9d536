//! A TLS client session on a connection's socket, to one host.

use std::sync::Arc;

use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::super::error::SendError;
use super::super::transport::Transport;
use super::config::TlsSettings;
use super::reason;

/// TLS on a connection to one host, with the run's settings.
#[derive(Clone)]
pub(crate) struct Tls {
    connector: TlsConnector,
    name: ServerName<'static>,
}

impl Tls {
    /// TLS to `host` (the name its certificate is checked against).
    pub(crate) fn new(settings: &TlsSettings, host: &str) -> Result<Self, String> {
        let name = ServerName::try_from(host.to_owned())
            .map_err(|_| format!("`{host}` is no host name a TLS certificate can name"))?;
        Ok(Self {
            connector: TlsConnector::from(Arc::clone(&settings.config)),
            name,
        })
    }

    /// The host, as the errors name it.
    fn host(&self) -> String {
        match &self.name {
            ServerName::DnsName(name) => name.as_ref().to_owned(),
            ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
            other => format!("{other:?}"),
        }
    }
}

impl Transport for Tls {
    type Stream = TlsStream<TcpStream>;
    const HANDSHAKE: bool = true;

    async fn open(&self, tcp: TcpStream) -> Result<Self::Stream, SendError> {
        self.connector
            .connect(self.name.clone(), tcp)
            .await
            .map_err(|e| reason::handshake_error(&self.host(), &e))
    }

    fn socket(stream: &Self::Stream) -> &TcpStream {
        stream.get_ref().0
    }
}
