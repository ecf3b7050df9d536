use super::*;
use crate::threshold::{Threshold, ThresholdResult};

#[test]
fn keys_and_threshold_names_are_unique_across_base_metrics_and_figures() {
    let all: Vec<Metric> = Metric::all().collect();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a.key, b.key);
            if a.threshold.is_some() {
                assert_ne!(a.threshold, b.threshold, "{a} and {b}");
                assert_ne!(a.threshold, Some(b.key), "{a} and {b}");
            }
        }
    }
    for metric in &all {
        assert_eq!(Metric::by_key(metric.key), Some(*metric));
        assert_eq!(Metric::by_name(metric.threshold_name()), Some(*metric));
    }
}

#[test]
fn a_metric_writes_its_key_and_reads_either_spelling() {
    // The keys reports, `latest.json` and baselines have always written.
    for (metric, key, threshold) in [
        (Metric::MEDIAN, "median_ns", None),
        (Metric::INSTRUCTIONS, "instructions", None),
        (Metric::P95, "p95_us", Some("p95")),
        (Metric::P99, "p99_us", Some("p99")),
        (Metric::THROUGHPUT, "rps", Some("rps")),
        (Metric::ERROR_RATE, "error_rate_pct", Some("error_rate")),
        (Metric::RECEIVED, "received_per_s", Some("received")),
    ] {
        let json = serde_json::to_string(&metric).unwrap();
        assert_eq!(json, format!("\"{key}\""));
        assert_eq!(serde_json::from_str::<Metric>(&json).unwrap(), metric);
        assert_eq!(metric.threshold, threshold);
        if let Some(name) = threshold {
            let old = serde_json::from_str::<Metric>(&format!("\"{name}\"")).unwrap();
            assert_eq!(old, metric);
        }
    }
    let figure = Metric::by_threshold("speedup").unwrap();
    assert_eq!(serde_json::to_string(&figure).unwrap(), "\"warm_speedup\"");
    assert!(serde_json::from_str::<Metric>("\"p42\"").is_err());
}

#[test]
fn a_threshold_recorded_before_the_vocabulary_still_loads_and_writes_the_same() {
    // A threshold result as records and baselines hold it.
    let json = r#"{"threshold":{"metric":"p95","limit":200000.0,"at_least":false,
                   "text":"p95 <= 200ms"},"value":1200.0,"passed":true}"#;
    let result: ThresholdResult = serde_json::from_str(json).unwrap();
    assert_eq!(result.threshold.metric, Metric::P95);
    let back = serde_json::to_value(&result).unwrap();
    assert_eq!(back["threshold"]["metric"], "p95");
    let errors = Threshold::parse("error_rate", "1%").unwrap();
    assert_eq!(errors.metric, Metric::ERROR_RATE);
    assert_eq!(
        serde_json::to_value(&errors).unwrap()["metric"],
        "error_rate"
    );
    let figure = Threshold::parse("cache_headers", ">= 100%").unwrap();
    assert_eq!(
        serde_json::to_value(&figure).unwrap()["metric"],
        "cache_headers"
    );
}

#[test]
fn each_metric_knows_its_direction_and_change_rule() {
    assert!(Metric::THROUGHPUT.higher_is_better && !Metric::P95.higher_is_better);
    assert_eq!(Metric::ERROR_RATE.absolute_limit(), Some(1.0));
    assert_eq!(Metric::MEDIAN.absolute_limit(), None);
    assert_eq!(Metric::P95.change, Change::Shown);
    assert_eq!(Metric::ERROR_RATE.scale, Scale::Difference);
    assert_eq!(Metric::MEDIAN.scale, Scale::Log);
    let headers = Metric::by_threshold("cache_headers").unwrap();
    assert_eq!(headers.absolute_limit(), Some(5.0));
    assert_eq!(headers.scale, Scale::Difference);
}

#[test]
fn values_are_written_in_their_units() {
    assert_eq!(Metric::MEDIAN.value_text(1234.0), "1.234 µs");
    assert_eq!(Metric::INSTRUCTIONS.value_text(52_000.4), "52000");
    assert_eq!(Metric::P95.value_text(2500.0), "2.50 ms");
    assert_eq!(Metric::P95.threshold_text(2.5), "2.5 µs");
    assert_eq!(Metric::P95.history_text(2500.0), "2.500 ms");
    assert_eq!(Metric::THROUGHPUT.value_text(99.94), "99.9/s");
    assert_eq!(Metric::THROUGHPUT.threshold_text(100.0), "100.0 req/s");
    assert_eq!(Metric::ERROR_RATE.value_text(1.0), "1.00%");
    assert_eq!(Metric::ERROR_RATE.difference_text(0.5), "+0.50 pt");
    assert_eq!(Metric::ERROR_RATE.absolute_limit_text(1.0), "1 pt");
    assert_eq!(
        Metric::RECEIVED.threshold_text(100.0 * 1024.0 * 1024.0),
        "100.00 MiB/s"
    );
    let headers = Metric::by_threshold("cache_headers").unwrap();
    assert_eq!(headers.value_text(99.5), "99.50%");
    assert_eq!(headers.absolute_limit_text(5.0), "+5.0 pt");
    let speedup = Metric::by_threshold("speedup").unwrap();
    assert_eq!(speedup.value_text(3.0), "3");
    assert_eq!(speedup.value_text(2.5), "2.50");
}

#[test]
fn a_load_test_is_read_for_each_metric() {
    use crate::load::{LoadStats, ProcessFigures};
    let mut load = LoadStats::default();
    load.latency.p95_us = 900;
    load.rps = 120.0;
    load.error_rate_pct = 0.5;
    load.processes = vec![
        ProcessFigures {
            p95_us: 800,
            p99_us: 1000,
            rps: 110.0,
            duration_s: 1.0,
        },
        ProcessFigures {
            p95_us: 1000,
            p99_us: 1200,
            rps: 130.0,
            duration_s: 1.0,
        },
    ];
    assert_eq!(Metric::P95.read_load(&load), Some(900.0));
    assert_eq!(Metric::ERROR_RATE.read_load(&load), Some(0.5));
    assert_eq!(Metric::MEDIAN.read_load(&load), None);
    assert_eq!(Metric::P99.read_process(&load.processes[1]), Some(1200.0));
    assert_eq!(Metric::ERROR_RATE.read_process(&load.processes[1]), None);
}
