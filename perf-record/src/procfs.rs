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

/// CPU time and resident memory of the process group `pgid` leads (a
/// server started through a wrapper script is the wrapper's child): the
/// sums over its live members, `None` once the leader is gone.
pub fn group_usage(pgid: u32) -> Option<(Duration, u64)> {
    let leader = cpu_time(Some(pgid))?;
    let members = group_members(pgid);
    if members.is_empty() {
        return Some((leader, rss_bytes(Some(pgid))?));
    }
    let cpu = members.iter().filter_map(|&pid| cpu_time(Some(pid))).sum();
    let rss = members.iter().filter_map(|&pid| rss_bytes(Some(pid))).sum();
    Some((cpu, rss))
}

/// The processes whose process group is `pgid`.
fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| {
            std::fs::read_to_string(proc_file(Some(pid), "stat"))
                .ok()
                .and_then(|stat| stat_group(&stat))
                == Some(pgid)
        })
        .collect()
}

/// The process group (field 5) from the text of `/proc/<pid>/stat`.
fn stat_group(stat: &str) -> Option<u32> {
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(2)?
        .parse()
        .ok()
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

/// A live process as `/proc/<pid>/stat` describes it: who started it, its
/// process group, and when it started (which tells it from a later
/// process that got its number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Process {
    /// Its id.
    pub pid: u32,
    /// Its parent's id.
    pub parent: u32,
    /// Its process group.
    pub group: u32,
    /// When it started, in clock ticks since boot.
    pub started: u64,
    /// Whether it has exited and waits for its parent to collect it.
    pub zombie: bool,
}

/// Every live process (none elsewhere than Linux).
pub fn processes() -> Vec<Process> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(process)
        .collect()
}

/// Process `pid` now, `None` once it is gone.
pub fn process(pid: u32) -> Option<Process> {
    let stat = std::fs::read_to_string(proc_file(Some(pid), "stat")).ok()?;
    stat_process(pid, &stat)
}

/// The processes below `root` in `all`: its children, theirs, and so on.
pub fn descendants(all: &[Process], root: u32) -> Vec<Process> {
    let mut found: Vec<Process> = Vec::new();
    let mut parents = vec![root];
    while let Some(parent) = parents.pop() {
        for child in all.iter().filter(|p| p.parent == parent && p.pid != root) {
            if !found.iter().any(|f| f.pid == child.pid) {
                found.push(*child);
                parents.push(child.pid);
            }
        }
    }
    found
}

/// The fields of `/proc/<pid>/stat` after the command name: the state is
/// the 1st there, the parent the 2nd, the group the 3rd, the start time
/// the 20th.
fn stat_process(pid: u32, stat: &str) -> Option<Process> {
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(Process {
        zombie: *fields.first()? == "Z",
        pid,
        parent: fields.get(1)?.parse().ok()?,
        group: fields.get(2)?.parse().ok()?,
        started: fields.get(19)?.parse().ok()?,
    })
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
        assert_eq!(stat_group(stat), Some(4242));
        assert_eq!(stat_group("4242 (x) S 1"), None);
        assert_eq!(
            stat_process(4242, stat),
            Some(Process {
                pid: 4242,
                parent: 1,
                group: 4242,
                started: 123_456,
                zombie: false,
            })
        );
        assert_eq!(stat_process(4242, "4242 (x) S 1 2"), None);
    }

    #[test]
    fn descendants_are_found_through_every_generation() {
        let p = |pid, parent| Process {
            pid,
            parent,
            group: pid,
            started: 0,
            zombie: false,
        };
        let all = [p(1, 0), p(10, 1), p(11, 10), p(12, 11), p(13, 10), p(20, 1)];
        let mut below: Vec<u32> = descendants(&all, 10).iter().map(|p| p.pid).collect();
        below.sort_unstable();
        assert_eq!(below, [11, 12, 13]);
        assert!(descendants(&all, 12).is_empty());
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_group_is_summed_over_its_members() {
        use std::os::unix::process::CommandExt as _;
        // A wrapper that runs its "server" as a child: two members.
        let mut wrapper = std::process::Command::new("sh")
            .args(["-c", "sleep 5 & wait"])
            .process_group(0)
            .spawn()
            .unwrap();
        let pgid = wrapper.id();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while group_members(pgid).len() < 2 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let members = group_members(pgid);
        let usage = group_usage(pgid);
        let leader = rss_bytes(Some(pgid)).unwrap_or(0);
        let _ = std::process::Command::new("kill")
            .args(["--", &format!("-{pgid}")])
            .status();
        let _ = wrapper.wait();
        assert_eq!(members.len(), 2, "{members:?}");
        assert!(members.contains(&pgid));
        let (_, rss) = usage.unwrap();
        assert!(
            rss > leader,
            "the child's memory counts too: {rss} vs {leader}"
        );
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
