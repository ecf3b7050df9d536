//! Everything a server started, wherever it went: its process group, its
//! descendants that left the group (a worker that calls `setpgid`, a
//! daemon that calls `setsid`), and the orphans of those that came to
//! cargo perf, which is a child subreaper (see `handle::adopt_orphans`).
//! An orphan is told from cargo perf's own children by its group: what
//! cargo perf starts runs in its group, or leads a group it tracks.
//!
//! Stopping a server stops all of them: signalling its process group alone
//! left a daemonized server listening after cargo perf had exited.

use std::time::{Duration, Instant};

use perf_record::procfs::{self, Process};
use rustix::process::{Pid, Signal, WaitOptions};

/// The server's first process: its id, and when it started (`None`
/// when unknown), which tells it from a later process given its number
/// once it has exited and been collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Root {
    /// Its id, also its process group's.
    pub(crate) pid: u32,
    /// When it started, in clock ticks since boot.
    pub(crate) started: Option<u64>,
}

impl Root {
    /// The process `pid` as it runs now.
    pub(crate) fn of(pid: u32) -> Self {
        Self {
            pid,
            started: procfs::process(pid).map(|p| p.started),
        }
    }
}

/// The processes of the server `root` now, as `adopter` (cargo perf)
/// sees them; `own`: other children of `adopter` that lead a group of
/// their own and are not the server's (none while one server runs).
pub(crate) fn members(root: Root, adopter: u32, own: &[u32]) -> Vec<Process> {
    let all = procfs::processes();
    let adopter_group = all.iter().find(|p| p.pid == adopter).map(|p| p.group);
    let mut members: Vec<Process> = Vec::new();
    let mut add = |process: Process| {
        if !members.iter().any(|m| m.pid == process.pid) {
            members.push(process);
        }
    };
    // The server's number given to another process since: its group and
    // descendants are not the server's (Linux gives no number still used
    // by a group, so while the server's group lives, nothing took it).
    let reused = all
        .iter()
        .any(|p| p.pid == root.pid && root.started.is_some_and(|s| s != p.started));
    let root = root.pid;
    if !reused {
        let in_group = all.iter().filter(|p| p.pid == root || p.group == root);
        for process in in_group.copied() {
            add(process);
        }
        for process in procfs::descendants(&all, root) {
            add(process);
        }
    }
    let orphans = all.iter().filter(|p| {
        p.parent == adopter
            && p.pid != root
            && Some(p.group) != adopter_group
            && !own.contains(&p.pid)
    });
    for orphan in orphans {
        add(*orphan);
        for process in procfs::descendants(&all, orphan.pid) {
            add(process);
        }
    }
    members
}

/// Whether `process` still runs: the same process (not a later one with
/// its number), and not a zombie. Collects it first when it is a child of
/// this process that has exited.
pub(crate) fn runs(process: &Process) -> bool {
    if process.parent == std::process::id()
        && let Some(pid) = to_pid(process.pid)
    {
        let _ = rustix::process::waitpid(Some(pid), WaitOptions::NOHANG);
    }
    procfs::process(process.pid).is_some_and(|now| now.started == process.started && !now.zombie)
}

/// Sends `signal` to each of `members` that still runs.
pub(crate) fn signal(members: &[Process], signal: Signal) {
    for member in members.iter().filter(|m| runs(m)) {
        if let Some(pid) = to_pid(member.pid) {
            let _ = rustix::process::kill_process(pid, signal);
        }
    }
}

/// SIGTERM to every member, SIGKILL to those left after `grace`; returns
/// once none runs (or a second after the SIGKILL).
pub(crate) fn stop(members: &[Process], grace: Duration) {
    signal(members, Signal::TERM);
    let deadline = Instant::now() + grace;
    while members.iter().any(runs) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if members.iter().any(runs) {
        signal(members, Signal::KILL);
        let deadline = Instant::now() + Duration::from_secs(1);
        while members.iter().any(runs) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn to_pid(pid: u32) -> Option<Pid> {
    i32::try_from(pid).ok().and_then(Pid::from_raw)
}

#[cfg(test)]
#[cfg(target_os = "linux")]
mod tests {
    use std::os::unix::process::CommandExt as _;

    use super::*;

    #[test]
    fn a_daemon_that_left_the_group_and_its_parent_is_a_member_and_is_stopped() {
        // This test process stands for cargo perf: it adopts orphans.
        let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
        // A "server" that starts a daemon in a session of its own, which
        // outlives the server's own process.
        let mut server = std::process::Command::new("sh")
            .args(["-c", "setsid sleep 30 & sleep 30"])
            .process_group(0)
            .spawn()
            .unwrap();
        let root = server.id();
        let deadline = Instant::now() + Duration::from_secs(5);
        let escaped = |members: &[Process]| members.iter().any(|m| m.group != root);
        let mut found = members(Root::of(root), std::process::id(), &[]);
        while !escaped(&found) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            found = members(Root::of(root), std::process::id(), &[]);
        }
        assert!(escaped(&found), "{found:?}");
        stop(&found, Duration::from_secs(2));
        let _ = server.wait();
        assert!(!found.iter().any(runs), "{found:?}");
    }

    #[test]
    fn an_orphaned_daemon_comes_to_the_adopter_and_is_a_member() {
        let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
        // The server's process starts a daemon in a session of its own and
        // exits at once: the daemon is orphaned and comes to this process.
        let mut server = std::process::Command::new("sh")
            .args(["-c", "setsid sleep 31.5 & exit 0"])
            .process_group(0)
            .spawn()
            .unwrap();
        let root = server.id();
        let _ = server.wait();
        let ours = |p: &Process| {
            std::fs::read(format!("/proc/{}/cmdline", p.pid))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains("31.5"))
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut found: Vec<Process> = Vec::new();
        while found.is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            // Only this test's daemon: other tests' children may be orphans
            // of this process too.
            found = members(Root::of(root), std::process::id(), &[])
                .into_iter()
                .filter(ours)
                .collect();
        }
        let [daemon] = found.as_slice() else {
            panic!("{found:?}");
        };
        assert_eq!(daemon.parent, std::process::id());
        stop(&found, Duration::from_secs(2));
        assert!(!runs(daemon));
    }
}
