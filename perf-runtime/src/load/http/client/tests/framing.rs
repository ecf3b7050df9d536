//! Responses as real servers frame them: interim heads, transfer codings,
//! connection options, trailers, and all of it split byte by byte.

use super::drive::{OK, get, is_io, outcome, post};
use super::raw_server::{RawServer, Reply};
use crate::load::http::client::connection::Connection;
use crate::load::http::client::transport::Plain;

#[tokio::test]
async fn a_response_split_byte_by_byte_is_read_whole() {
    let server = RawServer::start(|_| {
        Reply::Trickle(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-a: b\r\n\r\nhello")
    });
    let mut connection = Connection::new(server.addr, Plain);
    for _ in 0..2 {
        let response = get(&mut connection, "/").await;
        assert_eq!(outcome(&response), Ok((200, "hello".to_owned())));
        assert_eq!(response.unwrap().headers["x-a"], "b");
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_kept_alive_connection_carries_the_next_request() {
    let server = RawServer::start(|_| Reply::Send(OK));
    let mut connection = Connection::new(server.addr, Plain);
    for _ in 0..3 {
        assert_eq!(
            outcome(&post(&mut connection, "/").await),
            Ok((200, "ok".to_owned()))
        );
    }
    assert_eq!(server.requests(), ["POST /", "POST /", "POST /"]);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn informational_responses_are_skipped() {
    // A 100 before each answer made the report count the 100s as
    // responses (p50 0.00 ms) and the real answers as the next request's.
    let server = RawServer::start(|n| match n {
        0 => Reply::Send(
            b"HTTP/1.1 100 Continue\r\n\r\n\
              HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n\
              HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfirst",
        ),
        _ => Reply::Send(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 6\r\n\r\nsecond",
        ),
    });
    let mut connection = Connection::new(server.addr, Plain);
    let first = post(&mut connection, "/").await;
    assert_eq!(outcome(&first), Ok((200, "first".to_owned())));
    assert!(
        !first.unwrap().headers.contains_key("link"),
        "the 103's headers are not the response's"
    );
    assert_eq!(
        outcome(&post(&mut connection, "/").await),
        Ok((201, "second".to_owned()))
    );
    assert_eq!(server.requests(), ["POST /", "POST /"]);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn informational_responses_split_byte_by_byte_are_skipped() {
    let server = RawServer::start(|_| {
        Reply::Trickle(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
        )
    });
    let mut connection = Connection::new(server.addr, Plain);
    for _ in 0..2 {
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "ok".to_owned()))
        );
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn switching_protocols_unasked_is_an_io_error() {
    let server = RawServer::start(|_| {
        Reply::Send(b"HTTP/1.1 101 Switching Protocols\r\nupgrade: x\r\n\r\n")
    });
    let mut connection = Connection::new(server.addr, Plain);
    let response = get(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
}

#[tokio::test]
async fn transfer_encoding_wins_over_content_length() {
    // RFC 9112 6.3: in whichever order they come. A response with both
    // may be a smuggling attempt, so its connection is not reused.
    let server = RawServer::start(|n| match n {
        0 => Reply::Send(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\n\
              5\r\nhello\r\n0\r\n\r\n",
        ),
        _ => Reply::Send(
            b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n\
              5\r\nhello\r\n0\r\n\r\n",
        ),
    });
    let mut connection = Connection::new(server.addr, Plain);
    for _ in 0..2 {
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "hello".to_owned()))
        );
    }
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_transfer_coding_list_ending_in_chunked_is_chunked() {
    let server = RawServer::start(|n| match n {
        0 => Reply::Send(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        ),
        // Over two lines, which is the same list.
        1 => Reply::Send(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n\
              3\r\ndef\r\n0\r\n\r\n",
        ),
        // Not chunked last: the body ends with the connection.
        _ => Reply::Close(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip\r\n\r\n3\r\nxyz"),
    });
    let mut connection = Connection::new(server.addr, Plain);
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "abc".to_owned()))
    );
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "def".to_owned()))
    );
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "3\r\nxyz".to_owned()))
    );
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn connection_options_are_a_token_list() {
    // `close` among other options ends the connection.
    let server = RawServer::start(|n| match n {
        0 => Reply::Send(
            b"HTTP/1.1 200 OK\r\nconnection: keep-alive, Close\r\ncontent-length: 2\r\n\r\nok",
        ),
        _ => Reply::Send(OK),
    });
    let mut connection = Connection::new(server.addr, Plain);
    for _ in 0..2 {
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "ok".to_owned()))
        );
    }
    assert_eq!(server.connections(), 2);
    // HTTP/1.0 keeps the connection when `keep-alive` is among them.
    let server = RawServer::start(|_| {
        Reply::Send(b"HTTP/1.0 200 OK\r\nconnection: x-a,keep-alive\r\ncontent-length: 2\r\n\r\nok")
    });
    let mut connection = Connection::new(server.addr, Plain);
    for _ in 0..2 {
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "ok".to_owned()))
        );
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn trailers_after_the_last_chunk_are_read() {
    let server = RawServer::start(|n| match n {
        0 => Reply::Send(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n\
              5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-checksum: 42\r\nx-more: 1\r\n\r\n",
        ),
        _ => Reply::Send(OK),
    });
    let mut connection = Connection::new(server.addr, Plain);
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "hello world".to_owned()))
    );
    // The trailers were consumed, not read as the next response.
    assert_eq!(
        outcome(&get(&mut connection, "/").await),
        Ok((200, "ok".to_owned()))
    );
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn chunks_and_trailers_split_byte_by_byte_are_read() {
    let server = RawServer::start(|_| {
        Reply::Trickle(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n\
              5\r\nhello\r\n0\r\nx-t: 1\r\n\r\n",
        )
    });
    let mut connection = Connection::new(server.addr, Plain);
    for _ in 0..2 {
        assert_eq!(
            outcome(&get(&mut connection, "/").await),
            Ok((200, "hello".to_owned()))
        );
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_chunk_without_its_crlf_is_an_io_error() {
    let server = RawServer::start(|_| {
        Reply::Send(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n")
    });
    let mut connection = Connection::new(server.addr, Plain);
    let response = get(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
}
