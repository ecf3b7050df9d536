//! Ctrl-C and SIGTERM: every child cargo perf started (servers, the perf
//! binary running at the moment, cargo) is stopped at once, whatever the
//! run is doing; the run itself sees [`interrupted`] at its next step and
//! ends through the one exit point, writing nothing.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Processes to stop if cargo perf is interrupted: servers and the perf
/// binary running at the moment.
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());
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
        while Instant::now() < deadline
            && pids
                .iter()
                .any(|pid| Path::new(&format!("/proc/{pid}")).exists())
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        for pid in &pids {
            signal(*pid, rustix::process::Signal::KILL);
        }
        crate::run::worktree::remove_all();
        CLEANED_UP.store(true, Ordering::SeqCst);
    });
}

pub(crate) fn signal(pid: u32, signal: rustix::process::Signal) {
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process(pid, signal);
    }
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
