//! A TLS HTTP/1.1 server for the client's tests (rustls's blocking server
//! on a thread per connection): every request is answered `200 ok` on a
//! kept-alive connection; it counts the handshakes it completed.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use rustls::{ServerConfig, ServerConnection, StreamOwned};

use super::certs::ServerCert;
use super::drive::OK;

/// A server on a free loopback port, serving `cert`.
pub(crate) struct TlsServer {
    pub(crate) addr: SocketAddr,
    handshakes: Arc<AtomicUsize>,
}

impl TlsServer {
    pub(crate) fn start(cert: ServerCert) -> Self {
        #[expect(
            deprecated,
            reason = "ring offers no post-quantum key exchange; aws-lc-rs, which does, needs cmake \
                      and builds several times longer (see the `tls` feature)"
        )]
        let provider = rustls::crypto::ring::default_provider();
        let provider = Arc::new(provider);
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(cert.chain, cert.key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let handshakes = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&handshakes);
        thread::spawn(move || {
            for tcp in listener.incoming().flatten() {
                let config = Arc::clone(&config);
                let counted = Arc::clone(&counted);
                thread::spawn(move || {
                    let Ok(session) = ServerConnection::new(config) else {
                        return;
                    };
                    let mut stream = StreamOwned::new(session, tcp);
                    let mut buf = Vec::new();
                    let mut chunk = [0; 4096];
                    let mut shook = false;
                    loop {
                        let Ok(read) = stream.read(&mut chunk) else {
                            return;
                        };
                        if read == 0 {
                            return;
                        }
                        if !shook {
                            shook = true;
                            counted.fetch_add(1, Ordering::SeqCst);
                        }
                        buf.extend_from_slice(&chunk[..read]);
                        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            buf.drain(..end + 4);
                            if stream.write_all(OK).and_then(|()| stream.flush()).is_err() {
                                return;
                            }
                        }
                    }
                });
            }
        });
        Self { addr, handshakes }
    }

    /// Handshakes completed (a connection that sent a request).
    pub(crate) fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}
