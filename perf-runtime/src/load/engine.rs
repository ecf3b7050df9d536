//! Running a workload: the generator's runtime, its progress and active
//! users over time, its own CPU use, and the figures it measured; and a
//! few iterations as a smoke test.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use perf_record::finding::Warning;
use perf_record::load::{LoadStats, RequestErrorKind};
use perf_record::protocol::env;
use perf_record::split::Split;

use crate::load::http::target::Target;
use crate::load::models::GRACE;
use crate::load::profile::{LoadProfile, Model};
use crate::load::recorder::Session;
use crate::load::user::{LoadFn, User};
use crate::load::workers::{self, AllCounters};

/// The load generator a test runs its workload, or each of its kind's
/// steps, with: the test's function, the server and the threads.
#[derive(Clone, Copy)]
pub(crate) struct Generator<'a> {
    pub(crate) load_fn: LoadFn,
    pub(crate) target: &'a Target,
    pub(crate) threads: usize,
    /// The share of the load this generator runs (`--split`), or all.
    pub(crate) split: Option<Split>,
}

impl Generator<'_> {
    /// Runs a workload to its end and returns what it measured; a test
    /// whose function panicked fails with the panic, whatever it measured.
    pub(crate) fn run(&self, profile: &LoadProfile) -> Result<LoadStats, String> {
        super::limits::check(profile, self.split)?;
        let stats = run(
            self.load_fn,
            profile,
            self.split,
            self.target.clone(),
            self.threads,
        )
        .map_err(|e| format!("failed to start the load generator: {e}"))?;
        match stats.errors.get(&RequestErrorKind::Panic) {
            Some(panics) => Err(format!(
                "{} (the test's function is broken: {} iteration(s) panicked)",
                panics
                    .first_messages
                    .first()
                    .map_or("a virtual user panicked", String::as_str),
                panics.count
            )),
            None => Ok(stats),
        }
    }
}

/// Runs a workload to its end and returns what it measured.
fn run(
    load_fn: LoadFn,
    profile: &LoadProfile,
    split: Option<Split>,
    target: Target,
    threads: usize,
) -> std::io::Result<LoadStats> {
    // One current-thread runtime per generator thread, each with its own
    // share of the users: no work stealing or cross-thread wake-ups to pay
    // for on every request (`workers`).
    let used = workers::threads_for(profile, split, threads);
    let counters = AllCounters::new(used);
    let session = Session::observed_by(profile.observer.as_ref().map(|o| Arc::clone(&o.0)));
    let cpu_before = perf_record::procfs::cpu_time(None);
    let target = Arc::new(target);
    let series: Arc<Mutex<Vec<u64>>> = Arc::default();
    // The samplers run on this thread, beside the generator's.
    let monitor_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let monitor = |mut ended: tokio::sync::mpsc::UnboundedReceiver<()>| {
        monitor_runtime.block_on(async {
            let sampler = tokio::spawn(sample_active(
                counters.clone(),
                session.start(),
                Arc::clone(&series),
            ));
            let progress = std::env::var(env::PROGRESS)
                .is_ok_and(|v| v == "1")
                .then(|| {
                    tokio::spawn(report_progress(
                        Arc::clone(&session),
                        counters.clone(),
                        profile.total(),
                    ))
                });
            while ended.recv().await.is_some() {}
            sampler.abort();
            if let Some(progress) = progress {
                progress.abort();
            }
        });
    };
    let finished = workers::run_shares(
        load_fn, profile, split, &target, &session, &counters, monitor,
    )?;
    let elapsed = finished.saturating_duration_since(session.start());
    let active_series = series
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    // Iterations the shutdown dropped were still waiting for the server:
    // each is a request that timed out, not one that never happened.
    let unfinished = counters.sum(|c| &c.in_flight);
    if unfinished > 0 {
        session.record_unfinished(
            unfinished,
            elapsed,
            format!(
                "{unfinished} iteration(s) had no answer by the end of the workload and its {:.0} s \
                 grace: counted as timed out",
                GRACE.as_secs_f64()
            ),
        );
    }
    let cpu = match (cpu_before, perf_record::procfs::cpu_time(None)) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => Duration::ZERO,
    };
    let totals = session.finish(elapsed, &active_series);
    let secs = elapsed.as_secs_f64().max(1e-9);
    let iterations = counters.sum(|c| &c.iterations);
    let late = counters.sum(|c| &c.late);
    let dropped = counters.sum(|c| &c.dropped);
    let threads = usize::try_from(used).unwrap_or(usize::MAX);
    let cpu_pct = cpu.as_secs_f64() / (secs * threads.max(1) as f64) * 100.0;
    let open = profile.model == Model::Open;
    let warnings: Vec<Warning> = [
        Warning::saturated(cpu_pct, threads),
        Warning::behind_schedule(late, dropped, iterations + dropped).filter(|_| open),
        Warning::mostly_failed(totals.failed, totals.requests),
        totals.overflow.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let error_rate_pct = if totals.requests > 0 {
        totals.failed as f64 / totals.requests as f64 * 100.0
    } else if totals.failed > 0 {
        100.0
    } else {
        0.0
    };
    Ok(LoadStats {
        workload: profile.summary(),
        duration_s: secs,
        iterations,
        requests: totals.requests,
        // Throughput counts answered requests (any status): refused
        // connections are not work the server did.
        rps: totals.latency.count as f64 / secs,
        transfer: totals.transfer,
        connections: totals.connections,
        error_rate_pct,
        latency: totals.latency,
        raw_latency: (profile.model == Model::Open).then_some(totals.raw_latency),
        endpoints: totals.endpoints,
        errors: totals.errors,
        status_codes: totals.status_codes,
        timeline: totals.timeline,
        started_unix_ms: session.started_unix_ms(),
        late_iterations: late,
        dropped_iterations: dropped,
        generator_cpu_s: cpu.as_secs_f64(),
        generator_cpu_pct: cpu_pct,
        warnings,
        sweep: None,
        processes: Vec::new(),
    })
}

/// The number of active users or in-flight iterations, once a second, in
/// the middle of each second, until aborted: at a second's end the
/// workload may just have stopped, and a second that ran 8 users would
/// read as none.
async fn sample_active(counters: AllCounters, start: Instant, series: Arc<Mutex<Vec<u64>>>) {
    let mut tick = tokio::time::interval_at(
        tokio::time::Instant::from_std(start + Duration::from_millis(500)),
        Duration::from_secs(1),
    );
    loop {
        tick.tick().await;
        let active = counters.sum(|c| &c.active);
        series
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(active);
    }
}

/// Once a second, a progress line on stderr for cargo perf to show:
/// `cargo-perf-progress {json}`.
async fn report_progress(session: Arc<Session>, counters: AllCounters, total: Duration) {
    let start = session.start();
    let mut tick = tokio::time::interval_at(
        tokio::time::Instant::from_std(start + Duration::from_secs(1)),
        Duration::from_secs(1),
    );
    loop {
        tick.tick().await;
        let elapsed = start.elapsed();
        let second = usize::try_from(elapsed.as_secs().saturating_sub(1)).unwrap_or(0);
        let (requests, errors, p95_us) = session.second_snapshot(second);
        let line = perf_record::protocol::Progress {
            elapsed_s: elapsed.as_secs_f64(),
            total_s: total.as_secs_f64(),
            active: counters.sum(|c| &c.active) as f64,
            rps: requests as f64,
            p95_us: p95_us as f64,
            errors: errors as f64,
        };
        if let Ok(line) = serde_json::to_string(&line) {
            eprintln!("{PROGRESS_PREFIX}{line}");
        }
    }
}

/// What a progress line on stderr starts with.
pub(crate) const PROGRESS_PREFIX: &str = "cargo-perf-progress ";

/// Runs a few iterations with one user, for `cargo test`: whether the
/// test works at all against the target.
pub(crate) fn smoke(
    load_fn: LoadFn,
    target: Target,
    iterations: u32,
    level: u64,
    label: Option<&'static str>,
    timeout: Option<Duration>,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("failed to build a tokio runtime: {e}"))?;
    let session = Session::new();
    runtime.block_on(async {
        let mut user = User::new(
            0,
            Arc::new(target),
            Arc::clone(&session),
            (Duration::ZERO, Duration::ZERO),
            level,
        );
        user.set_timeout(timeout.unwrap_or(Duration::from_secs(10)));
        user.set_label(label);
        for _ in 0..iterations {
            user.begin_iteration(None);
            if let Err(error) = load_fn(&mut user).await {
                return Err(error.to_string());
            }
            user.set_up = true;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::Pin;

    use super::*;
    use crate::load::http::target::resolve_target;
    use crate::load::profile::LoadOptions;

    #[test]
    fn a_capped_test_whose_users_panic_stops_at_once_and_says_so() {
        let options = LoadOptions {
            users: Some(2),
            ramp_up_ns: Some(0),
            hold_ns: Some(120_000_000_000),
            ..LoadOptions::default()
        };
        let mut profile = LoadProfile::resolve(&options, 1.0).unwrap();
        profile.max_iterations = Some(10);
        let target = resolve_target("http://127.0.0.1:9", false, &Default::default()).unwrap();
        let started = Instant::now();
        let stats = run(boom, &profile, None, target, 1).unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "waited {:?} for users that had died",
            started.elapsed()
        );
        let panics = &stats.errors[&RequestErrorKind::Panic];
        assert_eq!(panics.count, 2, "{panics:?}");
        assert!(panics.first_messages[0].contains("boom"), "{panics:?}");
    }

    fn boom(_: &mut User) -> Pin<Box<dyn Future<Output = crate::load::Result<()>> + Send + '_>> {
        Box::pin(async { panic!("boom") })
    }

    #[test]
    fn a_test_whose_open_model_users_panic_fails_and_stops_scheduling() {
        let options = LoadOptions {
            rate: Some(50.0),
            duration_ns: Some(60_000_000_000),
            ..LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&options, 1.0).unwrap();
        let target = resolve_target("http://127.0.0.1:9", false, &Default::default()).unwrap();
        let generator = Generator {
            load_fn: boom,
            target: &target,
            threads: 1,
            split: None,
        };
        let started = Instant::now();
        let failure = generator.run(&profile).unwrap_err();
        assert!(
            failure.contains("a virtual user panicked: boom"),
            "{failure}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "ran on for {:?} after the panic",
            started.elapsed()
        );
    }

    fn get_root(
        user: &mut User,
    ) -> Pin<Box<dyn Future<Output = crate::load::Result<()>> + Send + '_>> {
        Box::pin(async { user.get("/").await.map(drop) })
    }

    /// A keep-alive server answering every request on every connection.
    fn answering_server() -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                std::thread::spawn(move || {
                    let mut buf = [0; 4096];
                    while stream.read(&mut buf).is_ok_and(|n| n > 0) {
                        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    }
                });
            }
        });
        url
    }

    #[test]
    fn every_generator_thread_runs_its_share_and_the_shares_add_up() {
        let options = LoadOptions {
            users: Some(5),
            ramp_up_ns: Some(0),
            hold_ns: Some(30_000_000_000),
            ..LoadOptions::default()
        };
        let mut profile = LoadProfile::resolve(&options, 1.0).unwrap();
        profile.max_iterations = Some(301);
        let url = answering_server();
        for threads in [1, 2, 3] {
            let target = resolve_target(&url, false, &Default::default()).unwrap();
            let stats = run(get_root, &profile, None, target, threads).unwrap();
            // Each thread stops at its share of the cap: together, the cap.
            assert_eq!(stats.iterations, 301, "{threads} thread(s)");
            assert_eq!(stats.requests, 301, "{threads} thread(s)");
            assert_eq!(stats.latency.count, 301, "{threads} thread(s)");
            assert!(stats.errors.is_empty(), "{:?}", stats.errors);
        }
    }

    #[test]
    fn iterations_still_waiting_at_the_end_count_as_timed_out() {
        // A server that accepts connections and never answers.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let held: Vec<_> = listener.incoming().collect();
            drop(held);
        });
        let options = LoadOptions {
            users: Some(3),
            ramp_up_ns: Some(0),
            hold_ns: Some(200_000_000),
            ..LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&options, 1.0).unwrap();
        let target = resolve_target(&url, false, &Default::default()).unwrap();
        let stats = run(get_root, &profile, None, target, 1).unwrap();
        assert_eq!(stats.latency.count, 0);
        assert_eq!(stats.requests, 3, "{stats:?}");
        assert_eq!(stats.error_rate_pct, 100.0);
        // Each cut request was written: its bytes count.
        assert!(
            stats.transfer.sent_bytes >= 3 * "GET / HTTP/1.1\r\n".len() as u64,
            "{:?}",
            stats.transfer
        );
        let timeouts = &stats.errors[&RequestErrorKind::Timeout];
        assert_eq!(timeouts.count, 3, "{timeouts:?}");
        assert!(
            timeouts.first_messages[0].contains("counted as timed out"),
            "{timeouts:?}"
        );
    }
}
