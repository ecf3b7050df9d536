//! What one generator process can hold open, checked before a workload
//! starts: each virtual user (or iteration in flight, in the open model)
//! keeps a connection, so a socket, to the one target address. Past the
//! process's file-descriptor limit or the machine's ephemeral ports, users
//! would fail to connect one after another (or, with no limit at all, the
//! generator would allocate until the machine runs out of memory); a
//! clear error before the first request names the limit and the fix.

use super::profile::{LoadProfile, Model};

/// Descriptors a generator uses besides its users' sockets: stdio, the
/// result file, the runtime's own, /proc readers, and slack.
const RESERVED_DESCRIPTORS: u64 = 64;

/// The machine's limits that bound concurrent connections from one
/// process to one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The process's open-file limit (after raising the soft limit to the
    /// hard one), `None` when unlimited or unknown.
    pub(crate) descriptors: Option<u64>,
    /// Ephemeral ports for outgoing connections
    /// (`net.ipv4.ip_local_port_range`), `None` when unknown.
    pub(crate) ports: Option<u64>,
}

impl Limits {
    /// This machine's limits, raising the soft open-file limit to the hard
    /// one first (as load generators do: the soft default of 1024 is for
    /// interactive shells, not for thousands of sockets).
    pub(crate) fn of_this_process() -> Self {
        Self {
            descriptors: raise_descriptor_limit(),
            ports: ephemeral_ports(),
        }
    }

    /// Why `connections` concurrent connections cannot be held, if so.
    pub(crate) fn check(&self, connections: u64, what: &str) -> Result<(), String> {
        if let Some(limit) = self.descriptors
            && connections.saturating_add(RESERVED_DESCRIPTORS) > limit
        {
            return Err(format!(
                "{what} need {connections} connections at once, but this process may open at most \
                 {limit} files (RLIMIT_NOFILE, hard limit; {RESERVED_DESCRIPTORS} are kept for the \
                 generator itself): raise the hard limit (`ulimit -Hn`, or `LimitNOFILE=` for a \
                 service), lower the users, or run the load from several machines"
            ));
        }
        if let Some(ports) = self.ports
            && connections > ports
        {
            return Err(format!(
                "{what} need {connections} connections at once to one address, but this machine \
                 has {ports} ephemeral ports for them (net.ipv4.ip_local_port_range): widen the \
                 range (`sysctl net.ipv4.ip_local_port_range`), lower the users, or run the load \
                 from several machines"
            ));
        }
        Ok(())
    }
}

/// Checks that a workload's connections fit this machine's limits. The
/// open model holds as many connections as iterations are in flight,
/// which its rate and the server's latency decide, not a number known
/// before it runs (its cap, `max_in_flight`, is a ceiling, 1000 by
/// default): it is not checked.
pub(crate) fn check(profile: &LoadProfile) -> Result<(), String> {
    match connections(profile) {
        Some((connections, what)) => Limits::of_this_process().check(connections, &what),
        None => Ok(()),
    }
}

/// The most connections a closed workload holds at once, and how to say
/// it.
fn connections(profile: &LoadProfile) -> Option<(u64, String)> {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a peak of users is a whole, non-negative number well inside u64"
    )]
    let peak = profile.peak().ceil().max(0.0) as u64;
    match profile.model {
        Model::Closed => Some((peak, format!("{peak} virtual users"))),
        Model::Open => None,
    }
}

/// Raises the soft open-file limit to the hard one; the limit then in
/// force (`None`: unlimited or unknown).
fn raise_descriptor_limit() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let mut limit = getrlimit(Resource::Nofile);
        if limit.current != limit.maximum {
            let raised = rustix::process::Rlimit {
                current: limit.maximum,
                maximum: limit.maximum,
            };
            if setrlimit(Resource::Nofile, raised).is_ok() {
                limit = raised;
            }
        }
        limit.current
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// The number of ephemeral ports (Linux), `None` when unknown.
fn ephemeral_ports() -> Option<u64> {
    let range = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").ok()?;
    parse_port_range(&range)
}

/// `"32768\t60999\n"` → 28,232 ports.
fn parse_port_range(text: &str) -> Option<u64> {
    let mut bounds = text.split_whitespace().map(str::parse::<u64>);
    let (low, high) = (bounds.next()?.ok()?, bounds.next()?.ok()?);
    (high >= low).then(|| high - low + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_range_counts_both_ends() {
        assert_eq!(parse_port_range("32768\t60999\n"), Some(28_232));
        assert_eq!(parse_port_range("1024 1024"), Some(1));
        assert_eq!(parse_port_range("60999 32768"), None);
        assert_eq!(parse_port_range("garbage"), None);
    }

    #[test]
    fn users_past_the_descriptor_limit_name_it_and_the_fix() {
        let limits = Limits {
            descriptors: Some(1024),
            ports: Some(28_232),
        };
        assert_eq!(limits.check(960, "960 virtual users"), Ok(()));
        let error = limits.check(961, "961 virtual users").unwrap_err();
        assert!(
            error.starts_with("961 virtual users need 961 connections at once")
                && error.contains("at most 1024 files (RLIMIT_NOFILE")
                && error.contains("ulimit -Hn"),
            "{error}"
        );
    }

    #[test]
    fn users_past_the_ephemeral_ports_name_them_and_the_fix() {
        let limits = Limits {
            descriptors: None,
            ports: Some(28_232),
        };
        assert_eq!(limits.check(28_232, "users"), Ok(()));
        let error = limits.check(50_000, "50000 virtual users").unwrap_err();
        assert!(
            error.contains("28232 ephemeral ports") && error.contains("ip_local_port_range"),
            "{error}"
        );
    }

    #[test]
    fn this_process_can_hold_a_few_connections() {
        // The soft limit is raised to the hard one; a handful of users
        // always fit a machine that runs these tests.
        let limits = Limits::of_this_process();
        assert_eq!(limits.check(8, "8 virtual users"), Ok(()));
    }
}
