//! The response-head and chunked-body parsers fuzzed by property tests
//! that run under `cargo test` (a few hundred cases each, about a
//! second): arbitrary bytes, valid messages split at random points and
//! mutated, and servers that never stop sending. Whatever the bytes, a
//! parser does not panic, stops at its limits, and gives the same answer
//! however the bytes arrive; a message it accepts is one a strict reading
//! of RFC 9112 accepts too, with the same body.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::Config;

use super::pieces::{CAP, Outcome, Pieces, Reader, run};
use crate::load::http::client::head::{Framing, MAX_HEAD, parse_head};

/// A few hundred cases (`PROPTEST_CASES` asks for more, for a longer
/// hunt), no regression files in the tree: a finding becomes a named test
/// at the end of this file.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// What `parse_head` said, comparably.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HeadOutcome {
    Partial,
    Head { status: u16, len: usize },
    Error,
}

fn head_outcome(buf: &[u8]) -> HeadOutcome {
    match parse_head(buf) {
        Ok(None) => HeadOutcome::Partial,
        Ok(Some(head)) => HeadOutcome::Head {
            status: head.status,
            len: head.len,
        },
        Err(_) => HeadOutcome::Error,
    }
}

/// The head parser is called on every longer prefix of what arrived:
/// it says "partial" until it has an answer, and then keeps that answer
/// (a head of the same length, or an error), so where the bytes were
/// split does not matter.
fn prefixes_agree(bytes: &[u8]) -> Result<(), TestCaseError> {
    let whole = head_outcome(bytes);
    let mut answer: Option<HeadOutcome> = None;
    for end in 0..=bytes.len() {
        let now = head_outcome(&bytes[..end]);
        match &answer {
            Some(first) => prop_assert_eq!(&now, first, "prefix of {} bytes", end),
            None if now != HeadOutcome::Partial => answer = Some(now),
            None => {}
        }
    }
    prop_assert_eq!(answer.unwrap_or(HeadOutcome::Partial), whole);
    Ok(())
}

/// A valid response head: a status line and header lines, as a server
/// writes them.
fn valid_head() -> impl Strategy<Value = (Vec<u8>, u16, usize)> {
    let header = prop_oneof![
        (0_u64..100_000).prop_map(|n| format!("Content-Length: {n}")),
        Just("transfer-encoding: chunked".to_owned()),
        Just("Transfer-Encoding: gzip, chunked".to_owned()),
        Just("connection: close".to_owned()),
        Just("Connection: keep-alive".to_owned()),
        ("[a-zA-Z][a-zA-Z0-9-]{0,12}", "[ -~]{0,30}")
            .prop_map(|(name, value)| format!("x-{name}: {}", value.trim())),
    ];
    (
        prop_oneof![Just("1.1"), Just("1.0")],
        200_u16..600,
        "[a-zA-Z ]{0,20}",
        vec(header, 0..8),
    )
        .prop_map(|(version, status, reason, headers)| {
            let mut head = format!("HTTP/{version} {status} {reason}\r\n");
            for line in &headers {
                head.push_str(line);
                head.push_str("\r\n");
            }
            head.push_str("\r\n");
            (head.into_bytes(), status, headers.len())
        })
}

/// A valid chunked body: its chunks (each with a size in upper or lower
/// case hex, maybe zero-padded, maybe with extensions), the last chunk,
/// trailers and the blank line; and the body it decodes to.
fn valid_chunked() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    let chunk = (
        vec(any::<u8>(), 1..80),
        any::<bool>(),
        0_usize..3,
        proptest::option::of("[a-z]{1,8}(=[a-z0-9]{1,8})?"),
    );
    let trailer = "[a-zA-Z][a-zA-Z0-9-]{0,10}: [ -~]{0,20}";
    (vec(chunk, 0..6), vec(trailer, 0..3), 0_usize..2).prop_map(|(chunks, trailers, zeros)| {
        let (mut wire, mut body) = (Vec::new(), Vec::new());
        for (data, upper, pad, extension) in chunks {
            let size = if upper {
                format!("{:X}", data.len())
            } else {
                format!("{:x}", data.len())
            };
            wire.extend("0".repeat(pad).as_bytes());
            wire.extend(size.as_bytes());
            if let Some(extension) = extension {
                wire.extend(format!(";{extension}").as_bytes());
            }
            wire.extend(b"\r\n");
            wire.extend(&data);
            wire.extend(b"\r\n");
            body.extend(data);
        }
        wire.extend("0".repeat(zeros + 1).as_bytes());
        wire.extend(b"\r\n");
        for line in trailers {
            wire.extend(line.trim_end().as_bytes());
            wire.extend(b"\r\n");
        }
        wire.extend(b"\r\n");
        (wire, body)
    })
}

/// A strict reading of a chunked body (RFC 9112 7.1): every chunk-size
/// line has one to sixteen hex digits, then maybe whitespace and
/// extensions with no line break in them, then CRLF; each chunk's data is
/// followed by CRLF; the trailer section is read as the client reads it.
/// The body and the bytes it took, or `None` where the bytes are not a
/// whole valid chunked body.
fn strict_chunked(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let (mut at, mut body) = (0, Vec::new());
    loop {
        let line_end = at + bytes[at..].windows(2).position(|w| w == b"\r\n")?;
        let line = &bytes[at..line_end];
        let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        if digits == 0 || digits > 16 {
            return None;
        }
        let rest = &line[digits..];
        let rest = &rest[rest
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count()..];
        if !(rest.is_empty() || rest[0] == b';') || rest.iter().any(|b| matches!(b, b'\r' | b'\n'))
        {
            return None;
        }
        let size = usize::from_str_radix(std::str::from_utf8(&line[..digits]).ok()?, 16).ok()?;
        at = line_end + 2;
        if size == 0 {
            let mut trailers = [httparse::EMPTY_HEADER; 64];
            return match httparse::parse_headers(&bytes[at..], &mut trailers) {
                Ok(httparse::Status::Complete((len, _))) => Some((body, at + len)),
                _ => None,
            };
        }
        let data_end = at.checked_add(size)?;
        if bytes.get(data_end..data_end + 2)? != b"\r\n" {
            return None;
        }
        body.extend_from_slice(&bytes[at..data_end]);
        at = data_end + 2;
    }
}

/// Reads `bytes` as a chunked body split at `cuts`, and checks what any
/// outcome must satisfy: a body the client accepts is the one the strict
/// reading gives, with the bytes after it left in the buffer.
fn chunked(bytes: &[u8], cuts: &[usize]) -> Result<Outcome, TestCaseError> {
    let source = &mut Pieces::split(bytes, cuts);
    let outcome = run(Reader::Chunked, source);
    prop_assert!(source.given <= bytes.len());
    if let Ok((body, left)) = &outcome {
        let strict = strict_chunked(bytes);
        prop_assert!(
            strict.is_some(),
            "accepted what a strict reading rejects: {:?}",
            String::from_utf8_lossy(bytes)
        );
        if let Some((strict_body, took)) = strict {
            prop_assert_eq!(body.as_ref(), &strict_body[..]);
            prop_assert_eq!(&bytes[took..source.given], &left[..]);
        }
    }
    Ok(outcome)
}

/// The same bytes split two ways give the same body or both an error.
fn same_either_way(bytes: &[u8], cuts: &[usize], other: &[usize]) -> Result<(), TestCaseError> {
    let one = chunked(bytes, cuts)?;
    let two = chunked(bytes, other)?;
    prop_assert_eq!(
        one.as_ref().map(|(body, _)| body).ok(),
        two.as_ref().map(|(body, _)| body).ok()
    );
    prop_assert_eq!(one.is_err(), two.is_err());
    Ok(())
}

/// A byte changed, inserted or removed at `at` (modulo the length).
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, u8),
    Remove(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Set(at, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        any::<usize>().prop_map(Mutation::Remove),
    ]
}

fn mutate(bytes: &mut Vec<u8>, mutations: &[Mutation]) {
    for mutation in mutations {
        let len = bytes.len().max(1);
        match *mutation {
            Mutation::Set(at, b) if !bytes.is_empty() => bytes[at % len] = b,
            Mutation::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Mutation::Remove(at) if !bytes.is_empty() => {
                bytes.remove(at % len);
            }
            _ => {}
        }
    }
}

/// Bytes that look like HTTP more often than random ones do.
fn http_ish() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"HTTP/1.1 ".to_vec()),
        Just(b"200 OK".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"content-length: ".to_vec()),
        Just(b"transfer-encoding: chunked".to_vec()),
        Just(b": ".to_vec()),
        Just(b";".to_vec()),
        Just(b"0".to_vec()),
        Just(b"5".to_vec()),
        vec(any::<u8>(), 0..4),
    ];
    vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn heads_of_arbitrary_bytes_agree_on_every_prefix(bytes in vec(any::<u8>(), 0..200)) {
        prefixes_agree(&bytes)?;
    }

    #[test]
    fn heads_of_http_like_bytes_agree_on_every_prefix(bytes in http_ish()) {
        prefixes_agree(&bytes)?;
    }

    #[test]
    fn valid_heads_parse_whole_and_only_whole(
        (head, status, lines) in valid_head(),
        tail in vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = head.clone();
        bytes.extend(&tail);
        let parsed = parse_head(&bytes);
        let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
        let lengths: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("content-length: "))
            .collect();
        let conflicting = lengths.windows(2).any(|w| w[0] != w[1]);
        // Every transfer coding generated ends with `chunked`.
        let is_chunked = text.lines().any(|l| l.starts_with("transfer-encoding: "));
        match parsed {
            Ok(Some(parsed)) => {
                prop_assert_eq!((parsed.status, parsed.len), (status, head.len()));
                prop_assert_eq!(parsed.headers.len(), lines);
                prop_assert_eq!(matches!(parsed.framing, Framing::Chunked), is_chunked);
                if !is_chunked {
                    let length = lengths.first().and_then(|l| l.parse::<u64>().ok());
                    match parsed.framing {
                        Framing::Length(n) => prop_assert_eq!(Some(n), length),
                        _ => prop_assert_eq!(None, length),
                    }
                }
            }
            other => prop_assert!(
                conflicting && other.is_err(),
                "a valid head not parsed: {:?}",
                String::from_utf8_lossy(&head)
            ),
        }
        prefixes_agree(&head)?;
    }

    #[test]
    fn mutated_heads_agree_on_every_prefix(
        (head, _, _) in valid_head(),
        mutations in vec(mutation(), 1..4),
    ) {
        let mut bytes = head;
        mutate(&mut bytes, &mutations);
        prefixes_agree(&bytes)?;
    }

    #[test]
    fn valid_chunked_bodies_decode_however_they_are_split(
        (wire, body) in valid_chunked(),
        tail in vec(any::<u8>(), 0..32),
        cuts in vec(any::<usize>(), 0..12),
    ) {
        let mut bytes = wire.clone();
        bytes.extend(&tail);
        let cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        let outcome = chunked(&bytes, &cuts)?;
        let (decoded, left) = outcome.map_err(TestCaseError::fail)?;
        prop_assert_eq!(decoded.as_ref(), &body[..]);
        // What is left is the start of the next response, never more.
        prop_assert!(tail.starts_with(&left));
        // One byte at a time too.
        let every: Vec<usize> = (1..bytes.len()).collect();
        prop_assert_eq!(chunked(&bytes, &every)?.map(|(b, _)| b).ok(), Some(decoded));
    }

    #[test]
    fn arbitrary_chunked_bytes_give_one_answer(
        bytes in http_ish(),
        cuts in vec(any::<usize>(), 0..8),
        other in vec(any::<usize>(), 0..8),
    ) {
        same_either_way(&bytes, &cuts, &other)?;
    }

    #[test]
    fn mutated_chunked_bodies_give_one_answer(
        (wire, _) in valid_chunked(),
        mutations in vec(mutation(), 1..4),
        cuts in vec(any::<usize>(), 0..8),
        other in vec(any::<usize>(), 0..8),
    ) {
        let mut bytes = wire;
        mutate(&mut bytes, &mutations);
        same_either_way(&bytes, &cuts, &other)?;
    }

    #[test]
    fn a_length_body_is_read_to_its_length(
        bytes in vec(any::<u8>(), 0..300),
        length in prop_oneof![0_u64..400, any::<u64>()],
        cuts in vec(any::<usize>(), 0..8),
    ) {
        let source = &mut Pieces::split(&bytes, &cuts);
        match run(Reader::Length(length), source) {
            Ok((body, left)) => {
                let length = usize::try_from(length).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(body.as_ref(), &bytes[..length]);
                prop_assert_eq!(&left[..], &bytes[length..source.given]);
            }
            Err(_) => prop_assert!(length > bytes.len() as u64),
        }
    }
}

/// Servers that never stop sending: each parser gives up at its limit,
/// not at the source's cap.
#[test]
fn endless_lines_stop_at_their_limits() {
    for (start, endless) in [
        // A chunk-size line of zeros, an extension, trailers, one trailer.
        (&b""[..], &b"0"[..]),
        (b"1;", b"x"),
        (b"5\r\nhello\r\n0\r\n", b"x-t: y\r\n"),
        (b"0\r\nx-t: ", b"y"),
    ] {
        let source = &mut Pieces::endless(start, endless);
        let outcome = run(Reader::Chunked, source);
        let error = outcome.expect_err("an endless line is an error");
        assert!(!error.contains("past every limit"), "{error}");
        // One read may fill what the buffer grew to past the limit.
        assert!(source.given <= 2 * MAX_HEAD + 32 * 1024, "{}", source.given);
        assert!(source.given < CAP);
    }
}

/// Found by the properties: a chunk-size line with no digits was read as
/// the last chunk (httparse takes it as size 0), which ended the body
/// early and left the rest of it to be read as the next response.
#[test]
fn a_chunk_size_line_without_digits_is_an_error() {
    for bytes in [
        &b"\r\n\r\n"[..],
        b";ext\r\n\r\n",
        b"5\r\nhello\r\n\r\n\r\n0\r\n\r\n",
    ] {
        let outcome = run(Reader::Chunked, &mut Pieces::split(bytes, &[]));
        assert!(
            outcome
                .as_ref()
                .is_err_and(|e| e.contains("bad chunk size")),
            "{:?}: {outcome:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// Found writing the strict reading the properties compare with: httparse
/// takes a bare line feed inside a chunk extension as part of it, where
/// RFC 9112 ends the line only at CRLF and allows no line break in it.
#[test]
fn a_line_break_inside_a_chunk_extension_is_an_error() {
    let bytes = b"1;a\nb\r\nx\r\n0\r\n\r\n";
    let outcome = run(Reader::Chunked, &mut Pieces::split(bytes, &[]));
    assert!(
        outcome
            .as_ref()
            .is_err_and(|e| e.contains("bad chunk size")),
        "{outcome:?}"
    );
    // The same body without the line break is read.
    let outcome = run(
        Reader::Chunked,
        &mut Pieces::split(b"1;ab\r\nx\r\n0\r\n\r\n", &[]),
    );
    assert_eq!(
        outcome.map(|(body, _)| body),
        Ok(hyper::body::Bytes::from_static(b"x"))
    );
}
