//! A failed handshake in words: the host and why, and whether it is the
//! certificate's or the connection's fault.

use rustls::{CertificateError, Error};

use crate::load::http::client::error::SendError;

/// The error a failed handshake with `host` is counted as: rustls's
/// refusal (a certificate, a protocol) is a `tls` error; the connection
/// breaking under it a `connect` one.
pub(super) fn handshake_error(host: &str, error: &std::io::Error) -> SendError {
    match error.get_ref().and_then(|e| e.downcast_ref::<Error>()) {
        Some(refused) => SendError::Tls(format!(
            "the TLS handshake with {host} failed: {}",
            words(refused)
        )),
        None => SendError::Connect(format!(
            "the connection to {host} broke during the TLS handshake: {error}"
        )),
    }
}

/// Why rustls refused, in the user's terms, with its own detail.
fn words(error: &Error) -> String {
    let Error::InvalidCertificate(certificate) = error else {
        return match error {
            Error::NoApplicationProtocol => {
                "the server accepts none of the protocols offered (ALPN)".to_owned()
            }
            other => other.to_string(),
        };
    };
    let what = match certificate {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "its certificate has expired"
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "its certificate is not valid yet"
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "its certificate is for another host"
        }
        CertificateError::UnknownIssuer => {
            "its certificate is signed by an authority this machine does not trust \
             (pass --ca-cert PATH with that authority, or --insecure for a self-signed staging \
             certificate)"
        }
        CertificateError::Revoked => "its certificate is revoked",
        CertificateError::BadSignature => "its certificate's signature is invalid",
        _ => "its certificate is invalid",
    };
    format!("{what} ({error})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_errors_name_the_host_and_the_reason() {
        let cases = [
            (CertificateError::Expired, "has expired"),
            (CertificateError::NotValidForName, "for another host"),
            (CertificateError::UnknownIssuer, "--ca-cert"),
        ];
        for (certificate, reason) in cases {
            let io = std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                Error::InvalidCertificate(certificate),
            );
            let SendError::Tls(message) = handshake_error("staging.test", &io) else {
                panic!("not a tls error");
            };
            assert!(
                message.contains("staging.test") && message.contains(reason),
                "{message}"
            );
        }
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(matches!(
            handshake_error("h", &reset),
            SendError::Connect(m) if m.contains("during the TLS handshake")
        ));
    }
}
