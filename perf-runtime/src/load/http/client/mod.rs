//! One HTTP/1.1 keep-alive connection per virtual user (cleartext, or TLS
//! through rustls behind the `tls` feature), written and read
//! in the user's own task: the load generator's hot path. hyper's client
//! hands every request to a connection task over a channel and wakes two
//! tasks per request; here a request is one write and a response is read
//! in place (httparse for the head), which costs measurably less CPU per
//! request (see scripts/load-bench.sh). The bytes each request writes and
//! reads are counted on the socket, for the test's transfer rate.

mod any;
mod body;
mod connection;
mod error;
mod head;
#[cfg(test)]
mod tests;
#[cfg(feature = "tls")]
pub(crate) mod tls;
mod transport;
mod wire;

pub(crate) use any::AnyConnection;
pub(crate) use error::SendError;
pub(crate) use wire::Setup;
