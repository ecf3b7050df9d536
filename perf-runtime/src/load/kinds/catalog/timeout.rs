//! Timeout: a client timeout against a slow endpoint, then a probe that
//! the server still answers.

use std::collections::BTreeMap;
use std::time::Duration;

use perf_record::finding::Finding;
use perf_record::kinds::TimeoutOptions;
use perf_record::load::{LoadStats, RequestErrorKind};

use crate::load::http::target::Target;
use crate::load::kinds::catalog::probe::get;
use crate::load::kinds::figures::share;
use perf_record::kinds::{Kind, Think};

use super::kind::{Analysis, CatalogueKind, Ran, Step};

/// Requests the timeout test's probe sends once the load is over.
const PROBES: u32 = 5;

pub(super) fn timeout(
    options: &TimeoutOptions,
    runs: &[LoadStats],
    target: &Target,
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
) {
    let Some(run) = runs.first() else { return };
    let count = |kind| run.errors.get(&kind).map_or(0, |e| e.count);
    let timed_out = count(RequestErrorKind::Timeout);
    let of_requests = |part: u64| share(part, run.requests);
    metrics.insert("timeout_pct".to_owned(), of_requests(timed_out));
    let server_errors: u64 = run
        .status_codes
        .iter()
        .filter(|(c, _)| **c >= 500)
        .map(|(_, n)| n)
        .sum();
    let answered = run
        .requests
        .saturating_sub(timed_out + count(RequestErrorKind::Connect) + count(RequestErrorKind::Io));
    findings.push(Finding::note("timeout_requests", format!(
        "{} requests with a {:.0} ms timeout: {timed_out} timed out ({:.1}%), {answered} answered ({server_errors} \
         with a 5xx), {} connection and {} I/O errors",
        run.requests,
        options.after_ns as f64 / 1e6,
        of_requests(timed_out),
        count(RequestErrorKind::Connect),
        count(RequestErrorKind::Io)
    )));
    let mut served = 0u32;
    let mut last_error = String::new();
    for _ in 0..PROBES {
        match get(target, &options.probe, &[], Duration::from_secs(2)) {
            Ok(_) => served += 1,
            Err(e) => last_error = e,
        }
    }
    metrics.insert(
        "served_after_pct".to_owned(),
        f64::from(served) / f64::from(PROBES) * 100.0,
    );
    if served == PROBES {
        findings.push(Finding::note(
            "timeout_still_serving",
            format!(
                "afterwards the server still answers: {PROBES} of {PROBES} GET {} within 2 s",
                options.probe
            ),
        ));
    } else {
        findings.push(Finding::note("timeout_unable_to_serve", format!(
            "afterwards the server answered {served} of {PROBES} GET {} within 2 s ({last_error}): the timed-out \
             requests left it unable to serve",
            options.probe
        )));
    }
    if timed_out > 0 {
        findings.push(Finding::note(
            "timeout_hangs",
            "requests that outlive the client's timeout: the endpoint hangs; give it a deadline of its own (and \
             a fallback or an error) shorter than its callers'",
        ));
    }
}

/// `timeout(...)`: one step of load under the client's timeout, then the
/// probe.
pub(crate) struct Timeout(pub(crate) &'static TimeoutOptions);

impl CatalogueKind for Timeout {
    fn kind(&self) -> Kind {
        Kind::Timeout
    }

    fn think_ns(&self) -> Think {
        self.0.think_ns
    }

    fn plan(&self, _scale: f64) -> Vec<Step> {
        vec![Step::closed(Some("load"), 0, self.0.users, self.0.step_ns)]
    }

    /// The test's own.
    fn request_timeout(&self) -> Option<Duration> {
        Some(Duration::from_nanos(self.0.after_ns))
    }

    fn times_out_on_purpose(&self) -> bool {
        true
    }

    fn analyse(&self, ran: &Ran<'_>, out: &mut Analysis) -> Result<(), String> {
        timeout(
            self.0,
            ran.runs,
            ran.target,
            &mut out.metrics,
            &mut out.findings,
        );
        Ok(())
    }
}
