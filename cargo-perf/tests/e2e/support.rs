//! Running the real `cargo-perf` binary on temp copies of the fixtures.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use perf_record::RunRecord;
use serde_json::Value;

/// The workspace this crate lives in.
pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cargo-perf sits in the workspace root")
        .to_path_buf()
}

/// One target dir for every e2e test, so the fixtures' dependencies are
/// built once.
pub(crate) fn shared_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-target")
}

/// Holds the e2e lock: the tests measure time, so they run one at a time
/// (also under nextest, where each test is its own process).
pub(crate) struct SerialGuard(#[expect(dead_code, reason = "held for its Drop")] File);

/// Takes the e2e lock.
pub(crate) fn serial() -> SerialGuard {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(dir).unwrap();
    let file = File::create(dir.join("e2e.lock")).unwrap();
    file.lock().unwrap();
    SerialGuard(file)
}

/// A temporary copy of a fixture project.
pub(crate) struct TempProject {
    dir: tempfile::TempDir,
    _guard: SerialGuard,
}

impl TempProject {
    /// Copies `fixtures/<name>`, pointing its perf-runtime dependency at
    /// this workspace's copy.
    pub(crate) fn new(name: &str) -> Self {
        let guard = serial();
        let dir = tempfile::Builder::new()
            .prefix("cargo-perf-e2e-")
            .tempdir()
            .unwrap();
        copy_dir(&repo_root().join("fixtures").join(name), dir.path());
        Self { dir, _guard: guard }
    }

    /// An empty project directory, for a project written by the test
    /// itself (a published crate unpacked, say).
    pub(crate) fn empty() -> Self {
        let guard = serial();
        let dir = tempfile::Builder::new()
            .prefix("cargo-perf-e2e-")
            .tempdir()
            .unwrap();
        Self { dir, _guard: guard }
    }

    /// The project's root.
    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Its Cargo.toml.
    pub(crate) fn manifest(&self) -> PathBuf {
        self.root().join("Cargo.toml")
    }

    /// `cargo perf --manifest-path <this project>`, in a scrubbed
    /// environment.
    pub(crate) fn cargo_perf(&self) -> CargoPerf {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-perf"));
        command
            .arg("perf")
            .arg("--manifest-path")
            .arg(self.manifest());
        scrub(&mut command);
        CargoPerf { command }
    }

    /// Plain cargo in this project, in a scrubbed environment.
    pub(crate) fn cargo(&self, args: &[&str]) -> Output {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.args(args).current_dir(self.root());
        scrub(&mut command);
        Output::from(command.output().unwrap())
    }

    /// Plain cargo with extra environment variables.
    pub(crate) fn cargo_with_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.args(args).current_dir(self.root());
        scrub(&mut command);
        command.envs(vars.iter().copied());
        Output::from(command.output().unwrap())
    }

    /// Runs git in the project; returns its trimmed stdout.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        git_in(self.root(), args)
    }

    /// Makes the project a git repository with one commit; returns it.
    pub(crate) fn git_init(&self) -> String {
        self.git(&["init", "-q"]);
        self.git(&["add", "."]);
        self.git(&["commit", "-qm", "fixture"]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Replaces `from` by `to` in the project's file `path`.
    pub(crate) fn edit(&self, path: &str, from: &str, to: &str) {
        let path = self.root().join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{} has no {from:?}", path.display());
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }

    /// Adds the demo benchmark `never_returns`, whose routine spins for
    /// ever: what only a time limit or a watchdog can end.
    pub(crate) fn add_a_benchmark_that_never_returns(&self) {
        self.edit(
            "benches/perf.rs",
            "perf_runtime::main!();",
            r#"#[perf_test]
fn never_returns(b: &mut Bencher) {
    b.iter(|| {
        while std::hint::black_box(true) {}
        0
    });
}

perf_runtime::main!();"#,
        );
    }
}

/// Runs git in `root` as the e2e author; returns its trimmed stdout.
pub(crate) fn git_in(root: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .env("GIT_AUTHOR_NAME", "e2e")
        .env("GIT_AUTHOR_EMAIL", "e2e@example.com")
        .env("GIT_COMMITTER_NAME", "e2e")
        .env("GIT_COMMITTER_EMAIL", "e2e@example.com")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn scrub(command: &mut Command) {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        // A CI runner's summary file is not the tests' to write to.
        if key.starts_with("CARGO_PERF_")
            || matches!(
                key.as_str(),
                "DEMO_SLOWDOWN"
                    | "ALPHA_PANIC"
                    | "GITHUB_STEP_SUMMARY"
                    // The workload flags' mirrors would change every load test.
                    | "PERF_USERS"
                    | "PERF_SPAWN_RATE"
                    | "PERF_RAMP_UP"
                    | "PERF_RUN_TIME"
                    | "PERF_RATE"
                    | "PERF_STAGES"
            )
        {
            command.env_remove(key);
        }
    }
    command
        .env("CARGO_TARGET_DIR", shared_target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .env("NO_COLOR", "1");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let runtime = repo_root().join("perf-runtime");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let (source, dest) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&source, &dest);
        } else if name == "Cargo.toml" {
            let text = std::fs::read_to_string(&source).unwrap();
            let text = text
                .replace(
                    "\"../../../perf-runtime\"",
                    &format!("{:?}", runtime.display().to_string()),
                )
                .replace(
                    "\"../../perf-runtime\"",
                    &format!("{:?}", runtime.display().to_string()),
                );
            std::fs::write(dest, text).unwrap();
        } else {
            std::fs::copy(&source, &dest).unwrap();
        }
    }
}

/// A `cargo perf` command being put together.
pub(crate) struct CargoPerf {
    command: Command,
}

impl CargoPerf {
    /// Adds arguments.
    pub(crate) fn args(mut self, args: &[&str]) -> Self {
        self.command.args(args);
        self
    }

    /// Sets an environment variable.
    pub(crate) fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    /// Starts it without waiting.
    pub(crate) fn spawn(mut self) -> std::process::Child {
        self.command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    }

    /// Starts it with its stderr piped, to follow its progress lines.
    pub(crate) fn spawn_with_stderr(mut self) -> std::process::Child {
        self.command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Runs it.
    pub(crate) fn run(mut self) -> Output {
        Output::from(self.command.output().unwrap())
    }

    /// Runs it, killing it after `limit` (the build included): a run that
    /// hangs fails the test instead of holding it.
    pub(crate) fn run_within(mut self, limit: std::time::Duration) -> Output {
        let child = self
            .command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id().to_string();
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let watchdog = std::thread::spawn(move || {
            let late = finished.recv_timeout(limit).is_err();
            if late {
                let _ = Command::new("kill").args(["-KILL", &pid]).status();
            }
            late
        });
        let output = Output::from(child.wait_with_output().unwrap());
        let _ = done.send(());
        assert!(
            !watchdog.join().unwrap(),
            "cargo perf ran past {limit:?} and was killed\n--- stdout\n{}\n--- stderr\n{}",
            output.stdout,
            output.stderr
        );
        output
    }
}

/// What a command did.
#[derive(Debug)]
pub(crate) struct Output {
    /// Exit code.
    pub(crate) code: i32,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
}

impl From<std::process::Output> for Output {
    fn from(output: std::process::Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Output {
    /// Asserts the exit code, showing everything when it is wrong.
    #[track_caller]
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The JSON lines of `--message-format json`.
    pub(crate) fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect()
    }

    /// The JSON message with this `reason`.
    #[track_caller]
    pub(crate) fn message(&self, reason: &str) -> Value {
        self.json_lines()
            .into_iter()
            .find(|m| m["reason"] == reason)
            .unwrap_or_else(|| {
                panic!(
                    "no `{reason}` message in:\n{}\n{}",
                    self.stdout, self.stderr
                )
            })
    }

    /// The run record of a JSON run.
    #[track_caller]
    pub(crate) fn record(&self) -> RunRecord {
        serde_json::from_value(self.message("run-finished")["record"].clone()).unwrap()
    }

    /// Test names in the `summary` message's `field` (`failed`, `regressed`).
    pub(crate) fn summary_names(&self, field: &str) -> Vec<String> {
        self.message("summary")[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id["name"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// The names of the tests in a record.
pub(crate) fn names(record: &RunRecord) -> Vec<&str> {
    record.tests.iter().map(|t| t.id.name.as_str()).collect()
}

/// Processes running now whose working directory is this test's project
/// and whose command line matches: what the test started, and nothing of
/// another checkout or test.
fn project_processes(project: &TempProject, matches: impl Fn(&str) -> bool) -> Vec<u32> {
    let root = project
        .root()
        .canonicalize()
        .unwrap_or_else(|_| project.root().to_path_buf());
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| {
            let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).ok()?;
            (matches(&String::from_utf8_lossy(&cmdline)) && cwd.starts_with(&root)).then_some(pid)
        })
        .collect()
}

/// The demo servers this test's project started, running now.
pub(crate) fn demo_servers(project: &TempProject) -> Vec<u32> {
    servers_named(project, "demo-server")
}

/// The servers `bin` that this test's project started, running now.
pub(crate) fn servers_named(project: &TempProject, bin: &str) -> Vec<u32> {
    project_processes(project, |cmdline| {
        cmdline.contains(bin) && cmdline.contains("--port")
    })
}

/// This project's perf binaries measuring now (run with `--bench`).
pub(crate) fn perf_binaries(project: &TempProject) -> Vec<u32> {
    project_processes(project, |cmdline| {
        cmdline.contains("--bench") && cmdline.contains("--exact")
    })
}
