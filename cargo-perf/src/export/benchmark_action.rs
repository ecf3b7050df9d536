//! `--github-benchmark PREFIX`: the run's figures for
//! github-action-benchmark, whose custom tools take a JSON array of
//! `{"name", "unit", "value", "range", "extra"}` (`range` a string such
//! as `"± 1.2"`, `extra` shown in the chart's tooltip). One file serves
//! one tool, and a tool has one direction, so the figures are split:
//! `PREFIX-smaller.json` (`tool: customSmallerIsBetter`: medians,
//! latencies, instructions, error rates) and `PREFIX-bigger.json`
//! (`tool: customBiggerIsBetter`: throughput, and the kinds' figures
//! where more is better). Both are always written, empty (`[]`) when the
//! run has nothing of theirs.

use std::path::Path;

use perf_record::TestRecord;
use perf_record::metric::Metric;
use serde::Serialize;

use super::prefix::with_suffix;
use super::{Mode, Output, Source};

/// The two files of `--github-benchmark PREFIX`.
pub(crate) fn outputs(prefix: &Path) -> [Output; 2] {
    [
        Output {
            origin: "--github-benchmark",
            path: with_suffix(prefix, "-smaller.json"),
            render: render_smaller,
            mode: Mode::Replace,
        },
        Output {
            origin: "--github-benchmark",
            path: with_suffix(prefix, "-bigger.json"),
            render: render_bigger,
            mode: Mode::Replace,
        },
    ]
}

/// One point of one chart.
#[derive(Debug, Serialize)]
struct Entry {
    name: String,
    unit: &'static str,
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<String>,
}

/// `PREFIX-smaller.json`.
fn render_smaller(source: &Source<'_>) -> String {
    render(source, false)
}

/// `PREFIX-bigger.json`.
fn render_bigger(source: &Source<'_>) -> String {
    render(source, true)
}

fn render(source: &Source<'_>, bigger: bool) -> String {
    let entries: Vec<Entry> = source
        .record
        .tests
        .iter()
        .flat_map(entries)
        .filter(|(higher_is_better, _)| *higher_is_better == bigger)
        .map(|(_, entry)| entry)
        .collect();
    let mut text =
        serde_json::to_string_pretty(&entries).expect("entries of numbers and strings serialize");
    text.push('\n');
    text
}

/// A test's figures, each with whether more is better.
fn entries(test: &TestRecord) -> Vec<(bool, Entry)> {
    let id = test.id.to_string();
    let mut out = Vec::new();
    let entry = |name: String, unit, value, range, extra| Entry {
        name,
        unit,
        value,
        range,
        extra,
    };
    if let Some(stats) = &test.stats {
        let half = (stats.median_ci_high_ns - stats.median_ci_low_ns) / 2.0;
        out.push((
            false,
            entry(
                id.clone(),
                "ns",
                stats.median_ns,
                Some(format!("± {half:.1}")),
                Some(format!(
                    "median of {} rounds x {} iterations; 95% CI {:.1} .. {:.1} ns",
                    stats.rounds,
                    stats.iterations_per_round,
                    stats.median_ci_low_ns,
                    stats.median_ci_high_ns
                )),
            ),
        ));
    }
    if let Some(count) = &test.instructions {
        out.push((
            false,
            entry(
                format!("{id} instructions"),
                Metric::INSTRUCTIONS.unit.symbol(),
                count.per_iteration,
                None,
                Some(format!(
                    "per iteration, counted by {} over {} iterations",
                    count.counter, count.iterations
                )),
            ),
        ));
    }
    if let Some(load) = &test.load
        && load.latency.count > 0
    {
        let l = &load.latency;
        let extra = Some(format!(
            "{} requests in {:.1} s",
            load.requests, load.duration_s
        ));
        for (metric, us) in [
            (Metric::P50, l.p50_us),
            (Metric::P95, l.p95_us),
            (Metric::P99, l.p99_us),
        ] {
            let name = metric.label;
            out.push((
                false,
                entry(
                    format!("{id} {name}"),
                    "ms",
                    us as f64 / 1e3,
                    None,
                    extra.clone(),
                ),
            ));
        }
        out.push((
            false,
            entry(
                format!("{id} error rate"),
                "%",
                load.error_rate_pct,
                None,
                extra.clone(),
            ),
        ));
        out.push((
            true,
            entry(format!("{id} throughput"), "req/s", load.rps, None, extra),
        ));
    }
    if let Some(sweep) = test.load.as_ref().and_then(|l| l.sweep.as_ref()) {
        for (key, &value) in &sweep.metrics {
            let figure = Metric::by_key(key);
            out.push((
                figure.is_some_and(|f| f.higher_is_better),
                entry(
                    format!("{id} {}", figure.map_or(key.as_str(), |f| f.label)),
                    figure.map_or("", |f| f.unit.symbol()),
                    value,
                    None,
                    None,
                ),
            ));
        }
    }
    out.retain(|(_, e)| e.value.is_finite());
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use perf_record::kinds::Kind;
    use perf_record::load::SweepStats;
    use serde::Deserialize;

    use super::*;
    use crate::sample;

    /// An entry as the action reads it.
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Read {
        name: String,
        unit: String,
        value: f64,
        range: Option<String>,
        extra: Option<String>,
    }

    fn read(text: &str) -> Vec<Read> {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn smaller_and_bigger_figures_go_to_their_own_files() {
        let mut record = sample::record();
        record.tests[3].load.as_mut().unwrap().sweep = Some(SweepStats::of(
            Kind::Stress,
            Vec::new(),
            BTreeMap::from([("breaking_point".to_owned(), 16.0)]),
            Vec::new(),
        ));
        let source = Source {
            record: &record,
            comparison: None,
            history: None,
        };
        let smaller = read(&render_smaller(&source));
        let names: Vec<&str> = smaller.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "demo/perf::checksum_64k",
                "demo/perf::checksum_64k instructions",
                "demo/perf::parse <a|b> *fast*, \"quoted\"",
                "demo/load::browse_catalog p50",
                "demo/load::browse_catalog p95",
                "demo/load::browse_catalog p99",
                "demo/load::browse_catalog error rate",
            ]
        );
        assert_eq!(
            smaller[0],
            Read {
                name: "demo/perf::checksum_64k".into(),
                unit: "ns".into(),
                value: 3_900.0,
                range: Some("± 39.0".into()),
                extra: Some(
                    "median of 100 rounds x 1000 iterations; 95% CI 3861.0 .. 3939.0 ns".into()
                ),
            }
        );
        assert_eq!(smaller[4].unit, "ms");
        assert!((smaller[4].value - 95.0).abs() < 0.1, "{:?}", smaller[4]);
        let bigger = read(&render_bigger(&source));
        let names: Vec<(&str, &str)> = bigger
            .iter()
            .map(|e| (e.name.as_str(), e.unit.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("demo/load::browse_catalog throughput", "req/s"),
                ("demo/load::browse_catalog breaking point", "")
            ]
        );
    }

    #[test]
    fn paths_take_the_prefix() {
        let [smaller, bigger] = outputs(Path::new("out/perf"));
        assert_eq!(smaller.path, Path::new("out/perf-smaller.json"));
        assert_eq!(bigger.path, Path::new("out/perf-bigger.json"));
        let empty = perf_record::RunRecord {
            tests: Vec::new(),
            ..sample::record()
        };
        let source = Source {
            record: &empty,
            comparison: None,
            history: None,
        };
        assert!(read(&(bigger.render)(&source)).is_empty());
    }
}
