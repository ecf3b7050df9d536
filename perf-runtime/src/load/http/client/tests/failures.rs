//! Servers that fail: silence, resets, connections closed while idle or
//! mid-response, and what the client sends again after each.

use std::time::Duration;

use hyper::Method;

use super::drive::{OK, get, is_io, outcome, send};
use super::raw_server::{RawServer, Reply};
use crate::load::http::client::connection::Connection;
use crate::load::http::client::error::SendError;

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_sent_once() {
    let server = RawServer::start(|_| Reply::Silence);
    let mut connection = Connection::new(server.addr);
    let response = send(
        &mut connection,
        Method::GET,
        "/",
        Duration::from_millis(200),
    )
    .await;
    assert!(
        matches!(response, Err(SendError::Timeout)),
        "{:?}",
        outcome(&response)
    );
    assert_eq!(server.requests(), ["GET /"]);
}

#[tokio::test]
async fn an_idle_connection_the_server_closed_is_replaced() {
    // The server's keep-alive timeout closes each connection after one
    // response, without saying so.
    let server = RawServer::start(|_| Reply::Close(OK));
    let mut connection = Connection::new(server.addr);
    for method in [Method::GET, Method::POST, Method::GET] {
        let response = send(&mut connection, method, "/", Duration::from_secs(5)).await;
        assert_eq!(outcome(&response), Ok((200, "ok".to_owned())));
        // The server's FIN arrives while the connection is idle.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.requests(), ["GET /", "POST /", "GET /"]);
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn a_reset_mid_body_is_an_io_error() {
    let server =
        RawServer::start(|_| Reply::Reset(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf"));
    let mut connection = Connection::new(server.addr);
    let response = get(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
    assert_eq!(server.requests(), ["GET /"]);
}

#[tokio::test]
async fn a_body_read_to_the_close_ends_only_at_a_clean_close() {
    let server = RawServer::start(|n| match n {
        0 => Reply::Close(b"HTTP/1.1 200 OK\r\n\r\nthe whole body"),
        _ => Reply::Reset(b"HTTP/1.1 200 OK\r\n\r\nthe first half"),
    });
    let mut connection = Connection::new(server.addr);
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "the whole body".to_owned()))
    );
    // A reset is not the body's end: what came before it is cut.
    let response = get(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
    assert_eq!(server.connections(), 2);
}
