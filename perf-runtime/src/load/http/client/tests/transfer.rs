//! The bytes a request moved, counted on the socket: the request as the
//! server read it, and the response as the server framed it (interim
//! heads, chunk sizes and trailers, an encoded body as sent), whole or
//! cut short.

use std::time::Duration;

use hyper::Method;

use super::drive::{OK, get, is_io, outcome, post, send};
use super::raw_server::{RawServer, Reply};
use crate::load::http::client::connection::Connection;
use crate::load::http::client::error::SendError;
use crate::load::http::client::transport::Plain;
use crate::load::http::client::wire::Transfer;

fn len(bytes: &[u8]) -> u64 {
    bytes.len() as u64
}

#[tokio::test]
async fn a_request_and_its_response_count_as_they_crossed_the_wire() {
    const HELLO: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-a: b\r\n\r\nhello";
    // A byte a write: the response comes in many reads.
    let server = RawServer::start(|_| Reply::Trickle(HELLO));
    let mut connection = Connection::new(server.addr, Plain);
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "hello".to_owned()))
    );
    let first = connection.transfer();
    assert_eq!(
        first,
        Transfer {
            sent: server.bytes_read(),
            received: len(HELLO),
        }
    );
    // The next request on the connection counts its own bytes, its body
    // ("hello") included.
    assert_eq!(
        outcome(&post(&mut connection, "/").await),
        Ok((200, "hello".to_owned()))
    );
    let second = connection.transfer();
    assert_eq!(second.sent, server.bytes_read() - first.sent);
    assert!(second.sent > first.sent + 5, "{second:?} {first:?}");
    assert_eq!(second.received, len(HELLO));
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn framed_and_encoded_bodies_count_as_sent_not_as_decoded() {
    const CHUNKED: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n\
        HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n\
        5\r\nhello\r\n6\r\n world\r\n0\r\nx-checksum: 1\r\n\r\n";
    const GZIP: &[u8] =
        b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: 4\r\n\r\n\x1f\x8b\x08\x00";
    const UNTIL_CLOSE: &[u8] = b"HTTP/1.1 200 OK\r\n\r\nthe whole body";
    let server = RawServer::start(|n| match n {
        0 => Reply::Send(CHUNKED),
        1 => Reply::Send(GZIP),
        _ => Reply::Close(UNTIL_CLOSE),
    });
    let mut connection = Connection::new(server.addr, Plain);
    for (wire, body) in [
        (CHUNKED, &b"hello world"[..]),
        (GZIP, &b"\x1f\x8b\x08\x00"[..]),
        (UNTIL_CLOSE, &b"the whole body"[..]),
    ] {
        let response = get(&mut connection, "/").await;
        assert_eq!(
            response.as_ref().map(|r| &r.body[..]).ok(),
            Some(body),
            "{:?}",
            outcome(&response)
        );
        assert_eq!(connection.transfer().received, len(wire));
    }
    assert_eq!(server.requests(), ["GET /", "GET /", "GET /"]);
}

#[tokio::test]
async fn a_request_sent_again_counts_both_attempts() {
    // The server closes each connection after its response: the second
    // request is written to the closed one first, then on a fresh one.
    let server = RawServer::start(|_| Reply::Close(OK));
    let mut connection = Connection::new(server.addr, Plain);
    get(&mut connection, "/").await.expect("the first response");
    let request = connection.transfer().sent;
    assert_eq!(request, server.bytes_read());
    tokio::time::sleep(Duration::from_millis(20)).await;
    get(&mut connection, "/")
        .await
        .expect("the response to the retry");
    assert_eq!(server.connections(), 2);
    assert_eq!(
        connection.transfer(),
        Transfer {
            sent: 2 * request,
            received: len(OK),
        }
    );
}

#[tokio::test]
async fn a_response_cut_short_counts_what_arrived() {
    const HALF: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhal";
    // The rest never comes: the request times out with part of a body.
    let server = RawServer::start(|_| Reply::Send(HALF));
    let mut connection = Connection::new(server.addr, Plain);
    let response = send(
        &mut connection,
        Method::GET,
        "/",
        Duration::from_millis(300),
    )
    .await;
    assert!(
        matches!(response, Err(SendError::Timeout)),
        "{:?}",
        outcome(&response)
    );
    assert_eq!(
        connection.transfer(),
        Transfer {
            sent: server.bytes_read(),
            received: len(HALF),
        }
    );
    // A connection that cannot be made moves nothing.
    let mut refused = Connection::new("127.0.0.1:9".parse().expect("an address"), Plain);
    let response = get(&mut refused, "/").await;
    assert!(!is_io(&response), "{:?}", outcome(&response));
    assert_eq!(refused.transfer(), Transfer::default());
}
