//! The client against a raw-socket server that sends what real servers
//! send: each test scripts the bytes, drives the real `Connection`, and
//! checks the response or the error, and what the server received.

use std::time::Duration;

use hyper::Method;
use hyper::body::Bytes;
use hyper::header::HeaderValue;

use super::connection::{Connection, RawResponse};
use super::error::SendError;
use super::raw_server::{RawServer, Reply};

const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";

/// Sends `method path` (with a body for POST) on `connection`.
async fn send(
    connection: &mut Connection,
    method: Method,
    path: &str,
    timeout: Duration,
) -> Result<RawResponse, SendError> {
    let body = if method == Method::POST {
        Bytes::from_static(b"hello")
    } else {
        Bytes::new()
    };
    connection
        .send(
            &method,
            path,
            &HeaderValue::from_static("test"),
            &[],
            &body,
            timeout,
        )
        .await
}

async fn get(connection: &mut Connection, path: &str) -> Result<RawResponse, SendError> {
    send(connection, Method::GET, path, Duration::from_secs(5)).await
}

async fn post(connection: &mut Connection, path: &str) -> Result<RawResponse, SendError> {
    send(connection, Method::POST, path, Duration::from_secs(5)).await
}

/// The status and body as text, or the error.
fn outcome(result: &Result<RawResponse, SendError>) -> Result<(u16, String), String> {
    match result {
        Ok(response) => Ok((
            response.status,
            String::from_utf8_lossy(&response.body).into_owned(),
        )),
        Err(error) => Err(format!("{error:?}")),
    }
}

fn is_io(result: &Result<RawResponse, SendError>) -> bool {
    matches!(result, Err(SendError::Io(_)))
}

#[tokio::test]
async fn a_response_split_byte_by_byte_is_read_whole() {
    let server = RawServer::start(|_| {
        Reply::Trickle(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-a: b\r\n\r\nhello")
    });
    let mut connection = Connection::new(server.addr);
    for _ in 0..2 {
        let response = get(&mut connection, "/").await;
        assert_eq!(outcome(&response), Ok((200, "hello".to_owned())));
        assert_eq!(response.unwrap().headers["x-a"], "b");
    }
    assert_eq!(server.connections(), 1);
}

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
async fn a_kept_alive_connection_carries_the_next_request() {
    let server = RawServer::start(|_| Reply::Send(OK));
    let mut connection = Connection::new(server.addr);
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
async fn a_reset_mid_body_is_an_io_error() {
    let server =
        RawServer::start(|_| Reply::Reset(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf"));
    let mut connection = Connection::new(server.addr);
    let response = get(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
    assert_eq!(server.requests(), ["GET /"]);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
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
    let mut connection = Connection::new(server.addr);
    let response = get(&mut connection, "/").await;
    assert!(is_io(&response), "{:?}", outcome(&response));
}
