//! A server dies with cargo perf, also after `kill -9`, which no signal
//! handler sees: a watchdog process (cargo perf itself, run as
//! `cargo-perf __watchdog PARENT PGID`) polls its parent and stops the
//! server's process group once cargo perf is gone. The workspace forbids
//! the `unsafe` that `PR_SET_PDEATHSIG` would need in the child.

use std::ffi::OsString;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process_group, test_kill_process_group};

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
    loop {
        if test_kill_process_group(group).is_err() {
            return;
        }
        // Orphaned: the kernel gave this process a new parent.
        if i32::try_from(std::os::unix::process::parent_id()).ok() != Some(parent) {
            stop(group);
            return;
        }
        std::thread::sleep(POLL);
    }
}

/// SIGTERM to the group, SIGKILL to what is left after a grace period.
fn stop(group: Pid) {
    let _ = kill_process_group(group, Signal::TERM);
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline && test_kill_process_group(group).is_ok() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = kill_process_group(group, Signal::KILL);
}
