//! The ways a run could pass without measuring anything: a server that
//! never answers, a load test that panics, a benchmark that never ends.

use std::net::TcpListener;

use perf_record::TestOutcome;

use crate::support::TempProject;

/// A server on loopback that accepts connections and never answers; its
/// URL. The connections are held until the test process ends.
fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().collect();
        drop(held);
    });
    url
}

fn failure(test: &perf_record::TestRecord) -> &str {
    match &test.outcome {
        TestOutcome::Failed { message } => message,
        TestOutcome::Passed => panic!("{} passed: {test:?}", test.id),
    }
}

#[test]
fn a_server_that_never_answers_fails_the_test_and_its_thresholds() {
    let project = TempProject::new("demo");
    let url = silent_server();
    let output = project
        .cargo_perf()
        .args(&["demo/load::browse_items", "--target-url", &url])
        .args(&["--duration-scale", "0.2", "--message-format", "json"])
        .run();
    // A failed test (10), not a missed threshold (11): there is no value
    // to hold against a limit, and a test without thresholds fails too.
    output.assert_code(10);
    let record = output.record();
    let test = &record.tests[0];
    let message = failure(test);
    assert!(message.contains("no response measured"), "{message}");
    let load = test.load.as_ref().expect("the figures are kept");
    assert_eq!(load.latency.count, 0);
    assert_eq!(load.requests, 8, "one request in flight per user");
    assert_eq!(load.error_rate_pct, 100.0);
    assert_eq!(
        load.errors[&perf_record::load::RequestErrorKind::Timeout].count,
        8,
        "{:?}",
        load.errors
    );
    let p95 = test
        .thresholds
        .iter()
        .find(|t| t.threshold.metric.threshold_name() == "p95")
        .unwrap();
    assert!(!p95.passed && p95.unmeasured, "{p95:?}");
    assert!(test.thresholds.iter().all(|t| !t.passed));
    assert_eq!(output.summary_names("failed"), ["browse_items"]);
    assert_eq!(output.summary_names("thresholds_missed"), ["browse_items"]);
}

#[test]
fn a_workload_scaled_to_nothing_fails_rather_than_meets_its_thresholds() {
    let project = TempProject::new("demo");
    let url = silent_server();
    let output = project
        .cargo_perf()
        .args(&["demo/load::browse_items", "--target-url", &url])
        .args(&["--duration-scale", "1e-9"])
        .run();
    output.assert_code(10);
    assert!(
        output
            .stdout
            .contains("failed: no response measured: no request was sent in the workload's"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains(
            "threshold p95 <= 50ms MISSED: measured nothing (no response to judge it on)"
        ),
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains(" met:"), "{}", output.stdout);
}

#[test]
fn a_load_test_that_panics_exits_10_with_the_panic() {
    let project = TempProject::new("demo");
    project.edit(
        "benches/load.rs",
        "perf_runtime::main!();",
        r#"#[perf_test(load(users = 2, hold = "2s"))]
async fn boom(user: &mut User) -> perf_runtime::Result<()> {
    let _ = user.id();
    panic!("boom");
}

perf_runtime::main!();"#,
    );
    let url = silent_server();
    let output = project
        .cargo_perf()
        .args(&["demo/load::boom", "--target-url", &url])
        .args(&["--message-format", "json"])
        .run();
    output.assert_code(10);
    let record = output.record();
    let message = failure(&record.tests[0]);
    assert!(
        message.contains("a virtual user panicked: boom"),
        "{message}"
    );
    assert!(message.contains("benches/load.rs"), "{message}");
    assert_eq!(output.summary_names("failed"), ["boom"]);
}

#[test]
fn a_benchmark_that_never_returns_is_killed_at_its_limit_and_fails() {
    let project = TempProject::new("demo");
    project.add_a_benchmark_that_never_returns();
    let output = project
        .cargo_perf()
        .args(&["demo/perf::never_returns", "demo/perf::checksum_64k"])
        .args(&["--warm-up-time", "50ms", "--measurement-time", "100ms"])
        .args(&["--processes", "1", "--test-timeout", "2s"])
        .run_within(std::time::Duration::from_secs(600));
    output.assert_code(10);
    assert!(
        output
            .stdout
            .contains("never_returns failed: timed out after 2 s and was killed (the limit --test-timeout set)"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stderr
            .contains("1 perf test(s) failed: demo/perf::never_returns"),
        "{}",
        output.stderr
    );
    // The other test still ran.
    assert!(output.stdout.contains("checksum_64k"), "{}", output.stdout);
}

#[test]
fn a_load_test_whose_every_request_fails_misses_the_default_error_rate() {
    let project = TempProject::new("demo");
    // The demo sets its own default; a project that sets none gets cargo
    // perf's.
    project.edit(
        "Cargo.toml",
        "[package.metadata.perf.thresholds]\nerror_rate = \"1%\"\n",
        "",
    );
    project.edit(
        "benches/load.rs",
        "perf_runtime::main!();",
        r#"#[perf_test(load(users = 2, hold = "1s"))]
async fn all_errors(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/flaky?error_rate=1").await?;
    Ok(())
}

perf_runtime::main!();"#,
    );
    let output = project
        .cargo_perf()
        .args(&["demo/load::all_errors", "--message-format", "json"])
        .run();
    output.assert_code(11);
    let record = output.record();
    let error_rate = record.tests[0]
        .thresholds
        .iter()
        .find(|t| t.threshold.metric.threshold_name() == "error_rate")
        .expect("a default error-rate threshold");
    assert!(!error_rate.passed, "{error_rate:?}");
    assert_eq!(error_rate.threshold.text, "error_rate <= 5%");
    assert!(
        error_rate
            .threshold
            .name
            .as_deref()
            .is_some_and(|name| name.contains("default")),
        "{error_rate:?}"
    );
    assert_eq!(output.summary_names("thresholds_missed"), ["all_errors"]);
}
