//! h2's errors as the report counts failed requests: every one is the
//! connection's or the response's fault, an `io` error, in words that say
//! which side gave up and why.

use crate::load::http::client::error::SendError;

/// The error a request that met `error` is counted as.
pub(super) fn from_h2(error: &h2::Error) -> SendError {
    if let Some(io) = error.get_io() {
        return SendError::Io(format!("the HTTP/2 connection broke: {io}"));
    }
    let reason = error
        .reason()
        .map_or_else(|| "no reason".to_owned(), |r| format!("{r:?}"));
    SendError::Io(if error.is_remote() && error.is_reset() {
        format!("the server reset the HTTP/2 stream ({reason})")
    } else if error.is_remote() && error.is_go_away() {
        format!("the server closed the HTTP/2 connection (GOAWAY, {reason})")
    } else if error.is_library() {
        format!(
            "the server's answer is not valid HTTP/2 ({error}); --http2 speaks HTTP/2 by prior \
             knowledge, which an HTTP/1.1-only server does not understand"
        )
    } else {
        format!("HTTP/2 failed: {error} ({reason})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h2_errors_are_io_errors_that_name_the_reason() {
        let reset = h2::Error::from(h2::Reason::INTERNAL_ERROR);
        let SendError::Io(message) = from_h2(&reset) else {
            panic!("not an io error");
        };
        assert!(
            message.contains("HTTP/2") && message.contains("INTERNAL_ERROR"),
            "{message}"
        );
    }
}
