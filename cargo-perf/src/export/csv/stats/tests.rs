//! The stats and failures files read back with the csv crate's reader,
//! by Locust's column names.

use std::collections::HashMap;

use super::*;
use crate::sample;

/// Locust's `_stats.csv` header, as Locust 2 writes it.
const LOCUST_HEADER: &str = "Type,Name,Request Count,Failure Count,Median Response Time,\
Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,\
Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";

fn read(text: &str) -> Vec<HashMap<String, String>> {
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn rows_for_the_test_its_endpoints_and_the_aggregate() {
    let record = sample::record();
    let text = render_stats(&Source {
        record: &record,
        comparison: None,
        history: None,
    });
    assert_eq!(text.lines().next().unwrap(), LOCUST_HEADER);
    let rows = read(&text);
    let names: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["Type"].as_str(), r["Name"].as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("", "demo/load::browse_catalog"),
            ("GET", "demo/load::browse_catalog /items?page=1"),
            ("POST", "demo/load::browse_catalog /orders, \"bulk\""),
            ("", "Aggregated"),
        ]
    );
    let test = &rows[0];
    assert_eq!(test["Request Count"], "100");
    assert_eq!(test["Failure Count"], "3");
    assert_eq!(test["Requests/s"], "50.000");
    assert_eq!(test["Failures/s"], "1.500");
    assert_eq!(test["Average Content Size"], "1000");
    // 1..=100 ms, from the histogram: p66 is not in the summary.
    let p66: f64 = test["66%"].parse().unwrap();
    assert!((p66 - 66.0).abs() < 0.1, "{p66}");
    assert_eq!(test["Min Response Time"], "1.000");
    let post = &rows[2];
    assert_eq!(post["Request Count"], "50");
    assert_eq!(post["Failure Count"], "3");
    let p50: f64 = post["50%"].parse().unwrap();
    assert!((p50 - 75.0).abs() < 0.1, "{p50}");
    // One load test: the aggregate is the test.
    let aggregated = &rows[3];
    for column in ["Request Count", "Median Response Time", "99.99%", "100%"] {
        assert_eq!(aggregated[column], test[column], "{column}");
    }
}

#[test]
fn without_histograms_the_aggregate_says_na_rather_than_guess() {
    let mut record = sample::record();
    let mut second = sample::load_test();
    second.id.name = "checkout".into();
    second.load.as_mut().unwrap().latency.histogram = String::new();
    record.tests.push(second);
    let text = render_stats(&Source {
        record: &record,
        comparison: None,
        history: None,
    });
    let rows = read(&text);
    let aggregated = rows.last().unwrap();
    assert_eq!(aggregated["Name"], "Aggregated");
    assert_eq!(aggregated["Request Count"], "200");
    assert_eq!(aggregated["Requests/s"], "50.000");
    assert_eq!(aggregated["95%"], "N/A");
    assert_eq!(aggregated["Median Response Time"], "N/A");
    assert_eq!(
        aggregated["Max Response Time"],
        rows[0]["Max Response Time"]
    );
    // The test without a histogram still shows the percentiles it has.
    let checkout = rows
        .iter()
        .find(|r| r["Name"] == "demo/load::checkout")
        .unwrap();
    assert_eq!(checkout["66%"], "N/A");
    assert_ne!(checkout["95%"], "N/A");
}

#[test]
fn a_run_without_load_tests_has_an_empty_aggregate() {
    let record = perf_record::RunRecord {
        tests: vec![sample::bench("a", 1.0)],
        ..sample::record()
    };
    let source = Source {
        record: &record,
        comparison: None,
        history: None,
    };
    let rows = read(&render_stats(&source));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["Request Count"], "0");
    assert_eq!(rows[0]["50%"], "N/A");
    assert_eq!(read(&render_failures(&source)).len(), 0);
}

#[test]
fn failures_are_counted_by_kind_with_their_message() {
    let record = sample::record();
    let text = render_failures(&Source {
        record: &record,
        comparison: None,
        history: None,
    });
    assert_eq!(
        text.lines().next().unwrap(),
        "Method,Name,Error,Occurrences"
    );
    let rows = read(&text);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["Name"], "demo/load::browse_catalog");
    assert_eq!(
        rows[0]["Error"],
        "status: POST /orders: expected status 200, got 503"
    );
    assert_eq!(rows[0]["Occurrences"], "3");
}

#[test]
fn two_load_tests_aggregate_through_their_histograms() {
    let mut record = sample::record();
    let mut fast = sample::load_test();
    fast.id.name = "fast".into();
    let load = fast.load.as_mut().unwrap();
    load.latency = sample::latency(&[1_000; 300]);
    load.requests = 300;
    record.tests.push(fast);
    let rows = read(&render_stats(&Source {
        record: &record,
        comparison: None,
        history: None,
    }));
    let aggregated = rows.last().unwrap();
    assert_eq!(aggregated["Request Count"], "400");
    // 300 requests at 1 ms and 100 at 1..=100 ms: the median is 1 ms,
    // the 80th percentile 20 ms, the maximum 100 ms.
    assert_eq!(aggregated["50%"], "1.000");
    let p80: f64 = aggregated["80%"].parse().unwrap();
    assert!((p80 - 20.0).abs() < 0.1, "{p80}");
    let max: f64 = aggregated["100%"].parse().unwrap();
    assert!((max - 100.0).abs() < 0.1, "{max}");
    assert_eq!(aggregated["Requests/s"], "100.000");
}

#[test]
fn a_test_s_failure_count_is_every_failure_failures_csv_lists() {
    // Failed checks belong to no endpoint: the test's and the aggregate's
    // Failure Count still count them, as `_failures.csv` does.
    let mut record = sample::record();
    let load = record
        .tests
        .iter_mut()
        .find_map(|t| t.load.as_mut())
        .unwrap();
    for endpoint in &mut load.endpoints {
        endpoint.errors = 0;
    }
    let listed: u64 = load.errors.values().map(|e| e.count).sum();
    assert!(listed > 0);
    let source = Source {
        record: &record,
        comparison: None,
        history: None,
    };
    let rows = read(&render_stats(&source));
    let test = rows
        .iter()
        .find(|r| r["Name"] == "demo/load::browse_catalog")
        .unwrap();
    assert_eq!(test["Failure Count"], listed.to_string());
    let aggregated = rows.iter().find(|r| r["Name"] == "Aggregated").unwrap();
    assert_eq!(aggregated["Failure Count"], listed.to_string());
}
