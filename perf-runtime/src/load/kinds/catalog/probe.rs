//! A catalogue kind's own request outside the load: a blocking GET on a
//! fresh connection, for probes, revalidations and a server's counters.

use std::time::Duration;

use hyper::body::Bytes;

use crate::load::http::client::{AnyConnection, SendError};
use crate::load::http::target::Target;

/// A blocking GET of `path` on a fresh connection: its status and body,
/// or why it failed.
pub(super) fn get(
    target: &Target,
    path: &str,
    headers: &[(hyper::header::HeaderName, hyper::header::HeaderValue)],
    timeout: Duration,
) -> Result<(u16, Bytes), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("failed to build a tokio runtime: {e}"))?;
    runtime.block_on(async {
        let mut connection = AnyConnection::new(target);
        connection
            .send(
                &hyper::Method::GET,
                path,
                &target.authority,
                headers,
                &Bytes::new(),
                timeout,
            )
            .await
            .map(|r| (r.status, r.body))
            .map_err(|e| match e {
                SendError::Timeout => format!("no answer within {timeout:?}"),
                SendError::Connect(m) | SendError::Tls(m) | SendError::Io(m) => m,
            })
    })
}
