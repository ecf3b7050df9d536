//! `response_time(...)`: one user sends a fixed number of requests one
//! after the other.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::Think;
use crate::attr::{Arg, Checked, Given};

/// `response_time(requests = 100)`: one user, that many requests.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTimeOptions {
    /// The requests, one after the other (before `--duration-scale`).
    pub requests: u64,
    /// The user's think time.
    pub think_ns: Think,
}

impl ThinkTime for ResponseTimeOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "response_time",
    parameter: "requests",
    holds: "options",
    keys: &["requests", "think"],
    example: "`response_time(requests = 100)`",
    aliases: &["responsetimes", "latency"],
    figures: &[],
    default_thresholds: &[],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<ResponseTimeOptions> {
    let mut requests = None;
    let mut think_ns = None;
    for arg in Arg::all(given) {
        match arg.key {
            "requests" => requests = Some(arg.whole()?),
            "think" => think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    let Some(requests) = requests else {
        return Err(spec.missing("`requests = N`"));
    };
    Ok(ResponseTimeOptions { requests, think_ns })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Value;
    use crate::kinds::Kind;

    #[test]
    fn response_time_needs_its_requests() {
        let options = check(&SPEC, &[Given::new("requests", Value::Number(50.0))]).unwrap();
        assert_eq!(options.requests, 50);
        assert_eq!(
            Kind::ResponseTime.check(&[]).unwrap_err().message,
            "`response_time` needs `requests = N`: `response_time(requests = 100)`"
        );
    }
}
