//! An HTTP/2 server for the client's tests (h2's own server, on a thread
//! and runtime of its own), cleartext or TLS offering `h2` by ALPN: it
//! answers `200` with what it received (`METHOD /path authority bytes`),
//! `/big` with 3 MiB, `/slow` after two seconds, and resets `/reset`; it
//! counts the connections it accepted.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hyper::body::Bytes;
use tokio::io::{AsyncRead, AsyncWrite};

#[cfg(feature = "tls")]
use super::certs::ServerCert;

/// The size of `/big`'s body: beyond the client's stream window.
pub(super) const BIG: usize = 3 << 20;

/// A server on a free loopback port.
pub(super) struct H2Server {
    pub(super) addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

impl H2Server {
    /// Cleartext: HTTP/2 by prior knowledge.
    pub(super) fn plain() -> Self {
        Self::start(None)
    }

    /// TLS with `cert`, offering `h2` only by ALPN.
    #[cfg(feature = "tls")]
    pub(super) fn tls(cert: ServerCert) -> Self {
        #[expect(
            deprecated,
            reason = "the provider the client uses (see the `tls` feature)"
        )]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(cert.chain, cert.key)
            .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec()];
        Self::start(Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))))
    }

    #[cfg(feature = "tls")]
    fn start(tls: Option<tokio_rustls::TlsAcceptor>) -> Self {
        Self::listen(move |tcp, connections| {
            let tls = tls.clone();
            async move {
                match tls {
                    Some(tls) => {
                        if let Ok(stream) = tls.accept(tcp).await {
                            serve(stream, connections).await;
                        }
                    }
                    None => serve(tcp, connections).await,
                }
            }
        })
    }

    #[cfg(not(feature = "tls"))]
    fn start(_tls: Option<()>) -> Self {
        Self::listen(serve)
    }

    fn listen<F, Fut>(accept: F) -> Self
    where
        F: Fn(tokio::net::TcpStream, Arc<AtomicUsize>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&connections);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                while let Ok((tcp, _)) = listener.accept().await {
                    tokio::spawn(accept(tcp, Arc::clone(&counted)));
                }
            });
        });
        Self { addr, connections }
    }

    /// HTTP/2 connections accepted.
    pub(super) fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// HTTP/2 on `io`, each request answered on a task of its own.
async fn serve<S>(io: S, connections: Arc<AtomicUsize>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let Ok(mut connection) = h2::server::handshake(io).await else {
        return;
    };
    connections.fetch_add(1, Ordering::SeqCst);
    while let Some(Ok((request, respond))) = connection.accept().await {
        tokio::spawn(answer(request, respond));
    }
}

async fn answer(
    request: hyper::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<Bytes>,
) {
    let (head, mut body) = request.into_parts();
    let mut received = 0;
    while let Some(Ok(chunk)) = body.data().await {
        received += chunk.len();
        let _ = body.flow_control().release_capacity(chunk.len());
    }
    let path = head.uri.path().to_owned();
    let reply = match path.as_str() {
        "/reset" => {
            respond.send_reset(h2::Reason::INTERNAL_ERROR);
            return;
        }
        "/big" => Bytes::from(vec![b'x'; BIG]),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            Bytes::from_static(b"slow")
        }
        _ => Bytes::from(format!(
            "{} {path} {} {received}",
            head.method,
            head.uri.authority().map_or("-", |a| a.as_str())
        )),
    };
    let response = hyper::Response::builder().status(200).body(()).unwrap();
    let Ok(mut stream) = respond.send_response(response, false) else {
        return;
    };
    let _ = stream.send_data(reply, true);
}
