//! Search: one level per query; per-query figures, the slowest named.

use std::collections::BTreeMap;

use perf_record::finding::Finding;
use perf_record::load::LevelStats;

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
