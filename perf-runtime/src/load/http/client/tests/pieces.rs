//! A byte source for the parsers' property tests: a response's bytes in
//! the pieces a test splits them into, one piece a read (as a socket
//! hands over what has arrived), then either the connection's end or an
//! endless repetition of a pattern (a server that never stops), with a
//! cap on what it hands over so that a parser that does not stop fails
//! the test instead of hanging it.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::body::Bytes;
use tokio::io::{AsyncRead, ReadBuf};

use crate::load::http::client::body::{read_chunked, read_length};
use crate::load::http::client::wire::{Transfer, Wire};

/// What a source hands over at most: far past every limit the parsers
/// keep (64 KiB heads, chunk-size lines and trailers, one read as large
/// as the buffer past them).
pub(super) const CAP: usize = 1 << 20;

/// The bytes, in pieces.
pub(super) struct Pieces {
    pieces: VecDeque<Vec<u8>>,
    /// Repeated after the pieces, forever; the connection ends after the
    /// pieces when empty.
    endless: Vec<u8>,
    /// Where in `endless` the next read starts.
    at: usize,
    /// Bytes handed over so far.
    pub(super) given: usize,
}

impl Pieces {
    /// `bytes` cut at `cuts` (positions into `bytes`, in any order,
    /// repeats and out-of-range ones ignored), then the connection's end.
    pub(super) fn split(bytes: &[u8], cuts: &[usize]) -> Self {
        let mut cuts: Vec<usize> = cuts
            .iter()
            .copied()
            .filter(|&c| c > 0 && c < bytes.len())
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut pieces = VecDeque::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([bytes.len()]) {
            if cut > from {
                pieces.push_back(bytes[from..cut].to_vec());
            }
            from = cut;
        }
        Self {
            pieces,
            endless: Vec::new(),
            at: 0,
            given: 0,
        }
    }

    /// `bytes` whole, then `pattern` forever.
    pub(super) fn endless(bytes: &[u8], pattern: &[u8]) -> Self {
        Self {
            endless: pattern.to_vec(),
            ..Self::split(bytes, &[])
        }
    }
}

impl AsyncRead for Pieces {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.given >= CAP {
            return Poll::Ready(Err(std::io::Error::other(
                "the parser read past every limit it keeps",
            )));
        }
        if let Some(mut piece) = this.pieces.pop_front() {
            let n = piece.len().min(out.remaining());
            out.put_slice(&piece[..n]);
            this.given += n;
            if n < piece.len() {
                this.pieces.push_front(piece.split_off(n));
            }
        } else if !this.endless.is_empty() {
            let before = out.remaining();
            while out.remaining() > 0 {
                let rest = &this.endless[this.at..];
                let n = rest.len().min(out.remaining());
                out.put_slice(&rest[..n]);
                this.at = (this.at + n) % this.endless.len();
            }
            this.given += before;
        }
        // Nothing put: the connection's end.
        Poll::Ready(Ok(()))
    }
}

/// How a parser ended: the body and what it left in the buffer, or its
/// error.
pub(super) type Outcome = Result<(Bytes, Vec<u8>), String>;

/// Which body reader runs.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reader {
    /// A chunked body from the buffer's start.
    Chunked,
    /// A body of this Content-Length from the buffer's start.
    Length(u64),
}

/// Runs `reader` over `source` to its end: the source never waits, so
/// neither does the future.
pub(super) fn run(reader: Reader, source: &mut Pieces) -> Outcome {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    let mut transfer = Transfer::default();
    let mut buf = Vec::new();
    let result = runtime.block_on(async {
        let mut wire = Wire {
            stream: &mut *source,
            transfer: &mut transfer,
        };
        match reader {
            Reader::Chunked => read_chunked(&mut wire, &mut buf).await,
            Reader::Length(length) => read_length(&mut wire, &mut buf, 0, length).await,
        }
    });
    assert_eq!(
        transfer.received as usize, source.given,
        "every byte handed over is counted"
    );
    match result {
        Ok(body) => Ok((body, buf)),
        Err(error) => Err(format!("{error:?}")),
    }
}
