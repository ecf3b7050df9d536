//! HTTP/2 over TLS, chosen by ALPN: a server that chooses `h2` is spoken
//! HTTP/2, one that chooses nothing (HTTP/1.1 only) HTTP/1.1 on the same
//! connection, and `--http2` refuses the latter; the handshake is counted
//! once per connection either way.

use std::io::Write as _;

use hyper::body::Bytes;
use perf_record::load::HttpVersion;

use super::certs::Authority;
use super::h2_server::H2Server;
use super::tls_server::TlsServer;
use crate::load::http::client::AnyConnection;
use crate::load::http::options::{ConnectOptions, Http2Options};
use crate::load::http::target::{Target, resolve_target};
use crate::load::http::trust::TlsOptions;

/// `https://127.0.0.1:PORT`, trusting `authority`, with `--http2` or not.
fn https_target(port: u16, authority: &Authority, only: bool) -> (Target, tempfile::NamedTempFile) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(authority.pem.as_bytes()).unwrap();
    let options = ConnectOptions {
        tls: TlsOptions {
            insecure: false,
            ca_cert: Some(file.path().to_path_buf()),
        },
        http2: Http2Options { only, streams: 1 },
    };
    let url = format!("https://127.0.0.1:{port}");
    (resolve_target(&url, false, &options).unwrap(), file)
}

async fn get(connection: &mut AnyConnection, target: &Target) -> Result<(u16, String), String> {
    connection
        .send(
            &hyper::Method::GET,
            "/",
            &target.authority,
            &[],
            &Bytes::new(),
            std::time::Duration::from_secs(5),
        )
        .await
        .map(|r| (r.status, String::from_utf8_lossy(&r.body).into_owned()))
        .map_err(|e| format!("{e:?}"))
}

#[tokio::test]
async fn a_server_that_chooses_h2_by_alpn_is_spoken_http2() {
    let authority = Authority::new();
    let server = H2Server::tls(authority.server(&["127.0.0.1"], false));
    let (target, _file) = https_target(server.addr.port(), &authority, false);
    let mut connection = AnyConnection::new(&target);
    let answer = get(&mut connection, &target).await;
    assert_eq!(
        answer,
        Ok((200, format!("GET / 127.0.0.1:{} 0", server.addr.port())))
    );
    assert_eq!(connection.protocol(), HttpVersion::H2);
    let setup = connection.setup();
    assert_eq!((setup.connects, setup.handshakes), (1, 1));
    assert!(get(&mut connection, &target).await.is_ok());
    assert_eq!(connection.setup().handshakes, 0);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_server_that_speaks_only_http1_is_spoken_http1_on_the_same_connection() {
    let authority = Authority::new();
    let server = TlsServer::start(authority.server(&["127.0.0.1"], false));
    let (target, _file) = https_target(server.addr.port(), &authority, false);
    let mut connection = AnyConnection::new(&target);
    assert_eq!(get(&mut connection, &target).await, Ok((200, "ok".into())));
    assert_eq!(connection.protocol(), HttpVersion::Http1);
    let setup = connection.setup();
    assert_eq!((setup.connects, setup.handshakes), (1, 1));
    assert!(connection.transfer().received > 0);
    assert_eq!(get(&mut connection, &target).await, Ok((200, "ok".into())));
    assert_eq!(connection.setup().handshakes, 0);
    assert_eq!(server.handshakes(), 1);
    // --http2 asks for HTTP/2 only: the same server is an error.
    let (only, _file) = https_target(server.addr.port(), &authority, true);
    let mut connection = AnyConnection::new(&only);
    let refused = get(&mut connection, &only).await.unwrap_err();
    assert!(
        refused.starts_with("Tls(") && refused.contains("--http2"),
        "{refused}"
    );
}
