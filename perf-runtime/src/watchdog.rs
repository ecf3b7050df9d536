//! A perf binary that cargo perf runs ends when cargo perf is gone (a
//! `kill -9` included, which no handler sees): nobody would read its
//! results, and a load test would go on loading the server.

#[cfg(unix)]
use std::io::Write as _;
use std::time::Duration;

/// How often the parent is looked at.
const POLL: Duration = Duration::from_millis(200);

/// When this process is measuring for cargo perf, watches its parent on a
/// thread of its own and ends the process once it is orphaned.
pub(crate) fn end_with_parent() {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        let _ = std::thread::Builder::new()
            .name("perf-watchdog".to_owned())
            .spawn(move || {
                loop {
                    std::thread::sleep(POLL);
                    if std::os::unix::process::parent_id() != parent {
                        // stderr is a pipe to the parent that is gone:
                        // `eprintln!` would panic on EPIPE and kill this
                        // thread instead of the process. Nothing on this
                        // path may panic: write, ignore the error, exit.
                        let _ = writeln!(std::io::stderr(), "cargo perf is gone: stopping");
                        // 128 + SIGHUP: ended because its controller hung up.
                        #[expect(
                            clippy::exit,
                            reason = "the controller is gone; nothing waits for a result"
                        )]
                        std::process::exit(129);
                    }
                }
            });
    }
}
