//! Recording requests into HDR histograms, with their bytes. Each worker
//! thread records into its own recorder (an uncontended lock), and the
//! recorders are merged when the test ends.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use perf_record::finding::{OTHER_ENDPOINTS, Warning};
use perf_record::load::{
    Connections, EndpointStats, ErrorKindStats, LatencySummary, RequestErrorKind, Second, Transfer,
};

use crate::load::endpoint::{Admission, Overflow};
use crate::load::http::client::Setup;
use crate::load::latency::{encode, histogram, micros, summarize};

/// Distinct messages kept per error kind.
const MESSAGES_KEPT: usize = 5;

/// What the requests of one endpoint looked like.
struct Tally {
    latency: Histogram<u64>,
    errors: u64,
    sent: u64,
    received: u64,
}

impl Tally {
    fn new() -> Self {
        Self {
            latency: histogram(3),
            errors: 0,
            sent: 0,
            received: 0,
        }
    }

    fn merge(&mut self, other: &Self) {
        let _ = self.latency.add(&other.latency);
        self.errors += other.errors;
        self.sent += other.sent;
        self.received += other.received;
    }
}

/// What the requests of one test, in one thread, looked like.
pub(crate) struct Recorder {
    start: Instant,
    latency: Histogram<u64>,
    raw_latency: Histogram<u64>,
    endpoints: HashMap<String, Tally>,
    overflow: Overflow,
    errors: BTreeMap<RequestErrorKind, ErrorKindStats>,
    status_codes: BTreeMap<u16, u64>,
    seconds: Vec<(u64, u64, Histogram<u64>)>,
    requests: u64,
    failed: u64,
    sent: u64,
    received: u64,
    /// The connections the requests opened, summed.
    setup: SetupTotal,
}

/// Connects and handshakes, counted and timed in all.
#[derive(Default)]
struct SetupTotal {
    connects: u64,
    connect: Duration,
    handshakes: u64,
    handshake: Duration,
}

impl SetupTotal {
    fn add(&mut self, connects: u64, connect: Duration, handshakes: u64, handshake: Duration) {
        self.connects += connects;
        self.connect += connect;
        self.handshakes += handshakes;
        self.handshake += handshake;
    }

    /// The figures, when any connection was opened.
    fn connections(&self) -> Option<Connections> {
        let mean = |total: Duration, n: u64| total.as_secs_f64() * 1e6 / n.max(1) as f64;
        (self.connects > 0).then(|| Connections {
            opened: self.connects,
            connect_mean_us: mean(self.connect, self.connects),
            tls_handshakes: self.handshakes,
            tls_handshake_mean_us: mean(self.handshake, self.handshakes),
        })
    }
}

impl Recorder {
    fn new(start: Instant) -> Self {
        Self {
            start,
            latency: histogram(3),
            raw_latency: histogram(3),
            endpoints: HashMap::new(),
            overflow: Overflow::default(),
            errors: BTreeMap::new(),
            status_codes: BTreeMap::new(),
            seconds: Vec::new(),
            requests: 0,
            failed: 0,
            sent: 0,
            received: 0,
            setup: SetupTotal::default(),
        }
    }

    fn second(&mut self, at: Instant) -> &mut (u64, u64, Histogram<u64>) {
        let index = usize::try_from(at.saturating_duration_since(self.start).as_secs())
            .unwrap_or(usize::MAX)
            .min(100_000);
        while self.seconds.len() <= index {
            self.seconds.push((0, 0, histogram(2)));
        }
        &mut self.seconds[index]
    }

    fn merge(&mut self, other: &Self) {
        let _ = self.latency.add(&other.latency);
        let _ = self.raw_latency.add(&other.raw_latency);
        for (name, tally) in &other.endpoints {
            self.endpoints
                .entry(name.clone())
                .or_insert_with(Tally::new)
                .merge(tally);
        }
        self.overflow.merge(&other.overflow);
        for (kind, stats) in &other.errors {
            let entry = self.errors.entry(*kind).or_default();
            entry.count += stats.count;
            for message in &stats.first_messages {
                if entry.first_messages.len() < MESSAGES_KEPT
                    && !entry.first_messages.contains(message)
                {
                    entry.first_messages.push(message.clone());
                }
            }
        }
        for (code, count) in &other.status_codes {
            *self.status_codes.entry(*code).or_insert(0) += count;
        }
        for (i, (requests, errors, hist)) in other.seconds.iter().enumerate() {
            while self.seconds.len() <= i {
                self.seconds.push((0, 0, histogram(2)));
            }
            self.seconds[i].0 += requests;
            self.seconds[i].1 += errors;
            let _ = self.seconds[i].2.add(hist);
        }
        self.requests += other.requests;
        self.failed += other.failed;
        self.sent += other.sent;
        self.received += other.received;
        let setup = &other.setup;
        self.setup.add(
            setup.connects,
            setup.connect,
            setup.handshakes,
            setup.handshake,
        );
    }
}

/// One request, as the user saw it.
pub(crate) struct RequestRecord<'a> {
    pub(crate) name: &'a str,
    pub(crate) latency: Duration,
    /// Latency from the iteration's scheduled start (open model), when
    /// later than the actual send.
    pub(crate) corrected: Option<Duration>,
    pub(crate) status: Option<u16>,
    pub(crate) error: Option<(RequestErrorKind, String)>,
    pub(crate) at: Instant,
    /// Bytes written for the request, and read for its response.
    pub(crate) sent: u64,
    pub(crate) received: u64,
    /// The connections it opened.
    pub(crate) setup: Setup,
}

/// The recorders of one test.
pub(crate) struct Session {
    id: u64,
    start: Instant,
    /// `start` on the wall clock, ms since the Unix epoch: shards of one
    /// test align their timelines on it.
    started_unix_ms: Option<u64>,
    recorders: Mutex<Vec<Arc<Mutex<Recorder>>>>,
    endpoints: Admission,
    observer: Option<Arc<crate::load::http::observe::Observer>>,
}

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static LOCAL: RefCell<Option<(u64, Arc<Mutex<Recorder>>)>> = const { RefCell::new(None) };
}

impl Session {
    pub(crate) fn new() -> Arc<Self> {
        Self::observed_by(None)
    }

    /// A session whose responses `observer` reads as well.
    pub(crate) fn observed_by(
        observer: Option<Arc<crate::load::http::observe::Observer>>,
    ) -> Arc<Self> {
        Arc::new(Self {
            id: NEXT_SESSION.fetch_add(1, Ordering::Relaxed),
            start: Instant::now(),
            started_unix_ms: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .and_then(|d| u64::try_from(d.as_millis()).ok()),
            recorders: Mutex::new(Vec::new()),
            endpoints: Admission::default(),
            observer,
        })
    }

    pub(crate) fn observer(&self) -> Option<&crate::load::http::observe::Observer> {
        self.observer.as_deref()
    }

    pub(crate) fn start(&self) -> Instant {
        self.start
    }

    /// When the session started on the wall clock, ms since the Unix epoch.
    pub(crate) fn started_unix_ms(&self) -> Option<u64> {
        self.started_unix_ms
    }

    fn with_local<R>(&self, f: impl FnOnce(&mut Recorder) -> R) -> R {
        LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            if !matches!(&*local, Some((id, _)) if *id == self.id) {
                let recorder = Arc::new(Mutex::new(Recorder::new(self.start)));
                self.recorders
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Arc::clone(&recorder));
                *local = Some((self.id, recorder));
            }
            let Some((_, recorder)) = &*local else {
                unreachable!("set just above")
            };
            // Uncontended: only this thread records into it until the end.
            let mut guard = recorder.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
    }

    /// Records one request.
    pub(crate) fn record(&self, request: RequestRecord<'_>) {
        let raw = micros(request.latency);
        let corrected = request.corrected.map_or(raw, |c| micros(c).max(raw));
        // Only answered requests have a latency: a refused connection
        // "answers" in microseconds and would flatter the percentiles. (A
        // WebSocket round trip has no status, and is answered unless it
        // failed.)
        let answered = request.status.is_some() || request.error.is_none();
        self.with_local(|r| {
            r.requests += 1;
            r.sent += request.sent;
            r.received += request.received;
            let setup = request.setup;
            r.setup.add(
                u64::from(setup.connects),
                setup.connect,
                u64::from(setup.handshakes),
                setup.handshake,
            );
            if answered {
                let _ = r.latency.record(corrected);
                let _ = r.raw_latency.record(raw);
            }
            let endpoint = match r.endpoints.get_mut(request.name) {
                Some(endpoint) => endpoint,
                None => {
                    let row = self.endpoints.row(request.name);
                    if row != request.name {
                        r.overflow.count(request.name);
                    }
                    r.endpoints.entry(row.to_owned()).or_insert_with(Tally::new)
                }
            };
            endpoint.sent += request.sent;
            endpoint.received += request.received;
            if answered {
                let _ = endpoint.latency.record(corrected);
            }
            if request.error.is_some() {
                endpoint.errors += 1;
            }
            if let Some(status) = request.status {
                *r.status_codes.entry(status).or_insert(0) += 1;
            }
            let failed = request.error.is_some();
            if let Some((kind, message)) = request.error {
                r.failed += 1;
                note_error(&mut r.errors, kind, message);
            }
            let second = r.second(request.at);
            second.0 += 1;
            second.1 += u64::from(failed);
            if answered {
                let _ = second.2.record(corrected);
            }
        });
    }

    /// Records a failure that is not a request of its own: a failed check
    /// on a response already counted as a success, or an error returned
    /// by the user's function.
    pub(crate) fn record_failure(
        &self,
        endpoint: Option<&str>,
        kind: RequestErrorKind,
        message: String,
    ) {
        let now = Instant::now();
        self.with_local(|r| {
            r.failed += 1;
            let row = endpoint.map(|name| {
                if r.endpoints.contains_key(name) {
                    name
                } else {
                    OTHER_ENDPOINTS
                }
            });
            if let Some(tally) = row.and_then(|name| r.endpoints.get_mut(name)) {
                tally.errors += 1;
            }
            note_error(&mut r.errors, kind, message);
            r.second(now).1 += 1;
        });
    }

    /// Records `count` requests still unanswered when the test ended as
    /// timed out, in the test's last second (`elapsed`).
    pub(crate) fn record_unfinished(&self, count: u64, elapsed: Duration, message: String) {
        let at = self.start + elapsed;
        self.with_local(|r| {
            r.requests += count;
            r.failed += count;
            let entry = r.errors.entry(RequestErrorKind::Timeout).or_default();
            entry.count += count;
            if entry.first_messages.len() < MESSAGES_KEPT {
                entry.first_messages.push(message);
            }
            let second = r.second(at);
            second.0 += count;
            second.1 += count;
        });
    }

    /// Records the bytes of a request cut at the end of the test: written,
    /// and perhaps partly answered, but never recorded as a request (the
    /// cut requests are counted by [`Session::record_unfinished`]).
    pub(crate) fn record_cut_transfer(&self, sent: u64, received: u64) {
        self.with_local(|r| {
            r.sent += sent;
            r.received += received;
        });
    }

    /// Requests, failures and the 95th percentile (µs) of one second of
    /// the test so far, across threads: for the live progress line.
    pub(crate) fn second_snapshot(&self, second: usize) -> (u64, u64, u64) {
        let mut merged = histogram(2);
        let (mut requests, mut errors) = (0, 0);
        for recorder in self
            .recorders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let recorder = recorder.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((r, e, hist)) = recorder.seconds.get(second) {
                requests += r;
                errors += e;
                let _ = merged.add(hist);
            }
        }
        (requests, errors, merged.value_at_quantile(0.95))
    }

    /// Merges every thread's recorder.
    pub(crate) fn finish(&self, elapsed: Duration, active: &[u64]) -> Totals {
        let mut total = Recorder::new(self.start);
        for recorder in self
            .recorders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            total.merge(&recorder.lock().unwrap_or_else(PoisonError::into_inner));
        }
        let secs = elapsed.as_secs_f64().max(1e-9);
        let mut endpoints: Vec<EndpointStats> = total
            .endpoints
            .iter()
            .map(|(name, tally)| EndpointStats {
                name: name.clone(),
                rps: tally.latency.len() as f64 / secs,
                errors: tally.errors,
                latency: summarize(&tally.latency),
                transfer: Transfer::over(tally.received, tally.sent, secs),
            })
            .collect();
        endpoints.sort_by(|a, b| a.name.cmp(&b.name));
        let timeline = total
            .seconds
            .iter()
            .enumerate()
            .map(|(t, (requests, errors, hist))| Second {
                t: u32::try_from(t).unwrap_or(u32::MAX),
                requests: *requests,
                errors: *errors,
                p50_us: hist.value_at_quantile(0.5),
                p95_us: hist.value_at_quantile(0.95),
                p99_us: hist.value_at_quantile(0.99),
                // The last, partial second may end before its sample
                // (taken mid-second): the users it ran are those of the
                // last sample, not none (a chart would draw a ramp to zero
                // the workload never had).
                active: active.get(t).or(active.last()).copied().unwrap_or(0),
                histogram: encode(hist),
                part: 0,
            })
            .collect();
        Totals {
            requests: total.requests,
            failed: total.failed,
            latency: summarize(&total.latency),
            raw_latency: summarize(&total.raw_latency),
            transfer: Transfer::over(total.received, total.sent, secs),
            connections: total.setup.connections(),
            endpoints,
            errors: total.errors,
            status_codes: total.status_codes,
            timeline,
            overflow: total.overflow.warning(),
        }
    }
}

fn note_error(
    errors: &mut BTreeMap<RequestErrorKind, ErrorKindStats>,
    kind: RequestErrorKind,
    message: String,
) {
    let entry = errors.entry(kind).or_default();
    entry.count += 1;
    if entry.first_messages.len() < MESSAGES_KEPT && !entry.first_messages.contains(&message) {
        entry.first_messages.push(message);
    }
}

/// Merged results of a test.
pub(crate) struct Totals {
    pub(crate) requests: u64,
    pub(crate) failed: u64,
    pub(crate) latency: LatencySummary,
    pub(crate) raw_latency: LatencySummary,
    pub(crate) transfer: Transfer,
    pub(crate) connections: Option<Connections>,
    pub(crate) endpoints: Vec<EndpointStats>,
    pub(crate) errors: BTreeMap<RequestErrorKind, ErrorKindStats>,
    pub(crate) status_codes: BTreeMap<u16, u64>,
    pub(crate) timeline: Vec<Second>,
    /// Requests past the cap on distinct endpoints, if any.
    pub(crate) overflow: Option<Warning>,
}

#[cfg(test)]
mod tests;
