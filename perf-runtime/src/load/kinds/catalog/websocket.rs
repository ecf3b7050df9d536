//! WebSocket: more open sockets per level; round-trip latency as the
//! connections grow, and the handshakes that succeeded.

use std::collections::BTreeMap;

use perf_record::finding::Finding;
use perf_record::load::{LevelStats, LoadStats};

use crate::load::http::observe::Observed;
use perf_record::kinds::{Kind, Think, WebSocketOptions};

use super::kind::{Analysis, CatalogueKind, Ran, Step};

pub(super) fn websocket(
    levels: &[LevelStats],
    seen: &[Observed],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
) {
    let attempted: u64 = seen.iter().map(|o| o.sockets_attempted).sum();
    let opened: u64 = seen.iter().map(|o| o.sockets_opened).sum();
    if attempted == 0 {
        findings.push(Finding::note(
            "websocket_none_opened",
            "no WebSocket was opened: call `user.websocket(\"/path\")` in the test (perf-runtime's `websocket` \
             feature)",
        ));
        return;
    }
    let connected = opened as f64 / attempted as f64 * 100.0;
    metrics.insert("connected_pct".to_owned(), connected);
    findings.push(Finding::note(
        "websocket_handshakes",
        format!("{opened} of {attempted} WebSocket handshakes succeeded ({connected:.1}%)"),
    ));
    let (Some(first), Some(last)) = (levels.first(), levels.last()) else {
        return;
    };
    let ms = |us: u64| us as f64 / 1e3;
    findings.push(Finding::note(
        "websocket_round_trip",
        format!(
            "round trip p50 {:.2} ms with {} connection(s) -> {:.2} ms with {}",
            ms(first.p50_us),
            first.level,
            ms(last.p50_us),
            last.level
        ),
    ));
    // Over every level: the round trip has no fixed cost large enough to
    // hide its growth, and sub-millisecond p50s are too noisy to fit on
    // the upper half alone.
    let points: Vec<(f64, f64)> = levels
        .iter()
        .filter(|l| l.level > 0 && l.p50_us > 0)
        .map(|l| ((l.level as f64).ln(), (l.p50_us as f64).ln()))
        .collect();
    if let Some(line) = perf_record::stats::fit_line(&points) {
        let growth = line.slope.max(0.0);
        metrics.insert("rtt_growth".to_owned(), growth);
        if growth > 0.5 {
            findings.push(Finding::note("websocket_round_trip_growing", format!(
                "the round trip slows as connections are added (as connections^{growth:.2}): per-message work \
                 grows with the number of open sockets (a broadcast loop, a shared lock, a scan of all sessions)"
            )));
        }
    }
}

/// A WebSocket level's latency: its round trips', without the handshakes.
pub(super) fn round_trips_only(level: &mut LevelStats, stats: &LoadStats) {
    let trips = stats
        .endpoints
        .iter()
        .filter(|e| e.name.starts_with("WS ") && !e.name.starts_with("WS connect "))
        .max_by_key(|e| e.latency.count);
    if let Some(trips) = trips {
        level.mean_us = trips.latency.mean_us;
        level.p50_us = trips.latency.p50_us;
        level.p95_us = trips.latency.p95_us;
        level.p99_us = trips.latency.p99_us;
    }
}

/// `websocket(...)`: one step per level of open WebSockets, a user each.
pub(crate) struct WebSocket(pub(crate) &'static WebSocketOptions);

impl CatalogueKind for WebSocket {
    fn kind(&self) -> Kind {
        Kind::WebSocket
    }

    fn think_ns(&self) -> Think {
        self.0.think_ns
    }

    fn plan(&self, _scale: f64) -> Vec<Step> {
        Step::by_users(&self.0.connections, self.0.step_ns)
    }

    fn describe(&self, step: &Step) -> String {
        format!("{} connections", step.users)
    }

    fn finish_level(
        &self,
        level: &mut LevelStats,
        _observed: &Observed,
        _counter: (Option<f64>, Option<f64>),
        stats: &LoadStats,
    ) -> Result<(), String> {
        round_trips_only(level, stats);
        Ok(())
    }

    /// An error when the test opened no WebSocket at all.
    fn analyse(&self, ran: &Ran<'_>, out: &mut Analysis) -> Result<(), String> {
        websocket(ran.levels, ran.seen, &mut out.metrics, &mut out.findings);
        if ran.seen.iter().all(|o| o.sockets_attempted == 0) {
            return Err(
                "a websocket(...) test opened no WebSocket: call `user.websocket(\"/path\")` in it (perf-runtime's \
                 `websocket` feature)"
                    .to_owned(),
            );
        }
        Ok(())
    }
}
