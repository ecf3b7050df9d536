//! Search: one level per query; per-query figures, the slowest named.

use std::collections::BTreeMap;

use perf_record::finding::Finding;
use perf_record::kinds::{Kind, SearchOptions, Think};
use perf_record::load::LevelStats;

use super::kind::{Analysis, CatalogueKind, Ran, Step};

pub(super) fn search(
    levels: &[LevelStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
) {
    let mut p95s: Vec<u64> = levels
        .iter()
        .filter(|l| l.requests > 0)
        .map(|l| l.p95_us)
        .collect();
    if p95s.is_empty() {
        return;
    }
    p95s.sort_unstable();
    // The median of the other queries: with the slowest among them, a
    // short list would measure the slowest against itself.
    let others = &p95s[..p95s.len() - 1];
    let median = others
        .get(others.len() / 2)
        .copied()
        .unwrap_or(p95s[0])
        .max(1) as f64;
    let mut ranked: Vec<&LevelStats> = levels.iter().filter(|l| l.requests > 0).collect();
    ranked.sort_by_key(|l| std::cmp::Reverse(l.p95_us));
    let slowest = ranked[0];
    let spread = slowest.p95_us as f64 / median;
    metrics.insert("slowest_p95_us".to_owned(), slowest.p95_us as f64);
    metrics.insert("query_spread".to_owned(), spread);
    let named: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|l| {
            format!(
                "\"{}\" {:.2} ms",
                l.phase.as_deref().unwrap_or(""),
                l.p95_us as f64 / 1e3
            )
        })
        .collect();
    findings.push(Finding::note(
        "search_slowest",
        format!("slowest queries by p95: {}", named.join(", ")),
    ));
    findings.push(Finding::note(
        "search_spread",
        format!(
            "the slowest query's p95 is {spread:.1}x the median of the others' ({:.2} ms)",
            median / 1e3
        ),
    ));
}

/// `search(...)`: one step per query, labelled with it.
pub(crate) struct Search(pub(crate) &'static SearchOptions);

impl CatalogueKind for Search {
    fn kind(&self) -> Kind {
        Kind::Search
    }

    fn think_ns(&self) -> Think {
        self.0.think_ns
    }

    fn plan(&self, _scale: f64) -> Vec<Step> {
        self.0
            .queries
            .iter()
            .zip(0..)
            .map(|(query, i)| {
                let query: &'static str = query;
                Step {
                    label: Some(query),
                    ..Step::closed(Some(query), i, self.0.users, self.0.step_ns)
                }
            })
            .collect()
    }

    fn analyse(&self, ran: &Ran<'_>, out: &mut Analysis) -> Result<(), String> {
        search(ran.levels, &mut out.metrics, &mut out.findings);
        Ok(())
    }
}
