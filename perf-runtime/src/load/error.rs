//! Why a load test's iteration failed: the error its checks, requests and
//! the user's own code return, counted by kind in the report.

pub use perf_record::load::RequestErrorKind;

/// A load test's result: `Err` counts as a failed iteration with its reason.
pub type Result<T = (), E = Error> = std::result::Result<T, E>;

/// Why an iteration failed. Failures are counted by kind in the report;
/// they never panic the test.
#[derive(Debug)]
pub struct Error {
    kind: RequestErrorKind,
    message: String,
    /// Already counted where it happened (a request or a check).
    recorded: bool,
}

impl Error {
    /// A failure of the user's own making, counted as kind `user`.
    pub fn msg(message: impl Into<String>) -> Self {
        Self {
            kind: RequestErrorKind::User,
            message: message.into(),
            recorded: false,
        }
    }

    /// The kind: `status`, `timeout`, `connect`, `io`, `check` or `user`
    /// (a panicking user is counted as `panic` by the runtime, never
    /// returned).
    pub fn kind(&self) -> RequestErrorKind {
        self.kind
    }

    pub(crate) fn is_recorded(&self) -> bool {
        self.recorded
    }

    /// A failure already counted where it happened.
    pub(crate) fn recorded(kind: RequestErrorKind, message: String) -> Self {
        Self {
            kind,
            message,
            recorded: true,
        }
    }

    /// A failure still to be counted.
    pub(crate) fn unrecorded(kind: RequestErrorKind, message: String) -> Self {
        Self {
            kind,
            message,
            recorded: false,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} error: {}", self.kind, self.message)
    }
}

impl std::error::Error for Error {}
