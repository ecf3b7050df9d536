//! Why a conversation with a criterion benchmark failed.

/// Why the conversation with a benchmark failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WireError {
    /// The socket failed.
    #[error("the connection failed")]
    Io(#[from] std::io::Error),
    /// Something else connected.
    #[error("what connected did not greet as a criterion benchmark")]
    NotCriterion,
    /// A criterion newer than this runner.
    #[error(
        "criterion {version} sends messages in format {format}, which this cargo perf does not read"
    )]
    UnknownFormat {
        /// The benchmark's criterion version.
        version: String,
        /// The format it announced.
        format: u16,
    },
    /// A length no message has.
    #[error("criterion announced a message of {0} bytes")]
    TooLong(u32),
    /// A message that is not CBOR of the expected shape.
    #[error("a message from criterion could not be read: {0}")]
    Decode(String),
    /// A message that could not be written.
    #[error("a message to criterion could not be written: {0}")]
    Encode(String),
}
