//! The page drawn from a hand-built record with a comparison: one file
//! with nothing to fetch, every chart with marks, every string from the
//! record escaped, the verdict, findings, forest plot and each kind's
//! charts in place.

use std::collections::BTreeMap;

use perf_record::finding::{Finding, Warning};
use perf_record::kinds::Kind;
use perf_record::load::{EndpointStats, LevelStats, LoadStats, Second, ServerStats, SweepStats};
use perf_record::metric::Metric;
use perf_record::threshold::Threshold;
use perf_record::{BenchStats, Environment, RunRecord, TestId, TestKind, TestRecord};

use super::percentiles::tests::summary_of;
use super::render;
use crate::export::Source;
use crate::verdict::compare::{CompareMode, Comparison, TestComparison, Verdict};
use crate::verdict::estimate::ChangeEstimate;

/// A name with every character HTML treats specially.
const HOSTILE: &str = "<script>alert('x')</script> & \"quoted\"";

fn id(name: &str) -> TestId {
    crate::sample::id("perf", name)
}

fn test(name: &str, kind: TestKind) -> TestRecord {
    crate::sample::test("perf", name, kind)
}

/// A benchmark with 300 samples around `median_ns`.
fn bench(name: &str, median_ns: f64) -> TestRecord {
    let samples_ns: Vec<f64> = (0..300)
        .map(|i| median_ns * (0.95 + f64::from(i % 17) / 100.0))
        .collect();
    TestRecord {
        stats: BenchStats::from_samples(&samples_ns, 64),
        samples_ns,
        ..test(name, TestKind::Bench)
    }
}

/// A 20-second load test whose endpoint has a hostile name, its server
/// sampled, one threshold met and one missed.
fn load_test() -> TestRecord {
    let mut latencies: Vec<u64> = (0..2_000).map(|i| 1_000 + i % 700).collect();
    latencies.extend([25_000, 40_000, 90_000]);
    let latency = summary_of(&latencies);
    let load = LoadStats {
        duration_s: 20.0,
        requests: 2_003,
        rps: 100.0,
        latency: latency.clone(),
        endpoints: vec![EndpointStats {
            name: HOSTILE.into(),
            rps: 100.0,
            errors: 0,
            latency,
            transfer: Default::default(),
            protocol: None,
        }],
        timeline: (0..20)
            .map(|t| Second {
                histogram: String::new(),
                part: 0,
                t,
                requests: 100,
                errors: u64::from(t % 7 == 0),
                p50_us: 1_300,
                p95_us: 1_650,
                p99_us: 1_690 + u64::from(t) * 10,
                active: 4,
            })
            .collect(),
        generator_cpu_pct: 95.0,
        warnings: vec![Warning::GeneratorSaturated {
            cpu_pct: 95.0,
            threads: 1,
        }],
        ..LoadStats::default()
    };
    let thresholds = [
        (Metric::P95.threshold_name(), "200ms", None),
        (Metric::P99.threshold_name(), "1ms", Some("SLA <p99> 4.2")),
    ]
    .into_iter()
    .map(|(metric, limit, name)| {
        Threshold::declared(metric, limit, name)
            .unwrap()
            .check(&load)
    })
    .collect();
    TestRecord {
        load: Some(load),
        server: Some(ServerStats {
            samples: (0..80)
                .map(|i| (f64::from(i) / 4.0, f64::from(i % 9) * 10.0, 30 << 20))
                .collect(),
            ..ServerStats::default()
        }),
        thresholds,
        ..test("browse", TestKind::Load)
    }
}

/// A stress sweep that broke at 16 users.
fn stress_test() -> TestRecord {
    let level = |users: u32, p95_us: u64, missed: &[&str]| LevelStats {
        level: u64::from(users),
        users,
        requests: 100,
        rps: f64::from(users) * 50.0,
        p50_us: p95_us / 2,
        p95_us,
        p99_us: p95_us * 2,
        missed: missed.iter().map(|m| (*m).to_owned()).collect(),
        ..LevelStats::default()
    };
    let sweep = SweepStats::of(
        Kind::Stress,
        vec![
            level(1, 3_000, &[]),
            level(4, 6_000, &[]),
            level(16, 240_000, &["p95 <= 50ms"]),
        ],
        BTreeMap::from([("breaking_point".to_owned(), 4.0)]),
        vec![Finding::BreakingPoint {
            users: 4,
            broke_at: 16,
            missed: vec!["p95 <= 50ms".into()],
        }],
    );
    TestRecord {
        load: Some(LoadStats {
            sweep: Some(sweep),
            ..LoadStats::default()
        }),
        ..test("stress", TestKind::Load)
    }
}

fn metric(
    name: &str,
    metric: Metric,
    change_pct: f64,
    ci_pct: [f64; 2],
    verdict: Verdict,
) -> TestComparison {
    TestComparison {
        id: id(name),
        metric,
        verdict,
        higher_is_better: false,
        baseline_value: Some(1_000.0),
        current_value: Some(1_000.0 * (1.0 + change_pct / 100.0)),
        change_pct: Some(change_pct),
        estimate: Some(ChangeEstimate {
            change_pct,
            ci_pct,
            p_higher: 0.5,
            p_lower: 0.5,
            n: 3,
            history_runs: None,
            df: 4.0,
            se_log: 0.0,
            shift_pct: None,
        }),
        baseline_interval: None,
        current_interval: None,
        threshold_pct: 10.0,
        confirmation: None,
        config_diff: None,
        stopped: None,
    }
}

fn record() -> RunRecord {
    RunRecord {
        split: None,
        shard: None,
        schema_version: perf_record::record::SCHEMA_VERSION,
        cargo_perf_version: "0.1.0".into(),
        created_unix_s: 1_700_000_000,
        created_utc: "2023-11-14T22:13:20Z".into(),
        environment: Environment {
            host: "ci-runner".into(),
            ..Environment::default()
        },
        tests: vec![
            bench("checksum", 52_000.0),
            bench(HOSTILE, 900.0),
            load_test(),
            stress_test(),
        ],
    }
}

fn comparison() -> Comparison {
    Comparison {
        mode: CompareMode::Baseline,
        baseline_path: "target/perf/baselines/main.json".into(),
        baseline_created_utc: "2023-11-13T10:00:00Z".into(),
        baseline_git_commit: None,
        environment_differences: Vec::new(),
        tests: vec![
            metric(
                "checksum",
                Metric::MEDIAN,
                84.0,
                [71.0, 97.0],
                Verdict::Regressed,
            ),
            metric(
                HOSTILE,
                Metric::MEDIAN,
                1.2,
                [-2.0, 4.5],
                Verdict::Unchanged,
            ),
        ],
        only_in_baseline: vec![id("gone")],
        only_in_current: Vec::new(),
        noise_floor_pct: Some(3.2),
        noise_warnings: Vec::new(),
        shift: None,
    }
}

#[test]
fn the_page_with_a_comparison() {
    let (record, comparison) = (record(), comparison());
    let html = render(&Source {
        record: &record,
        comparison: Some(&comparison),
        history: None,
    });
    assert!(html.starts_with("<!doctype html>") && html.ends_with("</html>\n"));
    // Self-contained: nothing to fetch (the SVG namespace is a name, not
    // a request).
    let fetches = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for fetch in ["http://", "https://", " src=", "url(", "@import", "<link"] {
        assert!(!fetches.contains(fetch), "{fetch} in the page");
    }
    // Every string from the record is escaped.
    assert!(!html.contains("<script>alert"), "an unescaped test name");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;")
    );
    // The requirement a threshold checks is named in its row.
    assert!(
        html.contains("<td>SLA &lt;p99&gt; 4.2: p99 &lt;= 1ms</td>"),
        "{html}"
    );
    // The verdict, the findings with what to do, the contents.
    assert!(
        html.contains("FAILED: 1 missed a threshold, 1 regressed"),
        "{html}"
    );
    for finding in [
        "demo/perf::checksum median regressed: 1.000 µs -&gt; 1.840 µs, +84.0% (95% interval +71.0% .. +97.0%), beyond its 10% threshold",
        "demo/perf::browse missed its threshold SLA &lt;p99&gt; 4.2: p99 &lt;= 1ms",
        "the load generator used 95% of its threads",
        "demo/perf::gone is only in the baseline",
        "demo/perf::stress: the server held every threshold up to 4 users",
    ] {
        assert!(html.contains(finding), "no finding {finding:?}");
    }
    assert_eq!(
        html.matches("What to do: ").count(),
        5,
        "one recommendation per finding"
    );
    assert!(html.contains(r##"<a href="#comparison">"##) && html.contains(r#"id="test-3""#));
    // The charts: two per benchmark, the forest plot, four of the load
    // test (throughput, latency, users, server CPU and memory, the
    // distribution) and two of the stress sweep.
    let charts: Vec<&str> = html.split(r#"<svg class="chart""#).skip(1).collect();
    assert_eq!(charts.len(), 2 * 2 + 1 + 6 + 2, "{html}");
    for chart in &charts {
        let chart = &chart[..chart.find("</svg>").unwrap()];
        assert!(
            chart.contains(r#"class="mark""#),
            "a chart without marks: {chart}"
        );
    }
    for title in [
        "Changes with their 95% intervals",
        "Latency by percentile",
        "Server resident memory",
        "p95 latency by level",
        "Distribution of the samples",
    ] {
        assert!(
            html.contains(&format!("<title>{title}</title>")),
            "no chart {title:?}"
        );
    }
    // The regression is red in the table and the forest plot, with its
    // threshold marked.
    assert!(
        html.contains(r#"<tr class="fail"><td>checksum</td><td>median</td>"#),
        "{html}"
    );
    assert!(html.contains("threshold +10% worse"));
    assert!(html.contains("breaking point: 4"));
    // The checking script is there, after the charts.
    assert!(html.contains("data-charts-drawn") && html.contains("window.onerror"));
}

#[test]
fn a_passing_run_without_a_comparison_says_so() {
    let record = RunRecord {
        tests: vec![bench("checksum", 52_000.0)],
        ..record()
    };
    let html = render(&Source {
        record: &record,
        comparison: None,
        history: None,
    });
    assert!(html.contains(r#"<p class="verdict">PASSED</p>"#), "{html}");
    assert!(html.contains("Nothing to report"));
    assert!(!html.contains(r#"id="comparison""#));
}

#[test]
fn the_history_of_the_baseline_is_charted_with_its_steps() {
    use crate::history::{History, Point, SavedRun, Series, Step, TestHistory};
    let record = RunRecord {
        tests: vec![bench("checksum", 52_000.0)],
        ..record()
    };
    let runs = (0..6)
        .map(|i| SavedRun {
            file: format!("2026120{i}T000000Z-c0ffee000{i}.json"),
            created_utc: format!("2026-12-0{}T00:00:00Z", i + 1),
            created_unix_s: 1_796_000_000 + i * 86_400,
            git_commit: Some(format!("c0ffee000{i}{}", "0".repeat(30))),
            git_dirty: false,
            host: String::new(),
            calibration: None,
        })
        .collect();
    let points = (0..6)
        .map(|run| {
            let value = if run < 3 { 25_000.0 } else { 50_000.0 };
            Point {
                run,
                value,
                interval: Some([value * 0.99, value * 1.01]),
                setup: Default::default(),
            }
        })
        .collect();
    let history = History {
        dir: "target/perf/baselines/main".into(),
        runs,
        tests: vec![TestHistory {
            id: id("checksum"),
            kind: TestKind::Bench,
            series: vec![Series {
                metric: Metric::MEDIAN,
                unit: Metric::MEDIAN.unit.symbol(),
                higher_is_better: false,
                points,
                steps: vec![Step {
                    run: 3,
                    previous_run: 2,
                    before: 25_000.0,
                    after: 50_000.0,
                    change: 100.0,
                    worse: true,
                    effect: 40.0,
                    p_value: 1e-4,
                }],
            }],
        }],
        unreadable: Vec::new(),
    };
    let html = render(&Source {
        record: &record,
        comparison: None,
        history: Some(("main <x>", &history)),
    });
    assert!(
        html.contains(r##"<a href="#history">History</a>"##),
        "{html}"
    );
    assert!(
        html.contains("<h2>History of main &lt;x&gt;</h2>"),
        "{html}"
    );
    assert!(html.contains("6 saved run(s)"), "{html}");
    // The step is marked at the commit where it happened, in red (worse).
    assert!(html.contains("+100.0% at c0ffee0003"), "{html}");
    // Each run is a dot whose tooltip names its commit and interval.
    assert!(
        html.contains("2026-12-04T00:00:00Z c0ffee0003: 50 µs [49.5 µs .. 50.5 µs]"),
        "{html}"
    );
}

#[test]
fn a_test_measured_in_processes_draws_each_over_its_own_time() {
    // Three processes of a 2-second workload at 8 users, end to end, as a
    // plain run's merge lays them, each process's server sampled.
    let mut test = load_test();
    let load = test.load.as_mut().unwrap();
    load.timeline = (0..6)
        .map(|t| Second {
            t,
            part: t / 2,
            requests: 100,
            p50_us: 1_000,
            p95_us: 1_200,
            p99_us: 1_300,
            active: 8,
            ..Second::default()
        })
        .collect();
    load.processes = vec![
        perf_record::load::ProcessFigures {
            duration_s: 2.0,
            ..Default::default()
        };
        3
    ];
    test.server.as_mut().unwrap().samples = (0..24)
        .map(|i| (f64::from(i) / 4.0, 50.0, 30 << 20))
        .collect();
    let record = RunRecord {
        tests: vec![test],
        ..record()
    };
    let html = render(&Source {
        record: &record,
        comparison: None,
        history: None,
    });
    let users = html
        .split("<title>Active users</title>")
        .nth(1)
        .and_then(|rest| rest.split("</svg>").next())
        .expect("an Active users chart");
    // One line per process, never through zero, and the boundaries marked.
    assert_eq!(users.matches("<polyline").count(), 3, "{users}");
    assert!(
        users.contains("run 2") && users.contains("run 3"),
        "{users}"
    );
    let server = html
        .split("<title>Server CPU</title>")
        .nth(1)
        .and_then(|rest| rest.split("</svg>").next())
        .expect("a server CPU chart");
    assert_eq!(server.matches("<polyline").count(), 3, "{server}");
}
