//! The one reader of Linux's `/proc`: a process's CPU time and resident
//! memory, for the server's figures (cargo perf samples it) and the load
//! generator's own CPU (the harness reads itself). Elsewhere than Linux
//! both are `None`.

use std::time::Duration;

/// Clock ticks a second in `/proc/<pid>/stat` (`USER_HZ`): 100 on every
/// Linux architecture, whatever the kernel's own tick rate.
const TICKS_PER_SECOND: u64 = 100;

/// CPU time, user and system, that process `pid` (this process for
/// `None`) has used so far.
pub fn cpu_time(pid: Option<u32>) -> Option<Duration> {
    let ticks = stat_cpu_ticks(&std::fs::read_to_string(proc_file(pid, "stat")).ok()?)?;
    Some(Duration::from_millis(ticks * (1000 / TICKS_PER_SECOND)))
}

/// Resident memory of process `pid` (this process for `None`), in bytes.
pub fn rss_bytes(pid: Option<u32>) -> Option<u64> {
    status_rss_bytes(&std::fs::read_to_string(proc_file(pid, "status")).ok()?)
}

fn proc_file(pid: Option<u32>, file: &str) -> String {
    match pid {
        Some(pid) => format!("/proc/{pid}/{file}"),
        None => format!("/proc/self/{file}"),
    }
}

/// utime + stime from the text of `/proc/<pid>/stat`. The command name
/// (field 2) is in parentheses and may hold spaces and parentheses itself,
/// so fields are counted after its last `)`: state is the first there,
/// utime and stime (fields 14 and 15) the 12th and 13th.
fn stat_cpu_ticks(stat: &str) -> Option<u64> {
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(user + system)
}

/// `VmRSS` from the text of `/proc/<pid>/status`, in bytes.
fn status_rss_bytes(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_ticks_are_read_after_the_command_name() {
        let stat = "4242 (demo (server) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 \
                    250 75 0 0 20 0 9 0 123456 1073741824 2048 18446744073709551615";
        assert_eq!(stat_cpu_ticks(stat), Some(325));
        assert_eq!(stat_cpu_ticks("4242 (x) S 1 2"), None);
        assert_eq!(stat_cpu_ticks("garbage"), None);
    }

    #[test]
    fn rss_is_read_in_bytes() {
        let status = "Name:\tdemo-server\nVmPeak:\t  20000 kB\nVmRSS:\t    5120 kB\nThreads:\t9\n";
        assert_eq!(status_rss_bytes(status), Some(5120 * 1024));
        assert_eq!(status_rss_bytes("Name:\tx\n"), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn this_process_can_be_read() {
        let own = std::process::id();
        assert!(rss_bytes(None).is_some_and(|b| b > 0));
        assert!(rss_bytes(Some(own)).is_some_and(|b| b > 0));
        assert!(cpu_time(None).is_some());
        assert!(cpu_time(Some(own)).is_some());
        assert_eq!(cpu_time(Some(u32::MAX)), None);
    }
}
