//! A load split over local processes as a Kubernetes Indexed Job runs it:
//! N `cargo perf --split N` processes, each told its share by
//! `JOB_COMPLETION_INDEX`, against one demo server, starting at one
//! instant. Their requests add up to one whole run's schedule (open
//! model) and their users to its users (closed model).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use perf_record::{RunRecord, TestRecord};

use crate::support::{TempProject, shared_target_dir};

/// Shares of the split.
const N: u32 = 3;
/// The tests: an open model (200/s for 4 s) and a closed one (8 users).
const TESTS: [&str; 2] = ["demo/load::fast_endpoint", "demo/load::browse_items"];
/// Every process stops by itself well within this, build included.
const LIMIT: Duration = Duration::from_secs(240);

/// The demo server on a free loopback port, killed when dropped.
struct DemoServer {
    child: std::process::Child,
    url: String,
}

impl DemoServer {
    fn start(project: &TempProject) -> Self {
        project
            .cargo(&["build", "-q", "-p", "demo-server"])
            .assert_code(0);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(shared_target_dir().join("debug/demo-server"))
            .args(["--port", &port.to_string()])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the demo server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn test<'a>(record: &'a RunRecord, name: &str) -> &'a TestRecord {
    record
        .tests
        .iter()
        .find(|t| t.id.name == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", crate::support::names(record)))
}

/// A test's iterations scheduled: started, or dropped for a full cap.
fn scheduled(record: &RunRecord, name: &str) -> u64 {
    let load = test(record, name).load.as_ref().unwrap();
    load.iterations + load.dropped_iterations
}

/// The most users a test had running in any second.
fn peak_users(record: &RunRecord, name: &str) -> u64 {
    let load = test(record, name).load.as_ref().unwrap();
    load.timeline.iter().map(|s| s.active).max().unwrap_or(0)
}

#[test]
fn shares_of_an_indexed_job_add_up_to_one_whole_run() {
    let project = TempProject::new("demo");
    let server = DemoServer::start(&project);
    let common = |command: crate::support::CargoPerf| {
        command
            .args(&TESTS)
            .args(&["--target-url", &server.url, "--duration-scale", "0.5"])
            .args(&["--message-format", "json"])
    };
    // Built once, so that every share reaches its start in time.
    project.cargo_perf().args(&["--list"]).run().assert_code(0);
    let lead = Duration::from_secs(20);
    let start = (SystemTime::now() + lead)
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let began = Instant::now();
    let shares: Vec<RunRecord> = std::thread::scope(|scope| {
        let running: Vec<_> = (0..N)
            .map(|index| {
                let command = common(project.cargo_perf())
                    .args(&["--split", &N.to_string(), "--start-at", &start.to_string()])
                    .env("JOB_COMPLETION_INDEX", &index.to_string());
                scope.spawn(move || command.run_within(LIMIT))
            })
            .collect();
        running
            .into_iter()
            .map(|share| {
                let output = share.join().unwrap();
                // A share of fast_endpoint misses its `rps >= 150` (11):
                // thresholds are the merged run's to judge.
                assert!(
                    [0, 11].contains(&output.code),
                    "exit {}\n{}\n{}",
                    output.code,
                    output.stdout,
                    output.stderr
                );
                output.record()
            })
            .collect()
    });
    let elapsed = began.elapsed();
    let whole = common(project.cargo_perf())
        .args(&["--processes", "1"])
        .run_within(LIMIT);
    whole.assert_code(0);
    let whole = whole.record();

    // Each share knows which it is, and they agree on the rest.
    let infos: Vec<_> = shares.iter().map(|r| r.split.clone().unwrap()).collect();
    let mut indices: Vec<u32> = infos.iter().map(|i| i.index).collect();
    indices.sort_unstable();
    assert_eq!(indices, [1, 2, 3]);
    assert!(infos.iter().all(|i| i.count == N
        && i.config_hash == infos[0].config_hash
        && i.start_at_unix_ms == start * 1000));
    assert!(whole.split.is_none());
    // Stopped by itself: the lead, two workloads of 2 and 2.5 s, and the
    // settling time between them, not the time limit.
    assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");

    let open: Vec<u64> = shares
        .iter()
        .map(|r| scheduled(r, "fast_endpoint"))
        .collect();
    let closed: Vec<u64> = shares
        .iter()
        .map(|r| peak_users(r, "browse_items"))
        .collect();
    eprintln!(
        "open model: shares scheduled {open:?} = {}, one whole run {}; closed model: shares' users {closed:?}, \
         one whole run {}",
        open.iter().sum::<u64>(),
        scheduled(&whole, "fast_endpoint"),
        peak_users(&whole, "browse_items")
    );
    assert_eq!(open.iter().sum::<u64>(), scheduled(&whole, "fast_endpoint"));
    // Interleaved: the shares of one schedule differ by one at most.
    assert!(
        open.iter().max().unwrap() - open.iter().min().unwrap() <= 1,
        "{open:?}"
    );
    let mut users = closed.clone();
    users.sort_unstable();
    assert_eq!(users, [2, 3, 3], "8 users in 3 shares");
    assert_eq!(peak_users(&whole, "browse_items"), 8);
    // An external target: the server's CPU and memory are not measured,
    // not invented.
    assert!(
        shares
            .iter()
            .all(|r| r.tests.iter().all(|t| t.server.is_none()))
    );

    // Each share is a shard of kind split; merged, they are one run whose
    // open model scheduled the whole run's arrivals, and which judges the
    // thresholds (fast_endpoint's `rps >= 150`) on the whole load.
    let dir = tempfile::tempdir().unwrap();
    for (i, share) in shares.iter().enumerate() {
        let info = share.shard.as_ref().unwrap();
        assert_eq!(info.kind, perf_record::shard::ShardKind::Split);
        std::fs::write(
            dir.path().join(format!("share-{i}.json")),
            serde_json::to_string(share).unwrap(),
        )
        .unwrap();
    }
    let out = dir.path().join("merged/run.json");
    let merged = project
        .cargo_perf()
        .args(&[
            "merge",
            dir.path().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args(&["--message-format", "json"])
        .run_within(LIMIT);
    merged.assert_code(0);
    let merged = RunRecord::from_json(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        scheduled(&merged, "fast_endpoint"),
        scheduled(&whole, "fast_endpoint")
    );
    let requests = |r: &RunRecord, name| test(r, name).load.as_ref().unwrap().requests;
    assert_eq!(
        requests(&merged, "browse_items"),
        shares
            .iter()
            .map(|s| requests(s, "browse_items"))
            .sum::<u64>()
    );
}

#[test]
fn a_split_without_its_pod_index_or_target_is_refused() {
    let project = TempProject::new("demo");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let at = (now + 60).to_string();
    let output = project
        .cargo_perf()
        .args(&["demo/load::", "--split", "3", "--start-at", &at])
        .args(&["--target-url", "http://127.0.0.1:9"])
        .run();
    output.assert_code(2);
    assert!(
        output.stderr.contains("JOB_COMPLETION_INDEX"),
        "{}",
        output.stderr
    );
    let output = project
        .cargo_perf()
        .args(&["demo/load::", "--split", "1/3", "--start-at", &at])
        .run();
    output.assert_code(2);
    assert!(output.stderr.contains("--target-url"), "{}", output.stderr);
    let stale = (now - 3600).to_string();
    let output = project
        .cargo_perf()
        .args(&["demo/load::", "--split", "1/3", "--start-at", &stale])
        .args(&["--target-url", "http://127.0.0.1:9"])
        .run();
    output.assert_code(2);
    assert!(
        output.stderr.contains("give a new start"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_share_that_starts_late_says_by_how_much() {
    let project = TempProject::new("demo");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Nothing listens on port 9: the test fails, its share's record stays.
    let output = project
        .cargo_perf()
        .args(&["demo/load::fast_endpoint", "--split", "2/2"])
        .args(&["--start-at", &(now - 5).to_string()])
        .args(&[
            "--target-url",
            "http://127.0.0.1:9",
            "--duration-scale",
            "0.05",
        ])
        .args(&["--message-format", "json"])
        .run_within(LIMIT);
    let split = output.record().split.unwrap();
    assert_eq!((split.index, split.count), (2, 2));
    let late = &split.late_starts;
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0].test, "demo/load::fast_endpoint");
    assert!(late[0].late_ms >= 5000, "{late:?}");
    assert!(
        output
            .stderr
            .contains("share 2/2 of demo/load::fast_endpoint started"),
        "{}",
        output.stderr
    );
}
