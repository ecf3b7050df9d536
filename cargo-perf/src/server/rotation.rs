//! Which server a side's load tests run against: the one each test's
//! package configures, started when a load test of that package comes and
//! kept, by `restart = "per-run"`, while the next ones are that package's
//! too. At most one runs at a time: another package's idle server would
//! share the machine (and perhaps a fixed `port`) with the one measured.

use std::path::PathBuf;

use super::handle::{ServerHandle, arguments, choose_port};
use super::sampler::Sampler;
use super::tls::Trust;
use crate::cargo::{Program, Restart, ServerSpec};
use crate::error::CliError;

/// A server that a side may start: what runs, and the packages whose load
/// tests it serves (several when they inherit one
/// `[workspace.metadata.perf.server]`).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedServer {
    /// Its configuration, with a `command`'s arguments first in `args`.
    pub spec: ServerSpec,
    /// The program to run: the built `bin`, or the `command`'s first word.
    pub program: PathBuf,
    /// The packages whose load tests it serves.
    pub packages: Vec<String>,
}

impl PlannedServer {
    /// Whose server it is, for messages: `package blog`.
    fn owner(&self) -> String {
        match self.packages.as_slice() {
            [one] => format!("package {one}"),
            many => format!("packages {}", many.join(", ")),
        }
    }

    /// The command it runs on `port`, as the user configured it: a `bin`
    /// by its name, a `command` as written.
    fn command_line(&self, port: u16) -> String {
        let program = match &self.spec.program {
            Program::Bin(name) => name.clone(),
            Program::Command(_) => self.program.display().to_string(),
        };
        std::iter::once(program)
            .chain(arguments(&self.spec, port))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What the next load test needs done about the server running now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switch {
    /// The right server runs: keep it.
    Keep,
    /// Start the server it needs (stopping the one running, if any).
    Start,
}

/// Whether the server `wanted`, with its `restart`, can serve the next load
/// test while `running` runs.
fn switch(running: Option<usize>, wanted: usize, restart: Restart) -> Switch {
    match running {
        Some(running) if running == wanted && restart == Restart::PerRun => Switch::Keep,
        _ => Switch::Start,
    }
}

/// Provides the server URL to each load test of one side: a user-given
/// target, or the server of the test's package, started from its
/// configuration.
pub struct ServerManager {
    target: Option<String>,
    planned: Vec<PlannedServer>,
    log: PathBuf,
    /// How messages name the side: `""`, or `"base "`.
    side: &'static str,
    /// The server running, by its index in `planned`.
    current: Option<(usize, ServerHandle)>,
    /// The server started last, whose restarts are not announced again.
    last_started: Option<usize>,
    /// How a server speaking HTTPS has its certificate checked.
    trust: Trust,
}

impl ServerManager {
    /// Load tests go to `target`, which nobody starts or stops.
    pub fn fixed(target: String) -> Self {
        Self {
            target: Some(target),
            ..Self::none()
        }
    }

    /// Load tests go to the server `planned` for their package, logging
    /// to `log`, one after the other.
    pub fn spawned(planned: Vec<PlannedServer>, log: PathBuf) -> Self {
        Self {
            planned,
            log: super::log::claim(&log),
            ..Self::none()
        }
    }

    /// There are no load tests: nothing to provide.
    pub fn none() -> Self {
        Self {
            target: None,
            planned: Vec::new(),
            log: PathBuf::new(),
            side: "",
            current: None,
            last_started: None,
            trust: Trust::default(),
        }
    }

    /// Checks the certificate of a server speaking HTTPS as `trust` says
    /// (`--insecure`, `--ca-cert`), as the load tests will.
    pub fn trusting(mut self, trust: Trust) -> Self {
        self.trust = trust;
        self
    }

    /// Names the side in messages, `"base "`: both sides of a
    /// `--compare-ref` start a server for each package.
    pub fn on_side(mut self, side: &'static str) -> Self {
        self.side = side;
        self
    }

    /// The URL for the next load test, one of `package`: starts its
    /// package's server when another one runs (stopping that first), when
    /// none does, or always with `restart = "per-test"`. `note` gets the
    /// line that says which server starts.
    pub fn url_for_test(
        &mut self,
        package: &str,
        note: &mut dyn FnMut(&str),
    ) -> Result<String, CliError> {
        if let Some(target) = &self.target {
            return Ok(target.clone());
        }
        let Some(wanted) = self
            .planned
            .iter()
            .position(|p| p.packages.iter().any(|p| p == package))
        else {
            return Err(CliError::Server(format!(
                "a load test of package {package} needs a server: add [package.metadata.perf.server] to its \
                 Cargo.toml (see the README), or give one with --target-url or PERF_TARGET_URL"
            )));
        };
        let running = self.current.as_ref().map(|(index, _)| *index);
        let server = match (
            switch(running, wanted, self.planned[wanted].spec.restart),
            self.current.take(),
        ) {
            (Switch::Keep, Some((_, server))) => server,
            (_, old) => {
                if let Some((_, mut old)) = old {
                    old.stop();
                }
                self.start(wanted, note)?
            }
        };
        let server = &mut self.current.insert((wanted, server)).1;
        server
            .check_alive()
            .map_err(|e| whose(&self.planned[wanted], e))?;
        Ok(server.url.clone())
    }

    /// Starts the server `planned[index]`.
    fn start(
        &mut self,
        index: usize,
        note: &mut dyn FnMut(&str),
    ) -> Result<ServerHandle, CliError> {
        let planned = &self.planned[index];
        let announce = self.last_started != Some(index);
        self.last_started = Some(index);
        choose_port(&planned.spec)
            .and_then(|port| {
                let line = format!(
                    "{:>12} {}server for {}: {}",
                    "Starting",
                    self.side,
                    planned.owner(),
                    planned.command_line(port)
                );
                if announce {
                    note(&line);
                }
                let header = format!("--- cargo perf: {}", line.trim_start());
                ServerHandle::start(
                    &planned.spec,
                    &planned.program,
                    &self.log,
                    port,
                    &header,
                    &self.trust,
                )
            })
            .map_err(|e| whose(planned, e))
    }

    /// Starts sampling the server (when cargo perf started it).
    pub fn sample(&self) -> Option<Sampler> {
        self.current
            .as_ref()
            .map(|(_, server)| ServerHandle::sample(server))
    }

    /// Fails when the server died during the test.
    pub fn after_test(&mut self) -> Result<(), CliError> {
        match &mut self.current {
            Some((index, server)) => server
                .check_alive()
                .map_err(|e| whose(&self.planned[*index], e)),
            None => Ok(()),
        }
    }

    /// Stops the server.
    pub fn stop(&mut self) {
        if let Some((_, mut server)) = self.current.take() {
            server.stop();
        }
    }
}

/// A server's error, saying whose server it is.
fn whose(planned: &PlannedServer, error: CliError) -> CliError {
    match error {
        CliError::Server(message) => CliError::Server(format!("{}: {message}", planned.owner())),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use super::*;
    use crate::cargo::Ready;

    fn planned(packages: &[&str], program: Program) -> PlannedServer {
        PlannedServer {
            spec: ServerSpec {
                program,
                args: vec!["--port".into(), "{port}".into()],
                env: Default::default(),
                ready: Ready::Tcp,
                startup_timeout: Duration::from_secs(1),
                stop_timeout: Duration::from_secs(1),
                restart: Restart::PerRun,
                port: None,
                tls: false,
                dir: PathBuf::from("/ws/blog"),
                manifest: PathBuf::from("/ws/blog/Cargo.toml"),
            },
            program: PathBuf::from("/ws/target/release/blog-server"),
            packages: packages.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn a_server_is_kept_only_for_its_own_packages_and_per_run() {
        assert_eq!(switch(None, 0, Restart::PerRun), Switch::Start);
        assert_eq!(switch(Some(0), 0, Restart::PerRun), Switch::Keep);
        // Another package's server never serves this test.
        assert_eq!(switch(Some(1), 0, Restart::PerRun), Switch::Start);
        assert_eq!(switch(Some(0), 1, Restart::PerRun), Switch::Start);
        assert_eq!(switch(Some(0), 0, Restart::PerTest), Switch::Start);
    }

    #[test]
    fn messages_name_the_package_and_the_command() {
        let bin = planned(&["blog"], Program::Bin("blog-server".into()));
        assert_eq!(bin.owner(), "package blog");
        assert_eq!(bin.command_line(4000), "blog-server --port 4000");
        let mut shared = planned(
            &["alpha", "beta"],
            Program::Command(vec!["./run.sh".into()]),
        );
        shared.program = PathBuf::from("./run.sh");
        assert_eq!(shared.owner(), "packages alpha, beta");
        assert_eq!(shared.command_line(81), "./run.sh --port 81");
        let error = whose(&bin, CliError::Server("the server exited".into()));
        assert_eq!(error.to_string(), "package blog: the server exited");
    }

    #[test]
    fn a_package_without_a_planned_server_is_an_error_that_names_it() {
        let mut servers = ServerManager::spawned(
            vec![planned(&["shop"], Program::Bin("shop-server".into()))],
            Path::new("/nonexistent/server.log").to_path_buf(),
        );
        let mut notes = Vec::new();
        let error = servers
            .url_for_test("blog", &mut |line| notes.push(line.to_owned()))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("a load test of package blog needs a server"),
            "{error}"
        );
        assert!(notes.is_empty(), "nothing started: {notes:?}");
        assert!(servers.sample().is_none());
    }

    #[test]
    fn a_fixed_target_serves_every_package_and_starts_nothing() {
        let mut servers = ServerManager::fixed("http://127.0.0.1:9".into());
        let mut note = |line: &str| panic!("nothing starts: {line}");
        for package in ["shop", "blog"] {
            assert_eq!(
                servers.url_for_test(package, &mut note).unwrap(),
                "http://127.0.0.1:9"
            );
        }
        assert!(servers.after_test().is_ok());
    }
}
