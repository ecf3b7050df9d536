//! `--bmf PATH`: the run's figures in Bencher Metric Format, the JSON that
//! `bencher run --adapter json --file PATH` tracks:
//! `{"<benchmark>": {"<measure>": {"value", "lower_value", "upper_value"}}}`.
//!
//! The benchmark is the test's id (`demo/perf::checksum_64k`). Measures
//! use Bencher's built-in slugs where one fits: `latency` in nanoseconds
//! and `throughput` in operations (requests) per second. A micro-benchmark
//! has `latency` (its median, bounded by the median's 95% confidence
//! interval) and `instructions` per iteration when counted (the slug of
//! Bencher's Iai adapter). A load test has `latency` (its median, bounded
//! by the fastest and slowest request), `latency-p95` and `latency-p99`
//! (ns), `throughput`, `error-rate` (percent) and each of its kind's
//! figures under its key in kebab case (`breaking-point`). Bencher creates
//! a measure it does not know on first use. A failed test has no figures
//! and is left out.

use perf_record::metric::Metric;
use serde_json::{Map, Value, json};

use super::Source;

/// The JSON document.
pub(crate) fn render(source: &Source<'_>) -> String {
    let mut benchmarks = Map::new();
    for test in &source.record.tests {
        let mut measures = Map::new();
        // Bencher refuses a document with one value that is not a number:
        // a value that is not finite is left out, a bound that is not
        // finite dropped.
        let mut put = |key: &str, value: f64, bounds: Option<(f64, f64)>| {
            if value.is_finite() {
                measures.insert(key.to_owned(), measure(value, bounds));
            }
        };
        if let Some(stats) = &test.stats {
            put(
                "latency",
                stats.median_ns,
                Some((stats.median_ci_low_ns, stats.median_ci_high_ns)),
            );
        }
        if let Some(count) = &test.instructions {
            put(Metric::INSTRUCTIONS.key, count.per_iteration, None);
        }
        if let Some(load) = &test.load
            && load.latency.count > 0
        {
            let l = &load.latency;
            let ns = |us: u64| us as f64 * 1e3;
            put("latency", ns(l.p50_us), Some((ns(l.min_us), ns(l.max_us))));
            put("latency-p95", ns(l.p95_us), None);
            put("latency-p99", ns(l.p99_us), None);
            put("throughput", load.rps, None);
            put("error-rate", load.error_rate_pct, None);
        }
        if let Some(sweep) = test.load.as_ref().and_then(|l| l.sweep.as_ref()) {
            for (key, value) in &sweep.metrics {
                put(&key.replace('_', "-"), *value, None);
            }
        }
        if !measures.is_empty() {
            benchmarks.insert(test.id.to_string(), Value::Object(measures));
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(benchmarks))
        .expect("a map of numbers always serializes");
    text.push('\n');
    text
}

/// A value, with its bounds where both are numbers.
fn measure(value: f64, bounds: Option<(f64, f64)>) -> Value {
    match bounds {
        Some((lower, upper)) if lower.is_finite() && upper.is_finite() => {
            json!({ "value": value, "lower_value": lower, "upper_value": upper })
        }
        _ => json!({ "value": value }),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use perf_record::kinds::Kind;
    use perf_record::load::SweepStats;

    use super::*;
    use crate::sample;

    /// A measure's value and bounds.
    type Metric = (f64, Option<f64>, Option<f64>);

    /// The document, read back as Bencher's schema describes it: each
    /// measure has a number `value` and optional number bounds.
    fn parse(text: &str) -> BTreeMap<String, BTreeMap<String, Metric>> {
        let value: Value = serde_json::from_str(text).unwrap();
        let benchmarks = value.as_object().unwrap();
        benchmarks
            .iter()
            .map(|(name, measures)| {
                let measures = measures
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(measure, metric)| {
                        let metric = metric.as_object().unwrap();
                        assert!(
                            metric
                                .keys()
                                .all(|k| ["value", "lower_value", "upper_value"]
                                    .contains(&k.as_str())),
                            "{metric:?}"
                        );
                        let number = |k: &str| metric.get(k).map(|v| v.as_f64().unwrap());
                        let value = number("value").unwrap();
                        let (lower, upper) = (number("lower_value"), number("upper_value"));
                        assert!(lower.is_none_or(|l| l <= value), "{measure}: {metric:?}");
                        assert!(upper.is_none_or(|u| u >= value), "{measure}: {metric:?}");
                        (measure.clone(), (value, lower, upper))
                    })
                    .collect();
                (name.clone(), measures)
            })
            .collect()
    }

    #[test]
    fn benchmarks_and_load_tests_get_their_measures() {
        let record = sample::record();
        let bmf = parse(&render(&Source {
            record: &record,
            comparison: None,
            history: None,
        }));
        let names: Vec<&str> = bmf.keys().map(String::as_str).collect();
        // The failed test measured nothing, so it is left out.
        assert_eq!(
            names,
            [
                "demo/load::browse_catalog",
                "demo/perf::checksum_64k",
                "demo/perf::parse <a|b> *fast*, \"quoted\""
            ]
        );
        let checksum = &bmf["demo/perf::checksum_64k"];
        assert_eq!(checksum["latency"], (3_900.0, Some(3_861.0), Some(3_939.0)));
        assert_eq!(checksum["instructions"], (52_000.0, None, None));
        let load = &bmf["demo/load::browse_catalog"];
        let measures: Vec<&str> = load.keys().map(String::as_str).collect();
        assert_eq!(
            measures,
            [
                "error-rate",
                "latency",
                "latency-p95",
                "latency-p99",
                "throughput"
            ]
        );
        // 1..=100 ms: the median is 50 ms, in nanoseconds, within 0.1%
        // (the histogram's three significant figures).
        let (p50, min, max) = load["latency"];
        assert!((p50 - 50e6).abs() <= 50e3, "{p50}");
        assert!((min.unwrap() - 1e6).abs() <= 1e3 && (max.unwrap() - 100e6).abs() <= 100e3);
        assert!((load["latency-p95"].0 - 95e6).abs() <= 95e3);
        assert_eq!(load["throughput"].0, 50.0);
        assert_eq!(load["error-rate"].0, 3.0);
    }

    #[test]
    fn a_kinds_figures_are_measures_in_kebab_case() {
        let mut test = sample::load_test();
        let load = test.load.as_mut().unwrap();
        load.sweep = Some(SweepStats::of(
            Kind::Stress,
            Vec::new(),
            BTreeMap::from([("breaking_point".to_owned(), 16.0)]),
            Vec::new(),
        ));
        let record = perf_record::RunRecord {
            tests: vec![test],
            ..sample::record()
        };
        let bmf = parse(&render(&Source {
            record: &record,
            comparison: None,
            history: None,
        }));
        assert_eq!(
            bmf["demo/load::browse_catalog"]["breaking-point"],
            (16.0, None, None)
        );
    }

    #[test]
    fn a_figure_that_is_not_a_number_is_left_out() {
        let mut test = sample::load_test();
        test.load.as_mut().unwrap().rps = f64::NAN;
        let mut bench = sample::bench("nan", 1_000.0);
        bench.stats.as_mut().unwrap().median_ci_high_ns = f64::INFINITY;
        let record = perf_record::RunRecord {
            tests: vec![test, bench],
            ..sample::record()
        };
        let bmf = parse(&render(&Source {
            record: &record,
            comparison: None,
            history: None,
        }));
        assert!(!bmf["demo/load::browse_catalog"].contains_key("throughput"));
        assert_eq!(bmf["demo/perf::nan"]["latency"], (1_000.0, None, None));
    }
}
