//! `websocket(...)`: more open WebSockets per level; round-trip latency,
//! how it grows with the connections, and the handshakes that succeeded.

use super::options::ThinkTime;
use super::spec::Spec;
use super::value::{List, Think};
use crate::attr::{Arg, Checked, Given};
use crate::metric::{Change, MetricSpec, Unit};

/// `websocket(connections = [1, 8, 32])`: one step per level of open
/// WebSockets, a user each.
#[derive(Debug, Clone, PartialEq)]
pub struct WebSocketOptions {
    /// The connections (and users) of each step, ascending.
    pub connections: List<u64>,
    /// How long each step runs, ns (before `--duration-scale`).
    pub step_ns: u64,
    /// The users' think time (10 to 30 ms unless given).
    pub think_ns: Think,
}

impl ThinkTime for WebSocketOptions {
    fn think_ns(&self) -> Think {
        self.think_ns
    }
}

pub(super) const SPEC: Spec = Spec {
    name: "websocket",
    parameter: "connections",
    holds: "options",
    keys: &["connections", "step", "think"],
    example: "`websocket(connections = [1, 8, 32], step = \"2s\", think = \"10ms..30ms\")`",
    aliases: &["ws", "websockets"],
    figures: &[
        MetricSpec::figure(
            "rtt_growth",
            "rtt_growth",
            Unit::Number,
            false,
            Change::Absolute(0.3),
            "rtt growth",
        ),
        MetricSpec::figure(
            "connected",
            "connected_pct",
            Unit::Percent,
            true,
            Change::Absolute(1.0),
            "connected",
        ),
    ],
    default_thresholds: &[("rtt_growth", "<= 0.5"), ("connected", ">= 99%")],
    needs_threshold: None,
};

pub(super) fn check(spec: &Spec, given: &[Given]) -> Checked<WebSocketOptions> {
    let mut options = WebSocketOptions {
        connections: List::Borrowed(&[]),
        step_ns: 1_000_000_000,
        think_ns: None,
    };
    for arg in Arg::all(given) {
        match arg.key {
            "connections" => options.connections = arg.levels(SPEC.example)?.into(),
            "step" => options.step_ns = arg.positive_duration_ns()?,
            "think" => options.think_ns = Some(arg.think()?),
            _ => return Err(spec.unknown(&arg)),
        }
    }
    if options.connections.is_empty() {
        return Err(spec.missing("its levels, `connections = [...]`"));
    }
    if options.connections.len() < 2 {
        return Err(spec.too_few("two levels, to see how it grows"));
    }
    // Without think time every user sends again the moment its reply
    // comes: the round trip then grows with the connections on any server
    // that is busy, and the growth says nothing of the server.
    options.think_ns.get_or_insert((10_000_000, 30_000_000));
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Value;
    use crate::kinds::Kind;

    #[test]
    fn websocket_users_think_unless_told_otherwise() {
        let connections = Value::List(vec![Value::Number(1.0), Value::Number(8.0)]);
        let options = check(&SPEC, &[Given::new("connections", connections)]).unwrap();
        assert_eq!(options.think_ns, Some((10_000_000, 30_000_000)));
        let missing = Kind::WebSocket.check(&[]).unwrap_err();
        assert!(
            missing
                .message
                .starts_with("`websocket` needs its levels, `connections = [...]`")
        );
    }
}
