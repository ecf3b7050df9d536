//! Load tests against the demo server that cargo perf builds and spawns.

use std::time::{Duration, Instant};

use crate::support::{TempProject, demo_servers};

/// A short CI-sized run of the demo's load tests.
const LOAD_JSON: &[&str] = &[
    "demo/load::",
    "--duration-scale",
    "0.3",
    "--message-format",
    "json",
];

fn edit(project: &TempProject, file: &str, edit: impl FnOnce(String) -> String) {
    let path = project.root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
}

#[test]
fn load_tests_run_against_the_spawned_server_which_is_stopped_afterwards() {
    let project = TempProject::new("demo");
    let output = project.cargo_perf().args(LOAD_JSON).run();
    output.assert_code(0);
    let record = output.record();
    let names: Vec<&str> = record.tests.iter().map(|t| t.id.name.as_str()).collect();
    assert_eq!(names, ["browse_items", "echo_64k", "fast_endpoint", "shop"]);
    for test in &record.tests {
        let load = test
            .load
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no load stats", test.id));
        assert!(load.requests > 0, "{}", test.id);
        assert_eq!(load.error_rate_pct, 0.0, "{}: {:?}", test.id, load.errors);
        assert!(
            load.latency.p50_us <= load.latency.p99_us
                && load.latency.p99_us <= load.latency.max_us
        );
        assert!(
            !load.latency.histogram.is_empty(),
            "the HDR histogram is kept"
        );
        assert!(!load.timeline.is_empty());
        let server = test
            .server
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no server stats", test.id));
        assert!(server.rss_peak_bytes > 0);
        // The bytes of every request and response, per endpoint and in
        // total, and their rates.
        let transfer = &load.transfer;
        assert!(
            transfer.received_bytes > 0
                && transfer.sent_bytes > 0
                && transfer.received_per_s > 0.0
                && transfer.sent_per_s > 0.0,
            "{}: {transfer:?}",
            test.id
        );
        let endpoints = |pick: fn(&perf_record::load::Transfer) -> u64| {
            load.endpoints
                .iter()
                .map(|e| pick(&e.transfer))
                .sum::<u64>()
        };
        assert_eq!(endpoints(|t| t.received_bytes), transfer.received_bytes);
        assert_eq!(endpoints(|t| t.sent_bytes), transfer.sent_bytes);
    }
    // Every echo carries 64 KiB each way, plus a head of well under 512
    // bytes: the bytes are counted once, on the wire.
    let echo = record.tests[1].load.as_ref().unwrap();
    let post = &echo.endpoints[0];
    assert_eq!(post.name, "POST /echo");
    let (requests, body) = (post.latency.count, 64 * 1024);
    for (way, bytes) in [
        ("received", post.transfer.received_bytes),
        ("sent", post.transfer.sent_bytes),
    ] {
        assert!(
            (requests * body..requests * (body + 512)).contains(&bytes),
            "{way} {bytes} bytes for {requests} echoes of {body}"
        );
    }
    // Each process's bytes a second are its echoes a second times the
    // echo's size: the median process of one is the median of the other.
    let (rate, body) = (echo.transfer.received_per_s, body as f64);
    assert!(
        (echo.rps * body..echo.rps * (body + 512.0)).contains(&rate),
        "{rate} B/s received at {} echoes a second",
        echo.rps
    );
    let browse = record.tests[0].load.as_ref().unwrap();
    // /proc counts CPU in 10 ms ticks: a light test's short processes may
    // use less; the closed-model browse test at full speed never does.
    assert!(browse.generator_cpu_s > 0.0, "{}", browse.generator_cpu_s);
    let endpoints: Vec<&str> = browse.endpoints.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        endpoints,
        ["GET /fast", "GET /items?page={n}"],
        "named requests aggregate"
    );
    assert_eq!(
        browse.status_codes.get(&200).copied(),
        Some(browse.requests)
    );
    assert_eq!(browse.workload.model, "closed");
    // Its own thresholds and the package's default error_rate were checked.
    let checked: Vec<&str> = record.tests[0]
        .thresholds
        .iter()
        .map(|t| t.threshold.metric.threshold_name())
        .collect();
    assert_eq!(checked, ["p95", "error_rate"]);
    let fast = record.tests[2].load.as_ref().unwrap();
    assert_eq!(fast.workload.model, "open");
    assert!(
        fast.raw_latency.is_some(),
        "the open model reports the uncorrected latency too"
    );
    // 200 a second for 4 s x 0.3.
    assert!((200..=260).contains(&fast.requests), "{}", fast.requests);
    // The requirement a threshold checks is named in the record.
    let named: Vec<_> = record.tests[2]
        .thresholds
        .iter()
        .map(|t| t.threshold.name.as_deref())
        .collect();
    assert_eq!(named, [Some("Requirement 9.3"), None, None]);
    let log = crate::support::shared_target_dir().join("perf/server.log");
    assert!(
        std::fs::read_to_string(log)
            .unwrap()
            .contains("listening on")
    );
    assert!(
        demo_servers(&project).is_empty(),
        "no server is left running: {:?}",
        demo_servers(&project)
    );
}

#[test]
fn a_missed_threshold_exits_11_and_shows_value_and_limit() {
    let project = TempProject::new("demo");
    edit(&project, "Cargo.toml", |t| {
        t.replace(
            "error_rate = \"1%\"",
            "error_rate = \"1%\"\np95 = \"1us\"\nreceived = \">= 1000GiB/s\"",
        )
    });
    let output = project
        .cargo_perf()
        .args(&["demo/load::echo", "--duration-scale", "0.3"])
        .run();
    output.assert_code(11);
    let line = output
        .stdout
        .lines()
        .find(|l| l.contains("threshold p95 <= 1us MISSED"))
        .unwrap_or_else(|| panic!("{}", output.stdout));
    assert!(
        line.contains("measured") && line.contains("limit 1 µs"),
        "{line}"
    );
    let line = output
        .stdout
        .lines()
        .find(|l| l.contains("threshold received >= 1000GiB/s MISSED"))
        .unwrap_or_else(|| panic!("{}", output.stdout));
    assert!(
        line.contains("MiB/s, limit 1000.00 GiB/s"),
        "measured in MiB/s: {line}"
    );
    assert!(
        output
            .stderr
            .contains("missed an SLA threshold: demo/load::echo_64k"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_server_binary_that_does_not_exist_lists_the_real_ones() {
    let project = TempProject::new("demo");
    edit(&project, "Cargo.toml", |t| {
        t.replace("bin = \"demo-server\"", "bin = \"no-such-server\"")
    });
    let output = project.cargo_perf().args(LOAD_JSON).run();
    output.assert_code(5);
    assert!(
        output.stderr.contains("`no-such-server`"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("its binaries are: demo-server"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_server_that_never_gets_ready_exits_5_with_its_log() {
    let project = TempProject::new("demo");
    edit(&project, "Cargo.toml", |t| {
        t.replace("ready = \"/health\"", "ready = \"/never\"")
            .replace("startup-timeout = \"30s\"", "startup-timeout = \"1s\"")
    });
    let started = Instant::now();
    let output = project.cargo_perf().args(LOAD_JSON).run();
    output.assert_code(5);
    assert!(
        output.stderr.contains("did not answer GET /never"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("the end of the server's log"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("listening on"), "{}", output.stderr);
    assert!(started.elapsed() < Duration::from_secs(120));
    assert!(demo_servers(&project).is_empty());
}

#[test]
fn a_server_that_crashes_mid_test_exits_5() {
    let project = TempProject::new("demo");
    edit(&project, "benches/load.rs", |t| {
        t + r#"
#[perf_test(load(users = 1, hold = "2s"))]
async fn crash(user: &mut User) -> perf_runtime::Result<()> {
    let _ = user.get("/crash").await;
    Ok(())
}
"#
    });
    let output = project.cargo_perf().args(&["demo/load::crash"]).run();
    output.assert_code(5);
    assert!(
        output.stderr.contains("the server exited"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("/crash requested"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_taken_port_is_named() {
    let project = TempProject::new("demo");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    edit(&project, "Cargo.toml", |t| {
        t.replace(
            "ready = \"/health\"",
            &format!("ready = \"/health\"\nport = {port}"),
        )
    });
    let output = project.cargo_perf().args(LOAD_JSON).run();
    output.assert_code(5);
    assert!(
        output
            .stderr
            .contains(&format!("port {port} on 127.0.0.1 is taken")),
        "{}",
        output.stderr
    );
}

#[test]
fn a_think_time_longer_than_the_test_is_refused() {
    let project = TempProject::new("demo");
    edit(&project, "benches/load.rs", |t| {
        t + r#"
#[perf_test(load(users = 1, hold = "1s", think = "5s"))]
async fn dawdle(user: &mut User) -> perf_runtime::Result<()> {
    user.think().await;
    Ok(())
}
"#
    });
    let output = project
        .cargo_perf()
        .args(&["demo/load::dawdle", "--message-format", "json"])
        .run();
    output.assert_code(10);
    let record = output.record();
    let perf_record::TestOutcome::Failed { message } = &record.tests[0].outcome else {
        panic!("{:?}", record.tests[0]);
    };
    assert!(message.contains("think time"), "{message}");
}

#[test]
fn a_remote_target_is_refused_without_the_opt_in() {
    let project = TempProject::new("demo");
    let output = project
        .cargo_perf()
        .args(&["demo/load::", "--target-url", "http://192.0.2.1:8080"])
        .run();
    output.assert_code(2);
    assert!(
        output.stderr.contains("not a loopback address"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("--allow-remote"),
        "{}",
        output.stderr
    );
}

#[test]
fn cargo_test_reports_load_tests_ignored_without_a_target() {
    let project = TempProject::new("demo");
    let output = project.cargo(&["test", "--bench", "load"]);
    output.assert_code(0);
    assert!(
        output.stdout.contains("0 passed; 0 failed; 4 ignored"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("PERF_TARGET_URL"),
        "the reason is shown: {}",
        output.stdout
    );
}

/// Runs a load test, sends cargo perf `signal` while the server runs, and
/// checks that cargo perf exits 130 and leaves no server.

#[test]
fn load_metrics_take_part_in_baselines() {
    let project = TempProject::new("demo");
    let base = project.root().join("load.json");
    let base = base.to_str().unwrap();
    project
        .cargo_perf()
        .args(&[
            "demo/load::echo",
            "--duration-scale",
            "0.3",
            "--save-baseline",
            base,
        ])
        .run()
        .assert_code(0);
    let output = project
        .cargo_perf()
        .args(&[
            "demo/load::echo",
            "--duration-scale",
            "0.3",
            "--compare",
            base,
            "--threshold",
            "1000%",
        ])
        .args(&["--message-format", "json"])
        .run();
    output.assert_code(0);
    // The baseline keeps the bytes each way.
    let saved = perf_record::RunRecord::from_json(&std::fs::read_to_string(base).unwrap()).unwrap();
    let transfer = saved.tests[0].load.as_ref().unwrap().transfer;
    assert!(
        transfer.received_bytes > 0 && transfer.sent_bytes > 0,
        "{transfer:?}"
    );
    let metrics: Vec<String> = output.message("comparison")["comparison"]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["metric"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(metrics, ["p95_us", "p99_us", "rps", "error_rate_pct"]);
}

#[test]
fn cargo_test_smoke_runs_load_tests_against_perf_target_url() {
    let project = TempProject::new("demo");
    project
        .cargo(&["build", "-q", "-p", "demo-server"])
        .assert_code(0);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let binary = crate::support::shared_target_dir().join("debug/demo-server");
    let mut server = std::process::Command::new(binary)
        .args(["--port", &port.to_string()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the demo server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = project.cargo_with_env(&["test", "--bench", "load"], &[("PERF_TARGET_URL", &url)]);
    let _ = server.kill();
    let _ = server.wait();
    output.assert_code(0);
    assert!(
        output.stdout.contains("4 passed; 0 failed; 0 ignored"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_fresh_server_per_test_on_request() {
    let project = TempProject::new("demo");
    let log = crate::support::shared_target_dir().join("perf/server.log");
    let started = |args: &[&str]| {
        project.cargo_perf().args(args).run().assert_code(0);
        std::fs::read_to_string(&log)
            .unwrap()
            .matches("listening on")
            .count()
    };
    let two_tests = [
        "demo/load::echo",
        "demo/load::fast",
        "--duration-scale",
        "0.2",
        "--processes",
        "2",
    ];
    assert_eq!(started(&two_tests), 1, "one server per run by default");
    edit(&project, "Cargo.toml", |t| {
        t.replace(
            "ready = \"/health\"",
            "ready = \"/health\"\nrestart = \"per-test\"",
        )
    });
    assert_eq!(
        started(&two_tests),
        4,
        "restart = \"per-test\": a fresh server for each process of each test"
    );
    assert!(demo_servers(&project).is_empty());
}

#[test]
fn a_server_behind_a_wrapper_script_is_stopped_with_it() {
    let project = TempProject::new("demo");
    project
        .cargo(&["build", "-q", "-p", "demo-server"])
        .assert_code(0);
    let binary = crate::support::shared_target_dir().join("debug/demo-server");
    // The server runs as the wrapper's child (no exec), as in a script
    // that sets things up first; stopping only the wrapper would leave it.
    std::fs::write(
        project.root().join("run.sh"),
        "\"$DEMO_SERVER\" \"$@\" &\necho $! > server.pid\nwait\n",
    )
    .unwrap();
    project.edit(
        "Cargo.toml",
        "bin = \"demo-server\"",
        "command = [\"sh\", \"./run.sh\"]",
    );
    let output = project
        .cargo_perf()
        .env("DEMO_SERVER", binary.to_str().unwrap())
        .args(&["demo/load::fast", "--duration-scale", "0.1"])
        .run();
    let pid = std::fs::read_to_string(project.root().join("server.pid")).unwrap();
    let pid = pid.trim();
    // Only the server this test started, and not a zombie that init has
    // yet to wait for.
    let running = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.contains("demo-server") && !stat.contains(") Z "));
    if running {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", pid])
            .status();
    }
    output.assert_code(0);
    assert!(!running, "the server behind the wrapper still runs");
}
