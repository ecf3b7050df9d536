//! The readiness probe against real servers on loopback: HTTPS with a
//! certificate made at test time (trusted through `--ca-cert`, unknown,
//! accepted by `--insecure`), and a cleartext server probed as if it spoke
//! TLS.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

use super::{Probe, probe};
use crate::cargo::Ready;
use crate::server::tls::{TlsProbe, Trust};

const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";

/// An authority's certificate (PEM), and a server certificate for
/// 127.0.0.1 it signed, with its key.
fn certificates() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_pem = ca.self_signed(&ca_key).unwrap().pem();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    (ca_pem, cert.der().clone(), key)
}

/// A server on a free loopback port answering every request `200 ok`,
/// through TLS with `cert` when given.
fn serve(cert: Option<(CertificateDer<'static>, PrivateKeyDer<'static>)>) -> SocketAddr {
    let config = cert.map(|(cert, key)| {
        #[expect(deprecated, reason = "the provider the probe uses")]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
        Arc::new(config)
    });
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || match config {
                Some(config) => {
                    let Ok(session) = ServerConnection::new(config) else {
                        return;
                    };
                    answer(StreamOwned::new(session, tcp));
                }
                None => answer(tcp),
            });
        }
    });
    addr
}

/// Answers the first bytes it reads, as an HTTP server answers a request
/// (or a TLS hello it does not understand, with a 400).
fn answer(mut stream: impl std::io::Read + std::io::Write) {
    let mut chunk = [0; 4096];
    if let Ok(1..) = stream.read(&mut chunk) {
        let _ = stream.write_all(OK).and_then(|()| stream.flush());
    }
}

fn look(addr: SocketAddr, trust: &Trust) -> Probe {
    let tls = TlsProbe::new(trust).unwrap();
    probe(&Ready::Http("/health".to_owned()), addr, Some(&tls))
}

#[test]
fn an_https_server_is_ready_when_its_certificate_is_trusted_and_refused_at_once_when_not() {
    let (ca_pem, cert, key) = certificates();
    let addr = serve(Some((cert, key)));
    let mut ca_file = tempfile::NamedTempFile::new().unwrap();
    ca_file.write_all(ca_pem.as_bytes()).unwrap();
    let trusted = Trust {
        insecure: false,
        ca_cert: Some(ca_file.path().to_path_buf()),
    };
    assert!(matches!(look(addr, &trusted), Probe::Ready));
    let insecure = Trust {
        insecure: true,
        ca_cert: None,
    };
    assert!(matches!(look(addr, &insecure), Probe::Ready));
    match look(addr, &Trust::default()) {
        Probe::Refused(reason) => assert!(
            reason.contains("does not trust") && reason.contains("--ca-cert"),
            "{reason}"
        ),
        _ => panic!("an unknown authority's certificate was not refused"),
    }
}

#[test]
fn a_cleartext_server_probed_over_tls_is_refused_and_a_closed_port_is_not_ready_yet() {
    let addr = serve(None);
    let insecure = Trust {
        insecure: true,
        ca_cert: None,
    };
    assert!(matches!(look(addr, &insecure), Probe::Refused(reason) if reason.contains("TLS")),);
    // And over HTTP, the same server is ready.
    assert!(matches!(
        probe(&Ready::Http("/health".to_owned()), addr, None),
        Probe::Ready
    ));
    let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap();
    assert!(matches!(look(closed, &insecure), Probe::NotYet));
}

#[test]
fn a_ca_cert_file_that_cannot_be_read_is_an_error() {
    let missing = Trust {
        insecure: false,
        ca_cert: Some("/nonexistent/ca.pem".into()),
    };
    let error = TlsProbe::new(&missing).err().unwrap();
    assert!(error.contains("/nonexistent/ca.pem"), "{error}");
}
