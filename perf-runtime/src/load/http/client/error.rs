//! Why a request failed.

/// Why a request failed, by the kinds the report counts.
#[derive(Debug)]
pub(crate) enum SendError {
    /// No connection could be made.
    Connect(String),
    /// No response within the timeout.
    Timeout,
    /// The TLS handshake was refused: the host and the reason.
    #[cfg_attr(
        not(feature = "tls"),
        expect(dead_code, reason = "only a build with TLS makes handshakes")
    )]
    Tls(String),
    /// The connection broke mid-request, or the response was not HTTP.
    Io(String),
}
