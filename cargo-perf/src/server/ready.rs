//! Whether a started server is ready: it accepts a connection, or answers
//! `GET <ready>` with a 2xx status, over HTTP or, for a server that speaks
//! HTTPS (`tls = true`), over TLS with its certificate checked as the load
//! tests will check it.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use super::tls::TlsProbe;
use crate::cargo::Ready;

/// What one look at the server found.
pub(super) enum Probe {
    /// It is ready.
    Ready,
    /// Not yet: no connection, no answer, or not a 2xx one.
    NotYet,
    /// It never will be for the load tests: its TLS handshake was refused
    /// (a certificate not trusted, no TLS at all), for this reason.
    Refused(String),
}

/// Looks once whether the server on `addr` is ready as `ready` says,
/// through `tls` when it speaks HTTPS.
pub(super) fn probe(ready: &Ready, addr: SocketAddr, tls: Option<&TlsProbe>) -> Probe {
    let Ok(tcp) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return Probe::NotYet;
    };
    let Ready::Http(path) = ready else {
        return Probe::Ready;
    };
    let _ = tcp.set_read_timeout(Some(Duration::from_millis(500)));
    let _ = tcp.set_write_timeout(Some(Duration::from_millis(500)));
    match tls {
        None => answered_2xx(tcp, addr, path),
        Some(tls) => match tls.connect(tcp) {
            Ok(stream) => answered_2xx(stream, addr, path),
            Err(Some(refused)) => Probe::Refused(refused),
            Err(None) => Probe::NotYet,
        },
    }
}

/// `GET path` on `stream`, answered 2xx.
fn answered_2xx(
    mut stream: impl std::io::Read + std::io::Write,
    addr: SocketAddr,
    path: &str,
) -> Probe {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.flush())
        .is_err()
    {
        return Probe::NotYet;
    }
    let mut head = [0u8; 12];
    if stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.") && head[9] == b'2' {
        Probe::Ready
    } else {
        Probe::NotYet
    }
}

#[cfg(test)]
mod tests;
