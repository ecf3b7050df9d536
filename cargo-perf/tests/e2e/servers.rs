//! A workspace whose packages configure different servers: each package's
//! load tests run against its own, one server at a time
//! (`fixtures/two-servers`: shop's server answers /shop only, blog's
//! /blog only, and blog's keeps 48 MiB resident).

use std::time::Duration;

use crate::support::{TempProject, servers_named};

/// A short run of every package, each load test in two processes.
const WORKSPACE_RUN: &[&str] = &[
    "--workspace",
    "--quick",
    "--processes",
    "2",
    "--duration-scale",
    "0.5",
    "--message-format",
    "json",
];

/// The fixture's servers that the test's project started and that still
/// run.
fn left_running(project: &TempProject) -> Vec<u32> {
    let mut pids = servers_named(project, "shop-server");
    pids.extend(servers_named(project, "blog-server"));
    pids
}

#[test]
fn each_package_s_load_tests_run_against_its_own_server() {
    let project = TempProject::new("two-servers");
    let output = project
        .cargo_perf()
        .args(WORKSPACE_RUN)
        .run_within(Duration::from_secs(600));
    output.assert_code(0);
    let record = output.record();
    let mut names = crate::support::names(&record);
    names.sort_unstable();
    assert_eq!(names, ["browse_blog", "browse_shop", "notes_join"]);
    for (name, own_path) in [("browse_shop", "/shop"), ("browse_blog", "/blog")] {
        let test = record.tests.iter().find(|t| t.id.name == name).unwrap();
        let load = test.load.as_ref().unwrap();
        assert!(load.requests > 0, "{name}");
        // Sent to the other package's server, every request would be a 404.
        assert_eq!(load.error_rate_pct, 0.0, "{name}: {:?}", load.status_codes);
        assert_eq!(
            load.status_codes.get(&200).copied(),
            Some(load.requests),
            "{name}"
        );
        let endpoints: Vec<&str> = load.endpoints.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(endpoints, [format!("GET {own_path}")], "{name}");
        // The server figures are those of the test's own server: only
        // blog's holds 48 MiB.
        let rss = test.server.as_ref().unwrap().rss_peak_bytes;
        let blog = name == "browse_blog";
        assert_eq!(rss > 40 << 20, blog, "{name}: peak RSS {rss}");
    }
    // Each server started once for its package's two processes, named.
    for package in ["shop", "blog"] {
        let line = format!("Starting server for package {package}: {package}-server --port ");
        assert_eq!(
            output.stderr.matches(&line).count(),
            1,
            "{line:?} in:\n{}",
            output.stderr
        );
        let log =
            std::fs::read_to_string(crate::support::shared_target_dir().join("perf/server.log"))
                .unwrap();
        assert_eq!(
            log.matches(&format!("{package}-server listening on"))
                .count(),
            1,
            "{log}"
        );
    }
    assert!(
        left_running(&project).is_empty(),
        "every server is stopped: {:?}",
        left_running(&project)
    );
}

#[test]
fn a_package_with_load_tests_and_no_server_fails_the_run_naming_it() {
    let project = TempProject::new("two-servers");
    let blog = project.root().join("blog/Cargo.toml");
    let text = std::fs::read_to_string(&blog).unwrap();
    let start = text.find("[package.metadata.perf.server]").unwrap();
    let end = text.find("[package.metadata.perf.thresholds]").unwrap();
    std::fs::write(&blog, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let output = project.cargo_perf().args(WORKSPACE_RUN).run();
    output.assert_code(5);
    assert!(
        output
            .stderr
            .contains("blog/load::browse_blog is a load test, but no server is configured"),
        "{}",
        output.stderr
    );
    assert!(
        !output.stderr.contains("Starting server"),
        "checked before any server starts: {}",
        output.stderr
    );
    assert!(left_running(&project).is_empty());
}

#[test]
fn a_server_that_fails_to_start_names_its_package_and_manifest() {
    let project = TempProject::new("two-servers");
    project.edit(
        "shop/Cargo.toml",
        "ready = \"/health\"",
        "ready = \"/never\"",
    );
    project.edit(
        "shop/Cargo.toml",
        "startup-timeout = \"30s\"",
        "startup-timeout = \"1s\"",
    );
    let output = project.cargo_perf().args(WORKSPACE_RUN).run();
    output.assert_code(5);
    // blog's load tests come first (packages in name order) and pass.
    assert!(
        output
            .stderr
            .contains("Starting server for package blog: blog-server"),
        "{}",
        output.stderr
    );
    let manifest = project.root().join("shop").join("Cargo.toml");
    let error = output
        .stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("{}", output.stderr));
    assert!(
        error.starts_with("error: package shop: the server did not answer GET /never"),
        "{error}"
    );
    assert!(
        error.contains(&format!("startup-timeout in {}", manifest.display())),
        "{error}"
    );
    // The log holds both servers; the tail shown is shop's server's own.
    assert!(
        output.stderr.contains("shop-server listening on"),
        "{}",
        output.stderr
    );
    assert!(
        !output.stderr.contains("blog-server listening on"),
        "{}",
        output.stderr
    );
    assert!(left_running(&project).is_empty());
}

#[test]
fn both_sides_of_a_comparison_use_each_package_s_server() {
    let project = TempProject::new("two-servers");
    project.git_init();
    let output = project
        .cargo_perf()
        .args(&[
            "--workspace",
            "load::",
            "--compare-ref",
            "HEAD",
            "--rounds",
            "2",
            "--duration-scale",
            "0.5",
            "--message-format",
            "json",
            // What is tested is where the load goes, not the gate.
            "--threshold",
            "1000%",
        ])
        .run_within(Duration::from_secs(900));
    output.assert_code(0);
    let comparison = &output.message("comparison")["comparison"];
    let errors: Vec<(&str, &serde_json::Value)> = comparison["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["metric"] == "error_rate_pct")
        .map(|t| (t["id"]["name"].as_str().unwrap(), t))
        .collect();
    assert_eq!(errors.len(), 2, "{comparison}");
    for (name, metric) in errors {
        assert_eq!(metric["baseline_value"], 0.0, "{name}: {metric}");
        assert_eq!(metric["current_value"], 0.0, "{name}: {metric}");
    }
    for side in ["", "base "] {
        for package in ["shop", "blog"] {
            let line = format!("Starting {side}server for package {package}: {package}-server");
            assert!(
                output.stderr.contains(&line),
                "{line:?} in:\n{}",
                output.stderr
            );
        }
    }
    assert!(left_running(&project).is_empty());
}

/// A server in Python that leaves cargo perf's process group: `exits`
/// double-forks a daemon (in a session of its own) and exits, `stays`
/// keeps its process while a worker that called `setsid` serves.
const DAEMON: &str = r#"import http.server, os, sys, time
port = int(sys.argv[sys.argv.index("--port") + 1])
mode = sys.argv[sys.argv.index("--mode") + 1]
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
def serve():
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
if os.fork() == 0:
    os.setsid()
    if mode == "stays" or os.fork() == 0:
        serve()
    os._exit(0)
if mode == "exits":
    time.sleep(0.5)
    os._exit(0)
os.wait()
"#;

/// The demo with its server replaced by [`DAEMON`] in `mode`.
fn daemon_project(mode: &str) -> TempProject {
    let project = TempProject::new("demo");
    std::fs::write(project.root().join("daemon.py"), DAEMON).unwrap();
    project.edit(
        "Cargo.toml",
        r#"bin = "demo-server"
args = ["--port", "{port}", "--workers", "1"]"#,
        &format!(r#"command = ["python3", "daemon.py", "--port", "{{port}}", "--mode", "{mode}"]"#),
    );
    project
}

/// The daemon's processes of this test's project that still run, after a
/// moment for the kernel to tear them down.
fn daemons_left(project: &TempProject) -> Vec<u32> {
    std::thread::sleep(Duration::from_millis(300));
    servers_named(project, "daemon.py")
}

#[test]
fn a_server_that_daemonizes_and_exits_is_an_error_and_its_daemon_is_stopped() {
    let project = daemon_project("exits");
    let output = project
        .cargo_perf()
        .args(&["demo/load::fast_endpoint", "--duration-scale", "0.25"])
        .run_within(Duration::from_secs(600));
    output.assert_code(5);
    assert!(
        output.stderr.contains("the server exited"),
        "{}",
        output.stderr
    );
    assert_eq!(
        daemons_left(&project),
        Vec::<u32>::new(),
        "{}",
        output.stderr
    );
}

#[test]
fn a_server_whose_worker_leaves_its_group_is_stopped_whole() {
    let project = daemon_project("stays");
    let output = project
        .cargo_perf()
        .args(&["demo/load::fast_endpoint", "--duration-scale", "0.25"])
        .run_within(Duration::from_secs(600));
    assert_ne!(output.code, 5, "{}", output.stderr);
    assert_eq!(
        daemons_left(&project),
        Vec::<u32>::new(),
        "{}",
        output.stderr
    );
}
