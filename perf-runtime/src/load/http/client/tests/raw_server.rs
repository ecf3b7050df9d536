//! A raw-socket HTTP/1.1 server for the client's tests: it answers the
//! n-th request it reads (counted over all connections) with the bytes a
//! script gives, sent the way the script says, and counts the requests,
//! connections and bytes it saw. Real servers send 1xx heads, trailers, resets
//! and bodies cut short; this one sends exactly those bytes.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How a scripted answer is sent.
pub(super) enum Reply {
    /// The bytes in one write; the connection stays open.
    Send(&'static [u8]),
    /// The bytes one write each, a millisecond apart.
    Trickle(&'static [u8]),
    /// The bytes, then the connection closed (FIN), as a server does
    /// when its keep-alive timeout ends.
    Close(&'static [u8]),
    /// The bytes, then the connection reset (RST), as when a server's
    /// process dies.
    Reset(&'static [u8]),
    /// Nothing, ever: the connection stays open and silent.
    Silence,
}

/// The reply to the n-th request.
type Script = dyn Fn(usize) -> Reply + Send + Sync;

/// What the server saw.
#[derive(Default)]
struct Seen {
    /// "METHOD /path" of each request read, in order.
    requests: Vec<String>,
    connections: usize,
    /// Bytes read from the clients, over all connections.
    bytes_read: u64,
}

/// A running server; its threads end with the test process.
pub(super) struct RawServer {
    pub(super) addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
}

impl RawServer {
    /// Serves `script(n)` for the n-th request (from 0).
    pub(super) fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Self {
        let script: Arc<Script> = Arc::new(script);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let seen = Arc::new(Mutex::new(Seen::default()));
        let shared = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                shared.lock().expect("not poisoned").connections += 1;
                let (shared, script) = (Arc::clone(&shared), Arc::clone(&script));
                thread::spawn(move || serve(stream, &*script, &shared));
            }
        });
        Self { addr, seen }
    }

    /// The requests read so far, as "METHOD /path".
    pub(super) fn requests(&self) -> Vec<String> {
        self.seen.lock().expect("not poisoned").requests.clone()
    }

    /// The connections accepted so far.
    pub(super) fn connections(&self) -> usize {
        self.seen.lock().expect("not poisoned").connections
    }

    /// The bytes of requests read so far: a request's are counted before
    /// its reply is sent.
    pub(super) fn bytes_read(&self) -> u64 {
        self.seen.lock().expect("not poisoned").bytes_read
    }
}

/// Reads requests on one connection and answers each as scripted.
fn serve(mut stream: TcpStream, script: &Script, seen: &Mutex<Seen>) {
    let mut buf = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buf, seen) {
        let n = {
            let mut seen = seen.lock().expect("not poisoned");
            seen.requests.push(request);
            seen.requests.len() - 1
        };
        match script(n) {
            Reply::Send(bytes) => {
                if stream.write_all(bytes).is_err() {
                    return;
                }
            }
            Reply::Trickle(bytes) => {
                for byte in bytes {
                    if stream.write_all(&[*byte]).is_err() {
                        return;
                    }
                    thread::sleep(Duration::from_millis(1));
                }
            }
            Reply::Close(bytes) => {
                let _ = stream.write_all(bytes);
                return;
            }
            Reply::Reset(bytes) => {
                let _ = stream.write_all(bytes);
                // Let the client read what was sent before the reset.
                thread::sleep(Duration::from_millis(50));
                reset(stream);
                return;
            }
            Reply::Silence => {
                // Hold the connection until the client gives up on it.
                let _ = stream.read(&mut [0; 1]);
                return;
            }
        }
    }
}

/// Reads one request (its head and a Content-Length body) from the
/// connection; `None` at its end.
fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>, seen: &Mutex<Seen>) -> Option<String> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut request = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(len)) = request.parse(buf) {
            let body = request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| std::str::from_utf8(h.value).ok()?.parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= len + body {
                let line = format!(
                    "{} {}",
                    request.method.unwrap_or("?"),
                    request.path.unwrap_or("?")
                );
                buf.drain(..len + body);
                return Some(line);
            }
        }
        let mut chunk = [0; 4096];
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => {
                seen.lock().expect("not poisoned").bytes_read += n as u64;
                buf.extend_from_slice(&chunk[..n]);
            }
        }
    }
}

/// Closes the connection with a reset: std cannot set `SO_LINGER` on
/// stable Rust, tokio can, inside a runtime.
fn reset(stream: TcpStream) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("a runtime to set SO_LINGER in");
    let _entered = runtime.enter();
    stream.set_nonblocking(true).expect("a non-blocking socket");
    let stream = tokio::net::TcpStream::from_std(stream).expect("a tokio socket");
    // A zero linger does not block on drop, the reason for the
    // deprecation.
    #[expect(
        deprecated,
        reason = "set_zero_linger needs a newer tokio than the workspace's 1.40"
    )]
    stream
        .set_linger(Some(Duration::ZERO))
        .expect("SO_LINGER set");
    drop(stream);
}
