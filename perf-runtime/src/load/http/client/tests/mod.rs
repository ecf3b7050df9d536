//! The client against a raw-socket server that sends what real servers
//! send: each test scripts the bytes, drives the real `Connection`, and
//! checks the response or the error, and what the server received.

mod drive;
mod failures;
mod framing;
mod lengths;
mod raw_server;
mod transfer;
