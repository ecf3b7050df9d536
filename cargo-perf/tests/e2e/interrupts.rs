//! Interrupts: Ctrl-C, SIGTERM and SIGKILL to cargo perf during a load
//! test; nothing it started is left running.

use std::time::{Duration, Instant};

use crate::support::{TempProject, demo_servers, perf_binaries};

fn interrupt_with(signal: &str) {
    let project = TempProject::new("demo");
    // Build first, so the signal lands while the load runs.
    project.cargo_perf().args(&["--list"]).run().assert_code(0);
    let log = crate::support::shared_target_dir().join("perf/server.log");
    let _ = std::fs::remove_file(&log);
    let mut child = project.cargo_perf().args(&["demo/load::browse"]).spawn();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !std::fs::read_to_string(&log).is_ok_and(|l| l.contains("listening on")) {
        assert!(Instant::now() < deadline, "the server never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !demo_servers(&project).is_empty(),
        "the server runs during the test"
    );
    let status = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code();
    if signal == "-KILL" {
        // Nothing of cargo perf's runs after SIGKILL: the watchdogs stop
        // the server and the perf binary ends itself, within a moment.
        assert_eq!(code, None);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !(demo_servers(&project).is_empty() && perf_binaries(&project).is_empty())
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(
            perf_binaries(&project).is_empty(),
            "no perf binary is left loading: {:?}",
            perf_binaries(&project)
        );
    } else {
        assert_eq!(code, Some(130));
    }
    assert!(
        demo_servers(&project).is_empty(),
        "no server is left: {:?}",
        demo_servers(&project)
    );
}

#[test]
fn kill_9_of_cargo_perf_leaves_no_server_or_perf_binary_running() {
    interrupt_with("-KILL");
}

#[test]
fn ctrl_c_to_cargo_perf_stops_the_server() {
    interrupt_with("-INT");
}

#[test]
fn sigterm_to_cargo_perf_stops_the_server() {
    interrupt_with("-TERM");
}

#[test]
fn kill_9_of_cargo_perf_ends_a_hung_benchmark_whose_stderr_pipe_is_gone() {
    // The perf binary's stderr is a pipe to cargo perf: once cargo perf is
    // killed, the watchdog's message gets EPIPE. It must still end the
    // process, or a benchmark that never returns spins forever.
    let project = TempProject::new("demo");
    project.add_a_benchmark_that_never_returns();
    let mut child = project
        .cargo_perf()
        .args(&["demo/perf::never_returns", "--test-timeout", "10m"])
        .spawn();
    let deadline = Instant::now() + Duration::from_secs(600);
    while perf_binaries(&project).is_empty() {
        assert!(Instant::now() < deadline, "the benchmark never started");
        assert!(
            child.try_wait().unwrap().is_none(),
            "cargo perf ended early"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    assert_eq!(child.wait().unwrap().code(), None);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !perf_binaries(&project).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        perf_binaries(&project).is_empty(),
        "the hung benchmark is left spinning: {:?}",
        perf_binaries(&project)
    );
}
