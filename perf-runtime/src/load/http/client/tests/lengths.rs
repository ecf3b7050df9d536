//! Hostile lengths: a Content-Length or chunk size no buffer can hold, or
//! that is not a number, is an io error of the request, never a panic of
//! the virtual user.

use super::drive::{get, is_io, outcome};
use super::raw_server::{RawServer, Reply};
use crate::load::http::client::connection::Connection;
use crate::load::http::client::transport::Plain;

/// Asserts that the response the server sends is an io error.
async fn rejected(reply: fn(usize) -> Reply) {
    let server = RawServer::start(reply);
    let mut connection = Connection::new(server.addr, Plain);
    let response = get(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
    assert_eq!(server.requests(), ["GET /"]);
}

#[tokio::test]
async fn a_content_length_past_any_buffer_is_an_io_error() {
    // Today's panic: 'slice index starts at 57 but ends at 56'.
    rejected(|_| {
        Reply::Close(b"HTTP/1.1 200 OK\r\ncontent-length: 18446744073709551615\r\n\r\nab")
    })
    .await;
    rejected(|_| Reply::Close(b"HTTP/1.1 200 OK\r\ncontent-length: 9223372036854775808\r\n\r\nab"))
        .await;
    rejected(|_| {
        Reply::Close(b"HTTP/1.1 200 OK\r\ncontent-length: 18446744073709551616\r\n\r\nab")
    })
    .await;
}

#[tokio::test]
async fn a_chunk_size_past_any_buffer_is_an_io_error() {
    rejected(|_| {
        Reply::Close(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nffffffffffffffff\r\nab")
    })
    .await;
    rejected(|_| {
        Reply::Close(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n8000000000000000\r\nab")
    })
    .await;
    rejected(|_| {
        Reply::Close(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n10000000000000000\r\nab",
        )
    })
    .await;
}

#[tokio::test]
async fn a_content_length_that_is_not_digits_is_an_io_error() {
    rejected(|_| Reply::Send(b"HTTP/1.1 200 OK\r\ncontent-length: +2\r\n\r\nok")).await;
    rejected(|_| Reply::Send(b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\nok")).await;
    rejected(|_| Reply::Send(b"HTTP/1.1 200 OK\r\ncontent-length: \r\n\r\nok")).await;
}

#[tokio::test]
async fn conflicting_content_lengths_are_an_io_error() {
    rejected(|_| {
        Reply::Send(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok!")
    })
    .await;
    rejected(|_| Reply::Send(b"HTTP/1.1 200 OK\r\ncontent-length: 2, 3\r\n\r\nok!")).await;
    // The same length twice is one length (RFC 9110 8.6).
    let server = RawServer::start(|_| {
        Reply::Send(b"HTTP/1.1 200 OK\r\ncontent-length: 2, 2\r\ncontent-length: 2\r\n\r\nok")
    });
    let mut connection = Connection::new(server.addr, Plain);
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "ok".to_owned()))
    );
}
