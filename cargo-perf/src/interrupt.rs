//! Ctrl-C and SIGTERM: every child cargo perf started (servers, the perf
//! binary running at the moment, cargo) is stopped at once, a server with
//! its whole process group, whatever the run is doing; the run itself sees
//! [`interrupted`] at its next step and ends through the one exit point,
//! writing nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Processes to stop if cargo perf is interrupted: servers and the perf
/// binary running at the moment.
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());
/// What else to undo when interrupted, after every child is stopped (the
/// `--compare-ref` worktree): each step registers its own, so this module
/// knows none of them.
static CLEANUPS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());
static HANDLER: AtomicBool = AtomicBool::new(false);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static CLEANED_UP: AtomicBool = AtomicBool::new(false);

/// Whether cargo perf was interrupted; if so, waits (a few seconds at
/// most) until the interrupt handler has stopped every child.
pub fn interrupted() -> bool {
    if !INTERRUPTED.load(Ordering::SeqCst) {
        return false;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while !CLEANED_UP.load(Ordering::SeqCst) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

/// Makes Ctrl-C and SIGTERM stop every child; the run then ends with 130,
/// as a shell reports an interrupted command. No exit happens here: the
/// main thread may be writing a file, and must finish or skip it whole.
pub fn install_signal_handler() {
    if HANDLER.swap(true, Ordering::SeqCst) {
        return;
    }
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let pids: Vec<u32> = RUNNING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        for pid in &pids {
            signal(*pid, rustix::process::Signal::TERM);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && pids.iter().any(|pid| alive(*pid)) {
            std::thread::sleep(Duration::from_millis(50));
        }
        for pid in &pids {
            signal(*pid, rustix::process::Signal::KILL);
        }
        run_cleanups();
        CLEANED_UP.store(true, Ordering::SeqCst);
    });
}

/// Sends `signal` to the process group that `pid` leads (a server and
/// whatever it started, such as the real server behind a wrapper script),
/// or to the process alone when it leads none (a perf binary, a build).
///
/// A pid that leads no group is never the id of another group: Linux does
/// not hand out a number that is still in use as a process group id.
pub(crate) fn signal(pid: u32, signal: rustix::process::Signal) {
    if let Some(pid) = to_pid(pid)
        && rustix::process::kill_process_group(pid, signal).is_err()
    {
        let _ = rustix::process::kill_process(pid, signal);
    }
}

/// Whether the process, or any process of the group it leads, still
/// exists (an exited one not yet waited for counts).
pub(crate) fn alive(pid: u32) -> bool {
    to_pid(pid).is_some_and(|pid| {
        rustix::process::test_kill_process_group(pid).is_ok()
            || rustix::process::test_kill_process(pid).is_ok()
    })
}

fn to_pid(pid: u32) -> Option<rustix::process::Pid> {
    i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
}

/// Registers a child process to be stopped if cargo perf is interrupted.
pub fn track(pid: u32) {
    let mut running = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    // Started after the handler ran: it is stopped at once.
    if INTERRUPTED.load(Ordering::SeqCst) {
        signal(pid, rustix::process::Signal::KILL);
    }
    running.push(pid);
}

/// The child has ended: no need to stop it any more.
pub fn forget(pid: u32) {
    RUNNING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|p| *p != pid);
}

/// Runs what [`on_interrupt`] registered, in order.
fn run_cleanups() {
    let cleanups: Vec<fn()> = CLEANUPS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    for cleanup in cleanups {
        cleanup();
    }
}

/// Runs `cleanup` when cargo perf is interrupted, after every child is
/// stopped and before the run sees [`interrupted`]. Register it once, before
/// the state it undoes exists.
pub fn on_interrupt(cleanup: fn()) {
    CLEANUPS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(cleanup);
}

#[cfg(test)]
mod tests {
    use super::*;

    static CLEANED: AtomicBool = AtomicBool::new(false);

    #[test]
    fn a_registered_cleanup_runs_on_the_interrupt_path() {
        on_interrupt(|| CLEANED.store(true, Ordering::SeqCst));
        assert!(!CLEANED.load(Ordering::SeqCst));
        run_cleanups();
        assert!(CLEANED.load(Ordering::SeqCst));
    }
}
