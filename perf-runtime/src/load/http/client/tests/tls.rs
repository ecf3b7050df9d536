//! `https://` against a real TLS server with certificates made at test
//! time: trusted through `--ca-cert`, refused for another host, expired or
//! unknown with the host and reason named, accepted by `--insecure`, and
//! the handshake counted once per connection.

use std::io::Write as _;

use super::certs::Authority;
use super::drive::{get, outcome};
use super::tls_server::TlsServer;
use crate::load::http::client::connection::Connection;
use crate::load::http::client::error::SendError;
use crate::load::http::client::tls::{Tls, TlsSettings};
use crate::load::http::trust::TlsOptions;

/// A client of `host` on `server`, trusting what `options` say.
fn client(server: &TlsServer, host: &str, options: &TlsOptions) -> Connection<Tls> {
    let settings = TlsSettings::new(options, &[b"http/1.1"]).unwrap();
    Connection::new(server.addr, Tls::new(&settings, host).unwrap())
}

/// Options trusting `authority` through a `--ca-cert` file.
fn trusting(authority: &Authority) -> (TlsOptions, tempfile::NamedTempFile) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(authority.pem.as_bytes()).unwrap();
    let options = TlsOptions {
        insecure: false,
        ca_cert: Some(file.path().to_path_buf()),
    };
    (options, file)
}

fn tls_error(result: &Result<super::super::connection::RawResponse, SendError>) -> String {
    match result {
        Err(SendError::Tls(message)) => message.clone(),
        other => panic!("not a TLS error: {:?}", outcome(other)),
    }
}

#[tokio::test]
async fn a_certificate_signed_by_the_ca_cert_is_trusted_and_the_handshake_counted_once() {
    let authority = Authority::new();
    let server = TlsServer::start(authority.server(&["localhost", "127.0.0.1"], false));
    let (options, _file) = trusting(&authority);
    for host in ["localhost", "127.0.0.1"] {
        let mut connection = client(&server, host, &options);
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "ok".into()))
        );
        let setup = connection.setup();
        assert_eq!((setup.connects, setup.handshakes), (1, 1), "{host}");
        assert!(setup.handshake > std::time::Duration::ZERO);
        // Kept alive: no new handshake.
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "ok".into()))
        );
        assert_eq!(connection.setup().handshakes, 0);
    }
    assert_eq!(server.handshakes(), 2);
}

#[tokio::test]
async fn an_unknown_authority_another_host_and_an_expired_certificate_are_named() {
    let authority = Authority::new();
    let (trusted, _file) = trusting(&authority);
    let untrusted = TlsOptions::default();
    let cases = [
        (
            authority.server(&["localhost"], false),
            &untrusted,
            "signed by an authority",
        ),
        (
            authority.server(&["other.test"], false),
            &trusted,
            "for another host",
        ),
        (
            authority.server(&["localhost"], true),
            &trusted,
            "has expired",
        ),
    ];
    for (cert, options, reason) in cases {
        let server = TlsServer::start(cert);
        let mut connection = client(&server, "localhost", options);
        let message = tls_error(&get(&mut connection, "/").await);
        assert!(
            message.contains("the TLS handshake with localhost failed") && message.contains(reason),
            "{message}"
        );
    }
}

#[tokio::test]
async fn insecure_accepts_a_certificate_nobody_trusts() {
    let authority = Authority::new();
    let server = TlsServer::start(authority.server(&["other.test"], true));
    let options = TlsOptions {
        insecure: true,
        ca_cert: None,
    };
    let mut connection = client(&server, "localhost", &options);
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "ok".into()))
    );
}

#[test]
fn a_ca_cert_file_that_is_missing_or_holds_no_certificate_is_refused() {
    let missing = TlsOptions {
        insecure: false,
        ca_cert: Some("/nonexistent/ca.pem".into()),
    };
    let error = TlsSettings::new(&missing, &[]).err().unwrap();
    assert!(error.contains("/nonexistent/ca.pem"), "{error}");
    let empty = tempfile::NamedTempFile::new().unwrap();
    let options = TlsOptions {
        insecure: false,
        ca_cert: Some(empty.path().to_path_buf()),
    };
    let error = TlsSettings::new(&options, &[]).err().unwrap();
    assert!(error.contains("holds no certificate"), "{error}");
}
