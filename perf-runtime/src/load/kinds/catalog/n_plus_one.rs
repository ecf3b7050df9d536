//! N+1 queries: larger pages per level, with a server-side query counter
//! per request read from a header or a Prometheus counter.

use std::collections::BTreeMap;
use std::time::Duration;

use perf_record::finding::Finding;
use perf_record::kinds::{NPlusOneOptions, QueryCounter};
use perf_record::load::{LevelStats, LoadStats};

use crate::load::http::observe::Observed;
use crate::load::http::target::Target;
use crate::load::kinds::catalog::probe::get;
use crate::load::kinds::catalog::prometheus::counter_value;
use std::sync::Arc;

use perf_record::kinds::{Kind, Think};

use super::kind::{Analysis, CatalogueKind, Ran, Step};
use crate::load::http::observe::Observer;

pub(super) fn n_plus_one(
    levels: &[LevelStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
) {
    let points: Vec<(f64, f64)> = levels
        .iter()
        .filter_map(|l| {
            l.per_request
                .filter(|q| *q > 0.0 && l.level > 0)
                .map(|q| ((l.level as f64).ln(), q.ln()))
        })
        .collect();
    let (Some(first), Some(last)) = (levels.first(), levels.last()) else {
        return;
    };
    let queries = |l: &LevelStats| l.per_request.unwrap_or(0.0);
    metrics.insert("queries_per_request".to_owned(), queries(last));
    findings.push(Finding::note(
        "n_plus_one_queries",
        format!(
            "{:.1} queries per request at {} items -> {:.1} at {} items",
            queries(first),
            first.level,
            queries(last),
            last.level
        ),
    ));
    let Some(line) = perf_record::stats::fit_line(&points) else {
        findings.push(Finding::note(
            "n_plus_one_too_few_levels",
            "too few levels to see how the queries grow (give at least two sizes)".to_owned(),
        ));
        return;
    };
    let growth = line.slope.max(0.0);
    metrics.insert("query_growth".to_owned(), growth);
    if growth > 0.5 {
        findings.push(Finding::note("n_plus_one_growing", format!(
            "the queries grow with the page (as items^{growth:.2}): one query per item, an N+1; load the items \
             in one query (a join, or WHERE id IN (...))"
        )));
    } else {
        findings.push(Finding::note(
            "n_plus_one_flat",
            format!("the queries per request stay flat as the page grows (items^{growth:.2})"),
        ));
    }
}

/// N+1 with `metric = "..."`: the counter's value on the server, read from
/// its Prometheus text (the sum over its label sets).
pub(super) fn scrape(options: &NPlusOneOptions, target: &Target) -> Result<Option<f64>, String> {
    let NPlusOneOptions {
        counter: QueryCounter::Metric { name, path },
        ..
    } = options
    else {
        return Ok(None);
    };
    let (status, body) = get(target, path, &[], Duration::from_secs(5))
        .map_err(|e| format!("cannot read the counter `{name}` from {path}: {e}"))?;
    if status != 200 {
        return Err(format!(
            "cannot read the counter `{name}`: GET {path} returned {status}; give the path of the Prometheus \
             text with `metrics_path = \"/metrics\"`"
        ));
    }
    let text = String::from_utf8_lossy(&body);
    let found = counter_value(&text, name);
    found.map(Some).ok_or_else(|| {
        format!("the server's {path} has no counter `{name}`; check the name (it is matched without labels)")
    })
}

/// Queries per request in one N+1 step.
pub(super) fn per_request(
    options: &NPlusOneOptions,
    observed: &Observed,
    before: Option<f64>,
    after: Option<f64>,
    stats: &LoadStats,
) -> Result<f64, String> {
    if let (Some(before), Some(after)) = (before, after) {
        return Ok((after - before) / stats.requests.max(1) as f64);
    }
    let header = match &options.counter {
        QueryCounter::Header(header) => &**header,
        QueryCounter::Metric { .. } => "",
    };
    if observed.counter_seen == 0 {
        return Err(format!(
            "no response carried a number in the `{header}` header ({} responses): check the header's name, \
             or read a Prometheus counter with `metric = \"...\"` instead",
            observed.responses
        ));
    }
    Ok(observed.counter_sum / observed.counter_seen as f64)
}

/// `n_plus_one(...)`: larger pages per level at the same users, each
/// request's queries counted on the server.
pub(crate) struct NPlusOne(pub(crate) &'static NPlusOneOptions);

impl CatalogueKind for NPlusOne {
    fn kind(&self) -> Kind {
        Kind::NPlusOne
    }

    fn think_ns(&self) -> Think {
        self.0.think_ns
    }

    /// The level is the page size, at the same users.
    fn plan(&self, _scale: f64) -> Vec<Step> {
        self.0
            .sizes
            .iter()
            .map(|&level| Step::closed(None, level, self.0.users, self.0.step_ns))
            .collect()
    }

    fn describe(&self, step: &Step) -> String {
        format!("{} items", step.level)
    }

    /// Reads the query header, if that is the counter.
    fn observer(&self, _base: u64, _cold: Option<&Observed>) -> Arc<Observer> {
        match &self.0.counter {
            QueryCounter::Header(header) => Observer::new(Some(header), None),
            QueryCounter::Metric { .. } => Observer::new(None, None),
        }
    }

    fn scrape(&self, target: &Target) -> Result<Option<f64>, String> {
        scrape(self.0, target)
    }

    fn finish_level(
        &self,
        level: &mut LevelStats,
        observed: &Observed,
        (before, after): (Option<f64>, Option<f64>),
        stats: &LoadStats,
    ) -> Result<(), String> {
        level.per_request = Some(per_request(self.0, observed, before, after, stats)?);
        Ok(())
    }

    fn analyse(&self, ran: &Ran<'_>, out: &mut Analysis) -> Result<(), String> {
        n_plus_one(ran.levels, &mut out.metrics, &mut out.findings);
        Ok(())
    }
}
