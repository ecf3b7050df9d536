//! Servers that fail: silence, resets, connections closed while idle or
//! mid-response, and what the client sends again after each.

use std::time::Duration;

use hyper::Method;

use super::drive::{OK, get, is_io, outcome, post, send};
use super::raw_server::{RawServer, Reply};
use crate::load::http::client::connection::Connection;
use crate::load::http::client::error::SendError;
use crate::load::http::client::transport::Plain;

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_sent_once() {
    let server = RawServer::start(|_| Reply::Silence);
    let mut connection = Connection::new(server.addr, Plain);
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
    let mut connection = Connection::new(server.addr, Plain);
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
    let mut connection = Connection::new(server.addr, Plain);
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
    let mut connection = Connection::new(server.addr, Plain);
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "the whole body".to_owned()))
    );
    // A reset is not the body's end: what came before it is cut.
    let response = get(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
    assert_eq!(server.connections(), 2);
}

/// A response cut by a reset after its first bytes.
const CUT: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhal";

#[tokio::test]
async fn a_post_reset_mid_response_is_sent_once_and_is_an_error() {
    // It was sent again on a fresh connection and counted as one success:
    // the server saw 83 POSTs, the report 42 and no errors.
    let server = RawServer::start(|n| match n {
        1 => Reply::Reset(CUT),
        _ => Reply::Send(OK),
    });
    let mut connection = Connection::new(server.addr, Plain);
    assert_eq!(
        outcome(&post(&mut connection, "/").await),
        Ok((200, "ok".to_owned()))
    );
    let response = post(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
    assert_eq!(server.requests(), ["POST /", "POST /"]);
}

#[tokio::test]
async fn no_request_is_sent_again_after_part_of_its_response() {
    for reply in [
        || Reply::Reset(CUT),
        || Reply::Close(CUT),
        || Reply::Close(b"HTTP/1.1 100 Continue\r\n\r\n"),
        || Reply::Reset(b"HTTP/1.1 2"),
    ] {
        let server = RawServer::start(if_second(reply));
        let mut connection = Connection::new(server.addr, Plain);
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "ok".to_owned()))
        );
        let response = get(&mut connection, "/").await;
        assert!(is_io(&response), "{:?}", outcome(&response));
        assert_eq!(server.requests(), ["GET /", "GET /"]);
    }
}

#[tokio::test]
async fn a_post_the_server_may_have_processed_is_not_sent_again() {
    // The server read the request, then closed the connection without a
    // byte of response: it may have acted on it.
    let server = RawServer::start(|n| match n {
        1 => Reply::Close(b""),
        _ => Reply::Send(OK),
    });
    let mut connection = Connection::new(server.addr, Plain);
    assert_eq!(
        outcome(&post(&mut connection, "/").await),
        Ok((200, "ok".to_owned()))
    );
    let response = post(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
    assert_eq!(server.requests(), ["POST /", "POST /"]);
}

#[tokio::test]
async fn an_idempotent_request_without_any_answer_is_sent_again() {
    // The same server as above: a GET may be repeated (RFC 9110 9.2.2).
    let server = RawServer::start(|n| match n {
        1 => Reply::Close(b""),
        _ => Reply::Send(OK),
    });
    let mut connection = Connection::new(server.addr, Plain);
    for _ in 0..2 {
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "ok".to_owned()))
        );
    }
    assert_eq!(server.requests(), ["GET /", "GET /", "GET /"]);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn bytes_after_a_whole_response_are_not_the_next_response() {
    // A server that answers twice: the second answer is not the next
    // request's, so the connection is dropped.
    let server = RawServer::start(|n| match n {
        0 => Reply::Send(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 500 No\r\n\r\n"),
        _ => Reply::Send(b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok"),
    });
    let mut connection = Connection::new(server.addr, Plain);
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "ok".to_owned()))
    );
    assert_eq!(
        outcome(&post(&mut connection, "/").await),
        Ok((201, "ok".to_owned()))
    );
    assert_eq!(server.connections(), 2);
}

/// A script that sends `OK`, except `second()` to the second request.
fn if_second(second: fn() -> Reply) -> impl Fn(usize) -> Reply {
    move |n| if n == 1 { second() } else { Reply::Send(OK) }
}
