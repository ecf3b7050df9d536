//! What one generator process can hold open, checked before a workload
//! starts: each virtual user (or iteration in flight, in the open model)
//! keeps a connection, so a socket, to the one target address. Past the
//! process's file-descriptor limit or the machine's ephemeral ports, users
//! would fail to connect one after another (or, with no limit at all, the
//! generator would allocate until the machine runs out of memory); a
//! clear error before the first request names the limit and the fix.

use perf_record::split::Split;

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

    /// The most users (connections to one address) these limits allow at
    /// once, `None` when nothing bounds them.
    pub(crate) fn users_allowed(&self) -> Option<u64> {
        let descriptors = self
            .descriptors
            .map(|limit| limit.saturating_sub(RESERVED_DESCRIPTORS));
        match (descriptors, self.ports) {
            (Some(d), Some(p)) => Some(d.min(p)),
            (d, p) => d.or(p),
        }
    }

    /// Why `connections` concurrent connections cannot be held, if so,
    /// saying how many the limits allow.
    pub(crate) fn check(&self, connections: u64, what: &str) -> Result<(), String> {
        let allowed = self.users_allowed().unwrap_or(u64::MAX);
        if let Some(limit) = self.descriptors
            && connections.saturating_add(RESERVED_DESCRIPTORS) > limit
        {
            return Err(format!(
                "{what} need {connections} connections at once, but this process may open at most \
                 {limit} files (RLIMIT_NOFILE, hard limit; {RESERVED_DESCRIPTORS} are kept for the \
                 generator itself), which allows {allowed} users: raise the hard limit \
                 (`ulimit -Hn`, or `LimitNOFILE=` for a service), lower the users, or run the load \
                 from several machines (`--split`)"
            ));
        }
        if let Some(ports) = self.ports
            && connections > ports
        {
            return Err(format!(
                "{what} need {connections} connections at once to one address, but this machine \
                 has {ports} ephemeral ports for them (net.ipv4.ip_local_port_range), which allows \
                 {allowed} users: widen the range (`sysctl net.ipv4.ip_local_port_range`), lower \
                 the users, or run the load from several machines (`--split`)"
            ));
        }
        Ok(())
    }
}

/// Raises the soft open-file limit to the hard one (for every workload:
/// the open model holds sockets too), then checks that a workload's
/// connections fit this machine's limits: this generator's share of them
/// under a split. The open model holds as many connections as iterations
/// are in flight, which its rate and the server's latency decide, not a
/// number known before it runs (its cap, `max_in_flight`, is a ceiling,
/// 1000 by default): it is not checked.
pub(crate) fn check(profile: &LoadProfile, split: Option<Split>) -> Result<(), String> {
    let limits = Limits::of_this_process();
    match connections(profile, split) {
        Some((connections, what)) => limits.check(connections, &what),
        None => Ok(()),
    }
}

/// The most connections a closed workload holds at once in this
/// generator, and how to say it.
fn connections(profile: &LoadProfile, split: Option<Split>) -> Option<(u64, String)> {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a peak of users is a whole, non-negative number well inside u64"
    )]
    let whole = profile.peak().ceil().max(0.0) as u64;
    let peak = split.map_or(whole, |s| s.share_of(whole));
    match profile.model {
        Model::Closed if peak == whole => Some((peak, format!("{peak} virtual users"))),
        Model::Closed => Some((
            peak,
            format!("{peak} virtual users (this share of {whole})"),
        )),
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
                && error.contains("which allows 960 users")
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
            error.contains("28232 ephemeral ports")
                && error.contains("which allows 28232 users")
                && error.contains("ip_local_port_range"),
            "{error}"
        );
    }

    #[test]
    fn the_users_allowed_are_the_tighter_of_the_two_limits() {
        let both = |descriptors, ports| Limits { descriptors, ports }.users_allowed();
        assert_eq!(both(Some(20_000), Some(28_232)), Some(19_936));
        assert_eq!(both(Some(1 << 20), Some(28_232)), Some(28_232));
        assert_eq!(both(None, Some(28_232)), Some(28_232));
        assert_eq!(both(Some(1024), None), Some(960));
        assert_eq!(both(None, None), None);
        // 50,000 users on a machine with the usual limits: refused at
        // start, saying how many fit, never failing one connection after
        // another.
        let error = Limits {
            descriptors: Some(20_000),
            ports: Some(28_232),
        }
        .check(50_000, "50000 virtual users")
        .unwrap_err();
        assert!(error.contains("which allows 19936 users"), "{error}");
    }

    #[test]
    fn a_share_of_a_split_is_checked_for_its_own_users() {
        let options = crate::load::profile::LoadOptions {
            users: Some(50_000),
            hold_ns: Some(1_000_000_000),
            ..crate::load::profile::LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&options, 1.0).unwrap();
        let (whole, what) = connections(&profile, None).unwrap();
        assert_eq!((whole, what.as_str()), (50_000, "50000 virtual users"));
        let share = Split::new(1, 4).unwrap();
        let (part, what) = connections(&profile, Some(share)).unwrap();
        assert_eq!(part, 12_500);
        assert!(what.contains("this share of 50000"), "{what}");
    }

    #[test]
    fn this_process_can_hold_a_few_connections() {
        // The soft limit is raised to the hard one; a handful of users
        // always fit a machine that runs these tests.
        let limits = Limits::of_this_process();
        assert_eq!(limits.check(8, "8 virtual users"), Ok(()));
    }
}
