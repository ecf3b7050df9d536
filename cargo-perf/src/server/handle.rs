//! The server load tests run against: started on a free loopback port in a
//! process group of its own, waited for, watched, sampled from /proc, and
//! always stopped with everything it started (SIGTERM to the group, then
//! SIGKILL after a grace period), also when cargo perf is interrupted.

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::family;
use super::ready::{Probe, probe};
use super::sampler::Sampler;
use super::tls::{TlsProbe, Trust};
use crate::cargo::{Ready, ServerSpec};
use crate::error::CliError;
use crate::interrupt::{alive, forget, signal, track};

/// A running server.
pub struct ServerHandle {
    child: Child,
    /// Its base URL, `http://127.0.0.1:PORT` (`https://` with `tls =
    /// true`).
    pub url: String,
    /// The port of `url`.
    port: u16,
    /// The server's first process, as it started.
    root: family::Root,
    /// Where its output goes.
    pub log: PathBuf,
    /// Where its output starts in `log`, which other servers of the run
    /// write to as well: the tail of an error is this server's only.
    log_start: u64,
    stop_timeout: Duration,
    /// Stops the server's group if cargo perf dies without stopping it.
    watchdog: Option<Child>,
}

/// The port a server is to listen on: the configured one, when it is free,
/// else a free one.
pub(super) fn choose_port(spec: &ServerSpec) -> Result<u16, CliError> {
    match spec.port {
        Some(port) => {
            if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_err() {
                return Err(server_error(
                    format!(
                        "port {port} on 127.0.0.1 is taken by another process; stop it, or remove `port` from \
                         [package.metadata.perf.server] in {} to let cargo perf pick a free one",
                        spec.manifest.display()
                    ),
                    None,
                ));
            }
            Ok(port)
        }
        None => free_port(),
    }
}

/// The server's arguments on `port`: `{port}` replaced.
pub(super) fn arguments(spec: &ServerSpec, port: u16) -> Vec<String> {
    let port = port.to_string();
    spec.args
        .iter()
        .map(|a| a.replace("{port}", &port))
        .collect()
}

impl ServerHandle {
    /// Starts the server on `port` (see [`choose_port`]) and waits until it
    /// is ready (over HTTPS with `tls = true`, its certificate checked as
    /// `trust` says). Its output is appended to `log` after the line
    /// `header`, which says whose server it is.
    pub fn start(
        spec: &ServerSpec,
        program: &Path,
        log: &Path,
        port: u16,
        header: &str,
        trust: &Trust,
    ) -> Result<Self, CliError> {
        let tls = if spec.tls {
            Some(TlsProbe::new(trust).map_err(|e| server_error(e, None))?)
        } else {
            None
        };
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir).map_err(|source| CliError::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        // Appended to: the log holds every server of the run, one after
        // the other (its owner empties it when the run starts).
        let write_error = |source| CliError::Write {
            path: log.to_path_buf(),
            source,
        };
        let mut log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(write_error)?;
        writeln!(log_file, "{header}").map_err(write_error)?;
        let log_start = log_file.metadata().map_err(write_error)?.len();
        let log_err = log_file.try_clone().map_err(write_error)?;
        let mut command = Command::new(program);
        command
            .args(arguments(spec, port))
            .envs(&spec.env)
            .env("PORT", port.to_string())
            // A padding drawn afresh at each start, as for the perf
            // binaries (see `run::draw`): one server's stack alignment is
            // not every round's.
            .env(
                perf_record::protocol::env::PAD,
                ".".repeat(usize::from(fastrand::u16(..perf_record::protocol::MAX_PAD))),
            )
            .current_dir(&spec.dir)
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_err);
        // Its own process group, so that stopping it stops what it started
        // too (a `command = ["./run.sh"]` wrapper and the server behind it).
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        adopt_orphans();
        let child = command.spawn().map_err(|e| {
            server_error(
                format!(
                    "failed to start the server `{}` ([package.metadata.perf.server] in {}): {e}",
                    program.display(),
                    spec.manifest.display()
                ),
                None,
            )
        })?;
        track(child.id());
        let root = family::Root::of(child.id());
        let watchdog = super::watchdog::spawn(child.id());
        let mut handle = Self {
            child,
            watchdog,
            url: format!(
                "{}://127.0.0.1:{port}",
                if spec.tls { "https" } else { "http" }
            ),
            port,
            root,
            log: log.to_path_buf(),
            log_start,
            stop_timeout: spec.stop_timeout,
        };
        handle.wait_ready(spec, port, tls.as_ref())?;
        Ok(handle)
    }

    fn wait_ready(
        &mut self,
        spec: &ServerSpec,
        port: u16,
        tls: Option<&TlsProbe>,
    ) -> Result<(), CliError> {
        let deadline = Instant::now() + spec.startup_timeout;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let early = format!(
            " before it was ready ([package.metadata.perf.server] in {})",
            spec.manifest.display()
        );
        loop {
            self.check_exited(&early)?;
            match probe(&spec.ready, addr, tls) {
                Probe::Ready => return Ok(()),
                Probe::NotYet => {}
                Probe::Refused(reason) => {
                    self.stop();
                    return Err(server_error(
                        format!(
                            "{reason} (tls = true in [package.metadata.perf.server] of {}); its log is {}",
                            spec.manifest.display(),
                            self.log.display()
                        ),
                        self.log_tail(),
                    ));
                }
            }
            if Instant::now() >= deadline {
                let what = match &spec.ready {
                    Ready::Tcp => format!("accept a connection on {addr}"),
                    Ready::Http(path) => format!("answer GET {path} on {addr} with a 2xx status"),
                };
                self.stop();
                return Err(server_error(
                    format!(
                        "the server did not {what} within {:?} (startup-timeout in {}); its log is {}",
                        spec.startup_timeout,
                        spec.manifest.display(),
                        self.log.display()
                    ),
                    self.log_tail(),
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Fails when the server has exited.
    pub fn check_alive(&mut self) -> Result<(), CliError> {
        self.check_exited("")
    }

    /// Fails when the server has exited; `context` follows its exit status
    /// in the message.
    fn check_exited(&mut self, context: &str) -> Result<(), CliError> {
        match self.child.try_wait() {
            Ok(Some(status)) => {
                // What it started may still run: the group is stopped
                // with the handle.
                if !self.running() {
                    forget(self.child.id());
                }
                // A process it started answers on its port: a server that
                // daemonizes (forks and exits) cannot be watched or
                // sampled. It is stopped with the handle.
                let port = self.port;
                let answered = TcpStream::connect_timeout(
                    &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                    Duration::from_millis(200),
                )
                .is_ok();
                let daemon = if answered {
                    format!(
                        "; a process it started still answered on port {port} (a server that daemonizes \
                         or forks and exits cannot be watched): cargo perf stops it; run the server in \
                         the foreground"
                    )
                } else {
                    String::new()
                };
                Err(server_error(
                    format!(
                        "the server exited ({status}){context}{daemon}; its log is {}",
                        self.log.display()
                    ),
                    self.log_tail(),
                ))
            }
            _ => Ok(()),
        }
    }

    /// What `server_error` shows of the log: this server's part.
    fn log_tail(&self) -> Option<(&Path, u64)> {
        Some((&self.log, self.log_start))
    }

    /// Samples the server's CPU and memory until the returned sampler is
    /// finished.
    pub fn sample(&self) -> Sampler {
        Sampler::start(self.child.id())
    }

    /// Stops the server and whatever it started, wherever it went (its
    /// process group, and the processes that left it: see
    /// [`super::family`]): SIGTERM to all, then SIGKILL after the grace
    /// period.
    pub fn stop(&mut self) {
        let pid = self.child.id();
        let mut escaped = family::members(self.root, std::process::id(), &[]);
        // The server and its group: signalled as a group below (which
        // also reaches a member born after this look).
        escaped.retain(|member| member.pid != pid && member.group != pid);
        let left = |handle: &mut Self| handle.running() || escaped.iter().any(family::runs);
        if left(self) {
            signal(pid, rustix::process::Signal::TERM);
            family::signal(&escaped, rustix::process::Signal::TERM);
            let deadline = Instant::now() + self.stop_timeout;
            while left(self) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if left(self) {
                signal(pid, rustix::process::Signal::KILL);
                family::signal(&escaped, rustix::process::Signal::KILL);
                // SIGKILL cannot be ignored; this is only the kernel's
                // time to tear the processes down.
                let deadline = Instant::now() + Duration::from_secs(1);
                while left(self) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
        let _ = self.child.wait();
        forget(pid);
        if let Some(mut watchdog) = self.watchdog.take() {
            // It ends by itself once the group is gone; this saves its poll.
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
    }

    /// Whether the server, or anything of its process group, still runs.
    /// Waits for those that have exited, so that they stop counting.
    fn running(&mut self) -> bool {
        if matches!(self.child.try_wait(), Ok(None)) {
            return true;
        }
        // The server itself has been waited for; the rest of its group
        // are children of cargo perf too (see `adopt_orphans`). Only
        // now: before, this could wait for the server behind `child`'s
        // back.
        #[cfg(target_os = "linux")]
        if let Some(group) = i32::try_from(self.child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            while let Ok(Some(_)) =
                rustix::process::waitpgid(group, rustix::process::WaitOptions::NOHANG)
            {}
        }
        alive(self.child.id())
    }
}

/// Makes the processes a server leaves behind (a wrapper script's child
/// once the wrapper has exited) children of cargo perf rather than of
/// init, so that `running` can wait for them: until someone does, an
/// exited process still counts as a member of its group, and init may take
/// seconds to get to it.
fn adopt_orphans() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> Result<u16, CliError> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|source| CliError::Io {
            message: "failed to find a free port on 127.0.0.1".to_owned(),
            source,
        })
}

/// The error for a server that failed, with the tail of its part of the
/// log: `log` from the byte offset given.
pub fn server_error(message: String, log: Option<(&Path, u64)>) -> CliError {
    let tail = log
        .and_then(|(log, start)| {
            let mut file = std::fs::File::open(log).ok()?;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(start)).ok()?;
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        })
        .map(|text| {
            let lines: Vec<&str> = text.lines().collect();
            let start = lines.len().saturating_sub(20);
            lines[start..].join("\n")
        })
        .filter(|t| !t.trim().is_empty())
        .map(|t| format!("\n--- the end of the server's log\n{t}"))
        .unwrap_or_default();
    CliError::Server(format!("{message}{tail}"))
}
