//! What `[package.metadata.perf.server]` says to run: the program, its
//! arguments, how readiness is checked and when a fresh one starts.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// How readiness is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ready {
    /// `GET path` answers 2xx.
    Http(String),
    /// A TCP connection is accepted.
    Tcp,
}

/// When a fresh server is started (`restart = "per-run"` or `"per-test"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Restart {
    /// One server for the whole run.
    PerRun,
    /// A fresh server for each load test.
    PerTest,
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// A binary of the workspace, built by cargo perf.
    Bin(String),
    /// Any command (program and arguments).
    Command(Vec<String>),
}

/// `[package.metadata.perf.server]`, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerSpec {
    /// What to run.
    pub program: Program,
    /// Arguments; `{port}` is replaced by the port.
    pub args: Vec<String>,
    /// Extra environment.
    pub env: BTreeMap<String, String>,
    /// How readiness is checked.
    pub ready: Ready,
    /// How long to wait for readiness.
    pub startup_timeout: Duration,
    /// SIGTERM to SIGKILL.
    pub stop_timeout: Duration,
    /// One server per run or per test.
    pub restart: Restart,
    /// A fixed port instead of a free one.
    pub port: Option<u16>,
    /// `tls = true`: the server speaks HTTPS, and is probed and loaded
    /// over it.
    pub tls: bool,
    /// The directory it runs in (the package's).
    pub dir: PathBuf,
    /// The manifest it was configured in, for messages.
    pub manifest: PathBuf,
}
