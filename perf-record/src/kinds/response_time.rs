//! `response_time(...)`: one user sends a fixed number of requests one
//! after the other.

use super::kind::Kind;
use super::options::KindOptions;
use super::spec::Spec;
use crate::attr::{Arg, Checked, Given};

pub(super) const SPEC: Spec = Spec {
    name: "response_time",
    variant: "ResponseTime",
    parameter: "requests",
    holds: "options",
    keys: &["requests", "think"],
    example: "`response_time(requests = 100)`",
    aliases: &["responsetimes", "latency"],
    figures: &[],
    default_thresholds: &[],
    needs_threshold: None,
    kind: Kind::ResponseTime,
    check,
};

fn check(spec: &Spec, given: &[Given]) -> Checked<KindOptions> {
    let mut options = KindOptions::new(spec.kind);
    for arg in Arg::all(given) {
        match arg.key {
            "requests" => options.levels = vec![arg.whole()?],
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.levels.is_empty() {
        return Err(spec.missing("`requests = N`"));
    }
    // One run of the requests, however long they take.
    options.step_ns = 0;
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Value;

    #[test]
    fn response_time_needs_its_requests() {
        let options = Kind::ResponseTime
            .check(&[Given::new("requests", Value::Number(50.0))])
            .unwrap();
        assert_eq!((options.levels, options.step_ns), (vec![50], 0));
        assert_eq!(
            Kind::ResponseTime.check(&[]).unwrap_err().message,
            "`response_time` needs `requests = N`: `response_time(requests = 100)`"
        );
    }
}
