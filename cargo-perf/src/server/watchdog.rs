//! A server dies with cargo perf, also after `kill -9`, which no signal
//! handler sees: a watchdog process (cargo perf itself, run as
//! `cargo-perf __watchdog PARENT PGID`) polls its parent and stops the
//! server's process group once cargo perf is gone. The workspace forbids
//! the `unsafe` that `PR_SET_PDEATHSIG` would need in the child.

use std::ffi::OsString;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use perf_record::procfs;
use rustix::process::{Pid, Signal, kill_process_group, test_kill_process_group};

use super::family;

/// The hidden first argument that makes `cargo-perf` a watchdog.
pub const ARG: &str = "__watchdog";

/// How often the watchdog looks.
const POLL: Duration = Duration::from_millis(100);

/// Starts a watchdog over the process group `pgid`; `None` when cargo
/// perf's own executable cannot be run again (the server then has only the
/// signal handler).
pub(crate) fn spawn(pgid: u32) -> Option<Child> {
    let exe = std::env::current_exe().ok()?;
    Command::new(exe)
        .args([ARG, &std::process::id().to_string(), &pgid.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()
}

/// The watchdog's life: returns when the group is gone, after stopping it
/// if its parent (cargo perf) went first. `args` are PARENT and PGID.
pub fn run(args: &[OsString]) {
    let number = |i: usize| args.get(i)?.to_str()?.parse::<i32>().ok();
    let (Some(parent), Some(group)) = (number(0), number(1).and_then(Pid::from_raw)) else {
        return;
    };
    // What the server started, as last seen while cargo perf lived: once
    // it is gone, the server's orphans go to init and no longer show as
    // its (see `super::family`).
    let mut known: Vec<procfs::Process> = Vec::new();
    let root = u32::try_from(group.as_raw_nonzero().get())
        .ok()
        .map(family::Root::of);
    for poll in 0u64.. {
        if test_kill_process_group(group).is_err() && known.iter().all(|p| !family::runs(p)) {
            return;
        }
        // Orphaned: the kernel gave this process a new parent.
        if i32::try_from(std::os::unix::process::parent_id()).ok() != Some(parent) {
            stop(group);
            family::stop(&known, Duration::from_secs(3));
            return;
        }
        if poll % LOOKS_EVERY == 0
            && let (Some(root), Ok(adopter)) = (root, u32::try_from(parent))
        {
            for member in super::family::members(root, adopter, &[]) {
                if !known.contains(&member) {
                    known.push(member);
                }
            }
            known.retain(family::runs);
        }
        std::thread::sleep(POLL);
    }
}

/// Polls between two looks at the server's processes (a look reads every
/// process's `/proc/<pid>/stat`).
const LOOKS_EVERY: u64 = 5;

/// SIGTERM to the group, SIGKILL to what is left after a grace period.
fn stop(group: Pid) {
    let _ = kill_process_group(group, Signal::TERM);
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline && test_kill_process_group(group).is_ok() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = kill_process_group(group, Signal::KILL);
}
