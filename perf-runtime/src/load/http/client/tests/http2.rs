//! HTTP/2 against h2's own server on loopback: by prior knowledge on
//! cleartext and by ALPN over TLS (or HTTP/1.1 when the server chooses
//! it), connections shared by up to `--http2-streams` users, bodies past
//! the flow-control window, and the failures counted in the report's
//! kinds.

use std::io::{Read as _, Write as _};
use std::time::Duration;

use hyper::Method;
use hyper::body::Bytes;
use perf_record::load::HttpVersion;

use super::h2_server::{BIG, H2Server};
use crate::load::http::client::connection::RawResponse;
use crate::load::http::client::{AnyConnection, SendError};
use crate::load::http::options::{ConnectOptions, Http2Options};
use crate::load::http::target::{Target, resolve_target};

/// The target `url`, spoken to with `--http2` (`only`) and
/// `--http2-streams`.
fn h2_target(url: &str, only: bool, streams: u32) -> Target {
    let options = ConnectOptions {
        http2: Http2Options { only, streams },
        ..ConnectOptions::default()
    };
    resolve_target(url, false, &options).unwrap()
}

async fn send(
    connection: &mut AnyConnection,
    target: &Target,
    method: Method,
    path: &str,
    body: &'static [u8],
    timeout: Duration,
) -> Result<RawResponse, SendError> {
    connection
        .send(
            &method,
            path,
            &target.authority,
            &[],
            &Bytes::from_static(body),
            timeout,
        )
        .await
}

async fn get(
    connection: &mut AnyConnection,
    target: &Target,
    path: &str,
) -> Result<RawResponse, SendError> {
    send(
        connection,
        target,
        Method::GET,
        path,
        b"",
        Duration::from_secs(5),
    )
    .await
}

fn text(result: &Result<RawResponse, SendError>) -> String {
    match result {
        Ok(response) => format!(
            "{} {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        ),
        Err(error) => format!("{error:?}"),
    }
}

#[tokio::test]
async fn prior_knowledge_speaks_http2_on_one_kept_connection() {
    let server = H2Server::plain();
    let url = format!("http://{}", server.addr);
    let target = h2_target(&url, true, 1);
    let mut connection = AnyConnection::new(&target);
    let first = get(&mut connection, &target, "/items?page=2").await;
    assert_eq!(text(&first), format!("200 GET /items {} 0", server.addr));
    assert_eq!(connection.protocol(), HttpVersion::H2);
    let (setup, transfer) = (connection.setup(), connection.transfer());
    assert_eq!((setup.connects, setup.handshakes), (1, 0));
    assert!(transfer.sent > 0 && transfer.received > 0, "{transfer:?}");
    let posted = send(
        &mut connection,
        &target,
        Method::POST,
        "/upload",
        b"hello",
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(text(&posted), format!("200 POST /upload {} 5", server.addr));
    assert_eq!(connection.setup().connects, 0);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_body_past_the_flow_control_window_arrives_whole() {
    let server = H2Server::plain();
    let target = h2_target(&format!("http://{}", server.addr), true, 1);
    let mut connection = AnyConnection::new(&target);
    for _ in 0..2 {
        let big = get(&mut connection, &target, "/big").await.unwrap();
        assert_eq!(big.body.len(), BIG);
        assert!(connection.transfer().received > BIG as u64);
    }
}

#[tokio::test]
async fn users_share_a_connection_up_to_the_streams_setting() {
    for (streams, connections) in [(1, 4), (2, 2), (4, 1)] {
        let server = H2Server::plain();
        let target = h2_target(&format!("http://{}", server.addr), true, streams);
        let users = (0..4).map(|_| AnyConnection::new(&target)).collect();
        // At once, each its own stream.
        let (users, sent) = all_get(users, &target).await;
        assert!(sent.iter().all(|r| r.starts_with("200 GET /")), "{sent:?}");
        let opened: u32 = users.iter().map(|u| u.setup().connects).sum();
        assert_eq!(
            (server.connections(), opened),
            (connections, u32::try_from(connections).unwrap()),
            "{streams} streams"
        );
    }
}

/// Every user's GET, sent concurrently (on this thread's runtime).
async fn all_get(users: Vec<AnyConnection>, target: &Target) -> (Vec<AnyConnection>, Vec<String>) {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, mut user) in users.into_iter().enumerate() {
        let target = target.clone();
        tasks.spawn(async move {
            let result = get(&mut user, &target, "/").await;
            (i, user, text(&result))
        });
    }
    let mut done = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        done.push(joined.unwrap());
    }
    done.sort_by_key(|(i, _, _)| *i);
    done.into_iter().map(|(_, user, text)| (user, text)).unzip()
}

#[tokio::test]
async fn a_reset_stream_and_a_timeout_fail_their_request_and_the_connection_goes_on() {
    let server = H2Server::plain();
    let target = h2_target(&format!("http://{}", server.addr), true, 1);
    let mut connection = AnyConnection::new(&target);
    let reset = get(&mut connection, &target, "/reset").await;
    assert!(
        matches!(&reset, Err(SendError::Io(m)) if m.contains("reset") && m.contains("INTERNAL_ERROR")),
        "{}",
        text(&reset)
    );
    let slow = send(
        &mut connection,
        &target,
        Method::GET,
        "/slow",
        b"",
        Duration::from_millis(200),
    )
    .await;
    assert!(matches!(slow, Err(SendError::Timeout)), "{}", text(&slow));
    assert_eq!(
        text(&get(&mut connection, &target, "/").await).get(..3),
        Some("200")
    );
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn prior_knowledge_to_an_http1_server_is_an_io_error_that_says_so() {
    // As an HTTP/1.1 server answers the preface's `PRI * HTTP/2.0`: 400,
    // and the connection closed.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut tcp in listener.incoming().flatten() {
            let _ = tcp.read(&mut [0; 4096]);
            let _ = tcp.write_all(
                b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    let target = h2_target(&format!("http://{addr}"), true, 1);
    let mut connection = AnyConnection::new(&target);
    let result = get(&mut connection, &target, "/").await;
    assert!(
        matches!(&result, Err(SendError::Io(m)) if m.contains("HTTP/2")),
        "{}",
        text(&result)
    );
}
