//! A virtual user: one HTTP connection, reused as a browser or API client
//! would, plus per-user state and think time.

use std::any::Any;
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::body::Bytes;

use crate::load::error::Result;
use crate::load::http::client::AnyConnection;
use crate::load::http::response::Response;
use crate::load::http::target::Target;
#[cfg(feature = "websocket")]
use crate::load::http::websocket::WebSocket;
use crate::load::recorder::Session;

mod request;

pub use request::RequestBuilder;

/// One iteration of a virtual user, as the macro wraps the test function.
pub type LoadFn = for<'u> fn(&'u mut User) -> Pin<Box<dyn Future<Output = Result<()>> + Send + 'u>>;

/// A virtual user. Load-test functions get `&mut User` and run one
/// iteration with it.
pub struct User {
    id: u64,
    target: Arc<Target>,
    connection: AnyConnection,
    session: Arc<Session>,
    think: (Duration, Duration),
    rng: u64,
    timeout: Duration,
    scheduled: Option<Instant>,
    state: Option<Box<dyn Any + Send>>,
    last_name: Option<(hyper::Method, String, Arc<str>)>,
    level: u64,
    label: Option<&'static str>,
    /// The user's WebSocket, kept across iterations.
    #[cfg(feature = "websocket")]
    socket: Option<WebSocket>,
    pub(crate) set_up: bool,
    /// A request is on the wire: its bytes are not recorded yet.
    sending: bool,
}

impl User {
    pub(crate) fn new(
        id: u64,
        target: Arc<Target>,
        session: Arc<Session>,
        think: (Duration, Duration),
        level: u64,
    ) -> Self {
        Self {
            id,
            connection: AnyConnection::new(&target),
            target,
            session,
            think,
            rng: 0x9e37_79b9_7f4a_7c15 ^ id.wrapping_mul(0xbf58_476d_1ce4_e5b9),
            timeout: Duration::from_secs(30),
            scheduled: None,
            state: None,
            last_name: None,
            level,
            label: None,
            #[cfg(feature = "websocket")]
            socket: None,
            set_up: false,
            sending: false,
        }
    }

    /// Takes a profile's request timeout and search query.
    pub(crate) fn configured(mut self, profile: &crate::load::profile::LoadProfile) -> Self {
        if let Some(timeout) = profile.request_timeout {
            self.timeout = timeout;
        }
        self.label = profile.label;
        self
    }

    pub(crate) fn set_label(&mut self, label: Option<&'static str>) {
        self.label = label;
    }

    /// `GET /items` for `GET /items?page=2`, `GET /items/{id}` for
    /// `GET /items/42` (see [`super::endpoint`]): the last one is kept,
    /// since a user usually repeats its requests.
    fn default_name(&mut self, method: &hyper::Method, path: &str) -> Arc<str> {
        let bare = path.split('?').next().unwrap_or(path);
        if let Some((m, p, name)) = &self.last_name
            && m == method
            && p == bare
        {
            return Arc::clone(name);
        }
        let name: Arc<str> = format!("{method} {}", super::endpoint::template(bare)).into();
        self.last_name = Some((method.clone(), bare.to_owned(), Arc::clone(&name)));
        name
    }

    /// The current level of a sweep: the payload size in bytes of a
    /// `volume(...)` test, the page of a `pagination(...)` test, the users of
    /// a `stress(...)` or `scalability(...)` step; 0 in other load tests.
    ///
    /// ```no_run
    /// # use perf_runtime::{perf_test, User};
    /// #[perf_test(volume(sizes = ["1KB", "64KB", "1MB"], step = "2s"))]
    /// async fn upload(user: &mut User) -> perf_runtime::Result<()> {
    ///     let body = vec![b'x'; user.level() as usize];
    ///     user.post("/upload", body).await?.expect_status(200)?;
    ///     Ok(())
    /// }
    /// # fn main() {}
    /// ```
    pub fn level(&self) -> u64 {
        self.level
    }

    /// The current query of a `search(...)` test; empty in other tests.
    ///
    /// ```no_run
    /// # use perf_runtime::{perf_test, User};
    /// #[perf_test(search(queries = ["red chair", "oak table", "*oak"]))]
    /// async fn search(user: &mut User) -> perf_runtime::Result<()> {
    ///     let path = format!("/search?q={}", user.query().replace(' ', "%20"));
    ///     user.get(&path).await?.expect_status(200)?;
    ///     Ok(())
    /// }
    /// # fn main() {}
    /// ```
    pub fn query(&self) -> &'static str {
        self.label.unwrap_or("")
    }

    /// A cache key for this iteration. In a `caching(...)` test's cold
    /// phase every call gives a key never used before (in this run); in its
    /// warm phase, one of the keys the cold phase already asked for. In
    /// other tests, a new number per call.
    ///
    /// ```no_run
    /// # use perf_runtime::{perf_test, User};
    /// #[perf_test(caching(keys = 20))]
    /// async fn product(user: &mut User) -> perf_runtime::Result<()> {
    ///     let key = user.key();
    ///     user.get(&format!("/products/{key}")).await?.expect_status(200)?;
    ///     Ok(())
    /// }
    /// # fn main() {}
    /// ```
    pub fn key(&mut self) -> u64 {
        static FALLBACK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        self.session
            .observer()
            .and_then(crate::load::http::observe::Observer::key)
            .unwrap_or_else(|| FALLBACK.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }

    /// This user's number, from 0.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Sets the timeout of each request (default 30 s); a request that
    /// takes longer fails as a `timeout`.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// This user's own state, created with `Default` on first use: a
    /// session token from a login, a cart, a counter.
    pub fn state<T: Default + Send + 'static>(&mut self) -> &mut T {
        let fresh = !self.state.as_ref().is_some_and(|s| s.is::<T>());
        if fresh {
            self.state = Some(Box::new(T::default()));
        }
        self.state
            .as_mut()
            .and_then(|s| s.downcast_mut::<T>())
            .expect("the state was just set to this type")
    }

    /// Whether this is the user's first iteration (for a setup such as
    /// logging in once).
    pub fn first_iteration(&self) -> bool {
        !self.set_up
    }

    pub(crate) fn begin_iteration(&mut self, scheduled: Option<Instant>) {
        self.scheduled = scheduled;
    }

    /// A uniform number in `[0, 1)` from this user's own sequence
    /// (xorshift64*: cheap, and reproducible per user).
    pub fn random(&mut self) -> f64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index into `weights`, picked in proportion to the weights.
    pub(crate) fn pick(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        if total == 0 {
            return 0;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a fraction of the total"
        )]
        let mut point = (self.random() * total as f64) as u64;
        for (i, &w) in weights.iter().enumerate() {
            if point < u64::from(w) {
                return i;
            }
            point -= u64::from(w);
        }
        weights.len() - 1
    }

    /// Whether this user has a think time to wait between iterations.
    pub(crate) fn thinks(&self) -> bool {
        !(self.think.0.is_zero() && self.think.1.is_zero())
    }

    /// Waits the think time: fixed, or uniform between its bounds.
    pub async fn think(&mut self) {
        let (low, high) = self.think;
        let wait = if high > low {
            let unit = self.random();
            low + (high - low).mul_f64(unit)
        } else {
            low
        };
        if !wait.is_zero() {
            // Between requests the connection's buffers are only memory.
            self.connection.release_buffers();
            tokio::time::sleep(wait).await;
        }
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str) -> Result<Response> {
        self.build(hyper::Method::GET, Cow::Borrowed(path))
            .send()
            .await
    }

    /// `POST path` with a body.
    pub async fn post(&mut self, path: &str, body: impl Into<Bytes>) -> Result<Response> {
        self.build(hyper::Method::POST, Cow::Borrowed(path))
            .body(body)
            .send()
            .await
    }

    /// `PUT path` with a body.
    pub async fn put(&mut self, path: &str, body: impl Into<Bytes>) -> Result<Response> {
        self.build(hyper::Method::PUT, Cow::Borrowed(path))
            .body(body)
            .send()
            .await
    }

    /// `PATCH path` with a body.
    pub async fn patch(&mut self, path: &str, body: impl Into<Bytes>) -> Result<Response> {
        self.build(hyper::Method::PATCH, Cow::Borrowed(path))
            .body(body)
            .send()
            .await
    }

    /// `DELETE path`.
    pub async fn delete(&mut self, path: &str) -> Result<Response> {
        self.build(hyper::Method::DELETE, Cow::Borrowed(path))
            .send()
            .await
    }

    /// This user's WebSocket to `path` (`/ws/echo`), opened on first use
    /// and kept for the user's later iterations; a failed socket is
    /// reopened on the next call. A failed handshake is a `connect` error.
    ///
    /// ```no_run
    /// # use perf_runtime::{perf_test, User};
    /// #[perf_test(websocket(connections = [1, 8, 32], step = "2s"))]
    /// async fn echo(user: &mut User) -> perf_runtime::Result<()> {
    ///     let reply = user.websocket("/ws/echo").await?.round_trip("ping").await?;
    ///     assert_eq!(reply, "ping");
    ///     Ok(())
    /// }
    /// # fn main() {}
    /// ```
    #[cfg(feature = "websocket")]
    pub async fn websocket(&mut self, path: &str) -> Result<&mut WebSocket> {
        let reuse = self.socket.as_ref().is_some_and(|s| s.reusable_for(path));
        if !reuse {
            self.socket = None;
            let socket = WebSocket::open(&self.target, &self.session, self.timeout, path).await?;
            self.socket = Some(socket);
        }
        Ok(self.socket.as_mut().expect("opened just above"))
    }

    /// Any request, built step by step: `.name()`, `.header()`, `.body()`,
    /// `.json()`, then `.send().await`.
    pub fn request(&mut self, method: hyper::Method, path: &str) -> RequestBuilder<'_> {
        self.build(method, Cow::Owned(path.to_owned()))
    }

    /// A request whose path the shortcuts (`get`, ...) lend for as long as
    /// it is sent: no copy of it per request.
    fn build<'a>(&'a mut self, method: hyper::Method, path: Cow<'a, str>) -> RequestBuilder<'a> {
        RequestBuilder {
            user: self,
            method,
            path,
            name: None,
            headers: Vec::new(),
            body: Bytes::new(),
            error: None,
        }
    }
}

impl Drop for User {
    /// A user dropped with a request on the wire (its iteration cut at the
    /// end of the test's grace) still wrote and read bytes: they count,
    /// as its request counts as timed out.
    fn drop(&mut self) {
        if self.sending {
            let transfer = self.connection.transfer();
            self.session
                .record_cut_transfer(transfer.sent, transfer.received);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;
    use crate::load::http::target::resolve_target;

    /// A keep-alive server that answers each read with one short response.
    fn answering_server() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0; 4096];
            while stream.read(&mut buf).is_ok_and(|n| n > 0) {
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        url
    }

    #[test]
    fn a_thinking_user_holds_no_buffers_and_a_small_request_future() {
        let target =
            Arc::new(resolve_target(&answering_server(), false, &Default::default()).unwrap());
        let think = Duration::from_millis(1);
        let mut user = User::new(0, target, Session::new(), (think, think), 0);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            assert_eq!(user.get("/").await.unwrap().status, 200);
            assert!(user.connection.buffered_capacity() > 0);
            user.think().await;
            // 10,000 users thinking would hold 170 MB of buffers otherwise.
            assert_eq!(user.connection.buffered_capacity(), 0);
            assert_eq!(user.get("/").await.unwrap().status, 200);
        });
        // Every user's iteration holds this future while it sends: it was
        // 3.2 KiB with a chunked body's header slots and two exchanges in it.
        let size = std::mem::size_of_val(&user.get("/"));
        assert!(size <= 1536, "a request future of {size} bytes");
    }
}
