//! The bytes of criterion's external-runner protocol (the one
//! cargo-criterion speaks): a loopback TCP connection on which the runner
//! says hello first, the benchmark answers with its own hello, and then
//! both sides exchange CBOR messages, each behind its length as a 32-bit
//! big-endian number.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub(crate) use super::error::WireError;
use super::message::{FromBenchmark, ToBenchmark};

/// The variable through which criterion finds its runner's port.
pub(crate) const PORT_ENV: &str = "CARGO_CRITERION_PORT";

/// What the runner's hello starts with; criterion refuses any other.
const RUNNER_MAGIC: &[u8] = b"cargo-criterion";
/// The cargo-criterion version this runner presents itself as: the one
/// whose protocol it follows. Criterion only logs it.
const RUNNER_VERSION: [u8; 3] = [1, 1, 0];
/// What the benchmark's hello starts with.
const BENCHMARK_MAGIC: &[u8] = b"Criterion";
/// The benchmark's hello: magic, its criterion version (3 bytes), the
/// protocol version and the message format (2 bytes each).
const BENCHMARK_HELLO_LEN: usize = BENCHMARK_MAGIC.len() + 3 + 2 + 2;
/// The one message format criterion has ever sent: CBOR.
const FORMAT_CBOR: u16 = 1;
/// The longest message accepted. A `MeasurementComplete` carries two
/// numbers a sample; a benchmark takes at most thousands of samples.
const MAX_MESSAGE_LEN: u32 = 64 << 20;

/// A port on 127.0.0.1 a benchmark connects to.
pub(crate) struct Listener {
    listener: TcpListener,
}

impl Listener {
    /// Opens a port chosen by the system.
    pub(crate) fn open() -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        Ok(Self { listener })
    }

    /// The port, for [`PORT_ENV`].
    pub(crate) fn port(&self) -> std::io::Result<u16> {
        Ok(self.listener.local_addr()?.port())
    }

    /// Waits for the benchmark to connect, until `stop` is set (its process
    /// ended) or `limit` has passed: `None` if it never did.
    pub(crate) fn accept(&self, stop: &AtomicBool, limit: Duration) -> Option<TcpStream> {
        let until = Instant::now() + limit;
        while !stop.load(Ordering::Acquire) && Instant::now() < until {
            match self.listener.accept() {
                Ok((stream, _)) => return stream.set_nonblocking(false).ok().map(|()| stream),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => return None,
            }
        }
        None
    }
}

/// An open conversation with one benchmark process.
pub(crate) struct Connection {
    socket: TcpStream,
    /// The benchmark's criterion version, `major.minor.patch`.
    pub(crate) criterion_version: String,
}

impl Connection {
    /// Exchanges the hellos on a fresh connection.
    pub(crate) fn handshake(mut socket: TcpStream) -> Result<Self, WireError> {
        let mut hello = RUNNER_MAGIC.to_vec();
        hello.extend_from_slice(&RUNNER_VERSION);
        socket.write_all(&hello)?;
        let mut answer = [0u8; BENCHMARK_HELLO_LEN];
        socket.read_exact(&mut answer)?;
        let (magic, rest) = answer.split_at(BENCHMARK_MAGIC.len());
        if magic != BENCHMARK_MAGIC {
            return Err(WireError::NotCriterion);
        }
        let criterion_version = format!("{}.{}.{}", rest[0], rest[1], rest[2]);
        let format = u16::from_be_bytes([rest[5], rest[6]]);
        if format != FORMAT_CBOR {
            return Err(WireError::UnknownFormat {
                version: criterion_version,
                format,
            });
        }
        Ok(Self {
            socket,
            criterion_version,
        })
    }

    /// The next message; `None` once the benchmark has closed the
    /// connection (its process ended).
    pub(crate) fn recv(&mut self) -> Result<Option<FromBenchmark>, WireError> {
        let mut length = [0u8; 4];
        match self.socket.read_exact(&mut length) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        let length = u32::from_be_bytes(length);
        if length > MAX_MESSAGE_LEN {
            return Err(WireError::TooLong(length));
        }
        let mut body = vec![0u8; length as usize];
        self.socket.read_exact(&mut body)?;
        FromBenchmark::decode(&body).map(Some)
    }

    /// Sends a message.
    pub(crate) fn send(&mut self, message: &ToBenchmark) -> Result<(), WireError> {
        let body = message.encode()?;
        let length = u32::try_from(body.len()).map_err(|_| WireError::TooLong(u32::MAX))?;
        self.socket.write_all(&length.to_be_bytes())?;
        self.socket.write_all(&body)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A benchmark's side of the handshake, as criterion 0.5 to 0.8 do it.
    fn benchmark_side(
        port: u16,
        version: [u8; 3],
        format: u16,
    ) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut socket = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
            let mut hello = [0u8; 18];
            socket.read_exact(&mut hello).unwrap();
            let mut answer = b"Criterion".to_vec();
            answer.extend_from_slice(&version);
            answer.extend_from_slice(&1u16.to_be_bytes());
            answer.extend_from_slice(&format.to_be_bytes());
            socket.write_all(&answer).unwrap();
            hello.to_vec()
        })
    }

    #[test]
    fn the_hellos_are_exchanged_and_the_version_read() {
        let listener = Listener::open().unwrap();
        let bench = benchmark_side(listener.port().unwrap(), [0, 8, 2], 1);
        let socket = listener
            .accept(&AtomicBool::new(false), Duration::from_secs(10))
            .unwrap();
        let connection = Connection::handshake(socket).unwrap();
        assert_eq!(connection.criterion_version, "0.8.2");
        assert_eq!(&bench.join().unwrap()[..15], b"cargo-criterion");
    }

    #[test]
    fn an_unknown_format_is_refused() {
        let listener = Listener::open().unwrap();
        let bench = benchmark_side(listener.port().unwrap(), [0, 9, 0], 2);
        let socket = listener
            .accept(&AtomicBool::new(false), Duration::from_secs(10))
            .unwrap();
        let error = Connection::handshake(socket).err().unwrap();
        assert_eq!(
            error.to_string(),
            "criterion 0.9.0 sends messages in format 2, which this cargo perf does not read"
        );
        bench.join().unwrap();
    }

    #[test]
    fn nobody_connecting_ends_the_wait() {
        let listener = Listener::open().unwrap();
        let stop = AtomicBool::new(true);
        assert!(listener.accept(&stop, Duration::from_secs(10)).is_none());
    }
}
