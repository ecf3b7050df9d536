//! The run's TLS client settings: which certificates are trusted (the
//! platform's roots and `--ca-cert`, or none checked with `--insecure`)
//! and which protocols are offered.

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::client::ClientConfig;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use super::insecure::AnyCertificate;
use crate::load::http::trust::TlsOptions;

/// The client configuration every TLS connection of a run shares.
#[derive(Clone)]
pub(crate) struct TlsSettings {
    pub(crate) config: Arc<ClientConfig>,
}

impl TlsSettings {
    /// Settings offering `protocols` by ALPN (`http/1.1`, `h2`), checking
    /// certificates as `options` say.
    pub(crate) fn new(options: &TlsOptions, protocols: &[&[u8]]) -> Result<Self, String> {
        // The provider named, not the process default: a user's crate that
        // also builds aws-lc-rs would leave rustls no default to pick.
        #[expect(
            deprecated,
            reason = "ring offers no post-quantum key exchange; aws-lc-rs, which does, needs cmake \
                      and builds several times longer (see the `tls` feature)"
        )]
        let provider = rustls::crypto::ring::default_provider();
        let provider = Arc::new(provider);
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?;
        let mut config = if options.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate::new(provider)))
                .with_no_client_auth()
        } else {
            builder
                .with_root_certificates(roots(options.ca_cert.as_deref())?)
                .with_no_client_auth()
        };
        config.alpn_protocols = protocols.iter().map(|p| p.to_vec()).collect();
        Ok(Self {
            config: Arc::new(config),
        })
    }
}

/// The platform's root certificates, and those of `ca_cert`.
fn roots(ca_cert: Option<&std::path::Path>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    // A store that cannot be read in part (one bad file) still trusts the
    // rest; one with no root at all leaves only `--ca-cert`.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca_cert {
        let shown = path.display();
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("cannot read the --ca-cert file {shown}: {e}"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("the --ca-cert file {shown} is not PEM: {e}"))?;
        if certs.is_empty() {
            return Err(format!(
                "the --ca-cert file {shown} holds no certificate (`-----BEGIN CERTIFICATE-----`)"
            ));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| format!("a certificate in the --ca-cert file {shown}: {e}"))?;
        }
    }
    Ok(roots)
}
