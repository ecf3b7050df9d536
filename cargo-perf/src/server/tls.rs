//! The TLS client that probes a server speaking HTTPS (`tls = true`): its
//! certificate is checked as the load tests check it, against the
//! platform's roots and `--ca-cert`, or not at all with `--insecure`, so
//! that a certificate the load would refuse fails the start at once, with
//! the reason, rather than after the startup timeout. (The load
//! generator's own client is perf-runtime's, which cargo perf does not
//! build: the two share rustls, its ring provider and the rules.)

use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
    SignatureScheme, StreamOwned,
};

/// How a server's certificate is checked: `--insecure` and `--ca-cert`.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// `--insecure`: not at all.
    pub insecure: bool,
    /// `--ca-cert`: authorities trusted beside the platform's.
    pub ca_cert: Option<PathBuf>,
}

/// The client configuration of a server's probes.
pub(super) struct TlsProbe {
    config: Arc<ClientConfig>,
}

impl TlsProbe {
    /// A probe that checks certificates as `trust` says; a `--ca-cert`
    /// file that cannot be read is an error.
    pub(super) fn new(trust: &Trust) -> Result<Self, String> {
        #[expect(
            deprecated,
            reason = "the provider perf-runtime's client uses (see its `tls` feature)"
        )]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?;
        let mut config = if trust.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
                .with_no_client_auth()
        } else {
            builder
                .with_root_certificates(roots(trust.ca_cert.as_deref())?)
                .with_no_client_auth()
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            config: Arc::new(config),
        })
    }

    /// A TLS session to the server on `tcp` (127.0.0.1, the name its
    /// certificate is checked against), its handshake done: `Err(None)`
    /// when the connection broke (the server is not up yet), `Err(Some)`
    /// with the reason when TLS refused it.
    pub(super) fn connect(
        &self,
        tcp: TcpStream,
    ) -> Result<StreamOwned<ClientConnection, TcpStream>, Option<String>> {
        let name = ServerName::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST).into());
        let session = ClientConnection::new(Arc::clone(&self.config), name)
            .map_err(|e| Some(format!("cannot set up TLS: {e}")))?;
        let mut stream = StreamOwned::new(session, tcp);
        while stream.conn.is_handshaking() {
            if let Err(error) = stream.conn.complete_io(&mut stream.sock) {
                return Err(error
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<rustls::Error>())
                    .map(refusal));
            }
        }
        Ok(stream)
    }
}

/// Why TLS refused the server, in the user's terms.
fn refusal(error: &rustls::Error) -> String {
    let why = match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "its certificate is signed by an authority this machine does not trust (pass \
             --ca-cert PATH with that authority, or --insecure for a self-signed one)"
        }
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => {
            "its certificate does not name 127.0.0.1, the address cargo perf loads it at (or pass --insecure)"
        }
        rustls::Error::InvalidCertificate(_) => "its certificate is invalid",
        _ => "the server does not speak TLS as `tls = true` says",
    };
    format!("the TLS handshake with the server failed: {why} ({error})")
}

/// The platform's root certificates, and those of `ca_cert`.
fn roots(ca_cert: Option<&std::path::Path>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if let Some(path) = ca_cert {
        let shown = path.display();
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("cannot read the --ca-cert file {shown}: {e}"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("the --ca-cert file {shown} is not PEM: {e}"))?;
        if certs.is_empty() {
            return Err(format!("the --ca-cert file {shown} holds no certificate"));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| format!("a certificate in the --ca-cert file {shown}: {e}"))?;
        }
    }
    Ok(roots)
}

/// `--insecure`: any certificate, for any host; the handshake's
/// signatures are still checked.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.0.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.0.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
