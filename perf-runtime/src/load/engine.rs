//! Running a workload: the closed model (virtual users looping with think
//! time) and the open model (iterations started on a schedule, timed from
//! that schedule). Every loop is bounded by the workload's end plus a
//! grace period.

use std::future::Future;
use std::net::{SocketAddr, ToSocketAddrs as _};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use hyper::header::HeaderValue;
use perf_record::load::LoadStats;
use perf_record::protocol::env;
use tokio::sync::Semaphore;

use crate::load::http::client::Target;
use crate::load::profile::{LoadProfile, Model};
use crate::load::recorder::Session;
use crate::load::user::User;

/// One iteration of a virtual user, as the macro wraps the test function.
pub type LoadFn =
    for<'u> fn(&'u mut User) -> Pin<Box<dyn Future<Output = crate::load::Result<()>> + Send + 'u>>;

/// How long iterations still running at the end may take to finish.
const GRACE: Duration = Duration::from_secs(5);
/// An iteration starting this much after its scheduled time is late.
const LATE: Duration = Duration::from_millis(10);
/// Lateness below this is the generator's scheduling noise, not queueing.
const TIMER_SLACK: Duration = Duration::from_micros(500);

/// Where the requests go, checked: loopback only, unless the user opted
/// in to another host.
pub(crate) fn resolve_target(url: &str, allow_remote: bool) -> Result<Target, String> {
    let parsed = perf_record::target::TargetUrl::parse(url)?;
    let addr: SocketAddr = parsed
        .host_port
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve the target `{}`: {e}", parsed.authority))?
        .next()
        .ok_or_else(|| format!("the target `{}` resolves to no address", parsed.authority))?;
    if !addr.ip().is_loopback() && !allow_remote {
        return Err(format!(
            "the target {url} ({}) is not a loopback address; a load test must not flood another host by \
             accident. Set PERF_ALLOW_REMOTE=1 (or pass --allow-remote to cargo perf) if you mean it",
            addr.ip()
        ));
    }
    let authority =
        HeaderValue::try_from(parsed.authority).map_err(|_| format!("invalid host in `{url}`"))?;
    Ok(Target { addr, authority })
}

/// CPU time this process has used, user + system, from /proc (Linux).
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports in USER_HZ, 100 per second on every architecture.
    Some(Duration::from_millis(ticks * 10))
}

/// Runs a workload to its end and returns what it measured.
pub(crate) fn run(
    load_fn: LoadFn,
    profile: &LoadProfile,
    target: Target,
    threads: usize,
) -> std::io::Result<LoadStats> {
    // One generator thread: a current-thread runtime, with no work
    // stealing or cross-thread wake-ups to pay for on every request.
    let runtime = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()?
    };
    let session = Session::observed_by(profile.observer.as_ref().map(|o| Arc::clone(&o.0)));
    let cpu_before = process_cpu();
    let target = Arc::new(target);
    let counters = Arc::new(Counters::default());
    let series: Arc<Mutex<Vec<u64>>> = Arc::default();
    let elapsed = runtime.block_on(async {
        let sampler = tokio::spawn(sample_active(
            Arc::clone(&counters),
            session.start(),
            Arc::clone(&series),
        ));
        let progress = std::env::var(env::PROGRESS)
            .is_ok_and(|v| v == "1")
            .then(|| {
                tokio::spawn(report_progress(
                    Arc::clone(&session),
                    Arc::clone(&counters),
                    profile.total(),
                ))
            });
        match profile.model {
            Model::Closed => closed(load_fn, profile, &target, &session, &counters).await,
            Model::Open => open(load_fn, profile, &target, &session, &counters).await,
        }
        let elapsed = session.start().elapsed();
        sampler.abort();
        if let Some(progress) = progress {
            progress.abort();
        }
        elapsed
    });
    let active_series = series
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    runtime.shutdown_timeout(Duration::from_secs(1));
    let cpu = match (cpu_before, process_cpu()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => Duration::ZERO,
    };
    let totals = session.finish(elapsed, &active_series);
    let secs = elapsed.as_secs_f64().max(1e-9);
    let iterations = counters.iterations.load(Ordering::Relaxed);
    let late = counters.late.load(Ordering::Relaxed);
    let dropped = counters.dropped.load(Ordering::Relaxed);
    let cpu_pct = cpu.as_secs_f64() / (secs * threads.max(1) as f64) * 100.0;
    let mut warnings = Vec::new();
    if cpu_pct > 90.0 {
        warnings.push(format!(
            "the load generator used {cpu_pct:.0}% of its {threads} thread(s): it may have been the bottleneck, \
             so the figures may describe the generator rather than the server"
        ));
    }
    let scheduled = iterations + dropped;
    if profile.model == Model::Open && scheduled > 0 && (late + dropped) * 100 > scheduled {
        warnings.push(format!(
            "{late} iteration(s) started late and {dropped} never started: the generator fell behind the schedule \
             (raise max_in_flight, or the server is saturated)"
        ));
    }
    if totals.requests > 0 && totals.failed * 2 > totals.requests {
        warnings.push(format!(
            "{} of {} requests failed: the latency and throughput figures describe only the answered ones",
            totals.failed, totals.requests
        ));
    }
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
        error_rate_pct,
        latency: totals.latency,
        raw_latency: (profile.model == Model::Open).then_some(totals.raw_latency),
        endpoints: totals.endpoints,
        errors: totals.errors,
        status_codes: totals.status_codes,
        timeline: totals.timeline,
        late_iterations: late,
        dropped_iterations: dropped,
        generator_cpu_s: cpu.as_secs_f64(),
        generator_cpu_pct: cpu_pct,
        warnings,
        sweep: None,
    })
}

#[derive(Default)]
struct Counters {
    iterations: AtomicU64,
    /// Iterations begun (closed model), for `max_iterations`.
    started: AtomicU64,
    active: AtomicU64,
    late: AtomicU64,
    dropped: AtomicU64,
}

/// The number of active users or in-flight iterations, once a second,
/// until aborted.
async fn sample_active(counters: Arc<Counters>, start: Instant, series: Arc<Mutex<Vec<u64>>>) {
    let mut tick = tokio::time::interval_at(
        tokio::time::Instant::from_std(start + Duration::from_secs(1)),
        Duration::from_secs(1),
    );
    loop {
        tick.tick().await;
        let active = counters.active.load(Ordering::Relaxed);
        series
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(active);
    }
}

/// Once a second, a progress line on stderr for cargo perf to show:
/// `cargo-perf-progress {json}`.
async fn report_progress(session: Arc<Session>, counters: Arc<Counters>, total: Duration) {
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
        let line = serde_json::json!({
            "elapsed_s": elapsed.as_secs_f64(),
            "total_s": total.as_secs_f64(),
            "active": counters.active.load(Ordering::Relaxed),
            "rps": requests,
            "p95_us": p95_us,
            "errors": errors,
        });
        eprintln!("{PROGRESS_PREFIX}{line}");
    }
}

/// What a progress line on stderr starts with.
pub(crate) const PROGRESS_PREFIX: &str = "cargo-perf-progress ";

async fn iterate(load_fn: LoadFn, user: &mut User, session: &Session, counters: &Counters) {
    // No timer per iteration: each request has its own timeout, and tasks
    // still running after the grace period are dropped with the runtime.
    match load_fn(user).await {
        Ok(()) => {}
        Err(error) if error.is_recorded() => {}
        Err(error) => session.record_failure(None, error.kind(), error.to_string()),
    }
    user.set_up = true;
    counters.iterations.fetch_add(1, Ordering::Relaxed);
}

async fn closed(
    load_fn: LoadFn,
    profile: &LoadProfile,
    target: &Arc<Target>,
    session: &Arc<Session>,
    counters: &Arc<Counters>,
) {
    let start = session.start();
    let end = start + profile.total();
    let desired = Arc::new(AtomicU64::new(0));
    let mut users = Vec::new();
    let mut spawned: u64 = 0;
    let cap = profile.max_iterations;
    loop {
        let now = Instant::now();
        if now >= end || cap.is_some_and(|cap| counters.iterations.load(Ordering::Relaxed) >= cap) {
            break;
        }
        // Every user stopped before the end: a capped test whose last
        // iterations panicked (the count never reaches the cap), or users
        // whose task died. Nothing will run any more; do not wait out the
        // time limit.
        if spawned > 0 && users.iter().all(tokio::task::JoinHandle::is_finished) {
            break;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a checked, non-negative user count"
        )]
        let want = profile.target_at(now - start).round() as u64;
        desired.store(want, Ordering::Relaxed);
        counters
            .active
            .store(want.min(spawned.max(want)), Ordering::Relaxed);
        while spawned < want {
            let mut user = User::new(
                spawned,
                Arc::clone(target),
                Arc::clone(session),
                profile.think,
                profile.level,
            )
            .configured(profile);
            let (session, counters, desired, index) = (
                Arc::clone(session),
                Arc::clone(counters),
                Arc::clone(&desired),
                spawned,
            );
            users.push(tokio::spawn(async move {
                loop {
                    if Instant::now() >= end {
                        break;
                    }
                    if index >= desired.load(Ordering::Relaxed) {
                        // Ramped down: wait to be needed again, or the end.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                    if cap
                        .is_some_and(|cap| counters.started.fetch_add(1, Ordering::Relaxed) >= cap)
                    {
                        break;
                    }
                    user.begin_iteration(None);
                    iterate(load_fn, &mut user, &session, &counters).await;
                    tokio::select! {
                        () = user.think() => {}
                        () = tokio::time::sleep_until(tokio::time::Instant::from_std(end)) => {}
                    }
                }
            }));
            spawned += 1;
        }
        let next = (Instant::now() + Duration::from_millis(50)).min(end);
        tokio::time::sleep_until(tokio::time::Instant::from_std(next)).await;
    }
    counters.active.store(0, Ordering::Relaxed);
    // One deadline for all: iterations still running get the grace period,
    // not a grace period each.
    let deadline = tokio::time::Instant::from_std(end + GRACE + Duration::from_secs(1));
    for handle in users {
        match tokio::time::timeout_at(deadline, handle).await {
            Err(_) => break,
            Ok(Err(error)) if error.is_panic() => {
                let panic = error.into_panic();
                let message = panic
                    .downcast_ref::<&str>()
                    .map(ToString::to_string)
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".to_owned());
                session.record_failure(
                    None,
                    "panic",
                    format!("a virtual user panicked: {message}"),
                );
            }
            Ok(_) => {}
        }
    }
}

async fn open(
    load_fn: LoadFn,
    profile: &LoadProfile,
    target: &Arc<Target>,
    session: &Arc<Session>,
    counters: &Arc<Counters>,
) {
    let start = session.start();
    let end = start + profile.total();
    let cap = usize::try_from(profile.max_in_flight)
        .unwrap_or(usize::MAX)
        .min(Semaphore::MAX_PERMITS);
    let permits = Arc::new(Semaphore::new(cap));
    let idle: Arc<Mutex<Vec<User>>> = Arc::default();
    let mut next_id = 0;
    let (clock, mut arrivals) = tokio::sync::mpsc::unbounded_channel();
    // The schedule is kept by a thread of its own with the OS's sleep,
    // precise to tens of microseconds, where the runtime's timer wheel
    // wakes up to a couple of milliseconds late.
    let schedule = profile.clone();
    let clock_thread = std::thread::spawn(move || {
        for at in arrival_offsets(&schedule) {
            let at = start + at;
            let now = Instant::now();
            if at > now {
                std::thread::sleep(at - now);
            }
            if clock.send(at).is_err() {
                return;
            }
        }
    });
    while let Some(scheduled) = arrivals.recv().await {
        if Instant::now() >= end {
            // Queued behind a full cap until the end: never started. (An
            // arrival due at the very end, received just after it, is
            // the clock's own jitter, not the generator falling behind.)
            if end.saturating_duration_since(scheduled) > LATE {
                counters.dropped.fetch_add(1, Ordering::Relaxed);
            }
            continue;
        }
        let permit = match Arc::clone(&permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let waited = tokio::time::timeout_at(
                    tokio::time::Instant::from_std(end),
                    Arc::clone(&permits).acquire_owned(),
                )
                .await;
                match waited {
                    Ok(Ok(permit)) => permit,
                    _ => {
                        counters.dropped.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                }
            }
        };
        let lateness = Instant::now().saturating_duration_since(scheduled);
        if lateness > LATE {
            counters.late.fetch_add(1, Ordering::Relaxed);
        }
        // A delay under the slack is the generator's own scheduling noise,
        // not a queue behind the server, and is not charged to the request.
        let scheduled = (lateness > TIMER_SLACK).then_some(scheduled);
        let user = idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut user = user.unwrap_or_else(|| {
            next_id += 1;
            User::new(
                next_id - 1,
                Arc::clone(target),
                Arc::clone(session),
                profile.think,
                profile.level,
            )
            .configured(profile)
        });
        let (session, counters, idle) =
            (Arc::clone(session), Arc::clone(counters), Arc::clone(&idle));
        counters.active.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            user.begin_iteration(scheduled);
            iterate(load_fn, &mut user, &session, &counters).await;
            counters.active.fetch_sub(1, Ordering::Relaxed);
            idle.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(user);
            drop(permit);
        });
    }
    let _ = clock_thread.join();
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout_at(
        tokio::time::Instant::from_std(end + GRACE + Duration::from_secs(1)),
        permits.acquire_many(all),
    )
    .await;
}

/// When each iteration of an open workload is due, from the start: the
/// n-th arrival comes when the integral of the rate reaches n. Stepping by
/// `1 / rate` instead would skip nearly all of a ramp that starts from zero
/// (the first gap would be taken at a rate of almost nothing).
fn arrival_offsets(profile: &LoadProfile) -> impl Iterator<Item = Duration> + '_ {
    const STEP: f64 = 0.001;
    let total = profile.total().as_secs_f64();
    let mut t = 0.0_f64;
    let mut owed = 0.0_f64;
    std::iter::from_fn(move || {
        while t < total {
            let step = STEP.min(total - t);
            let rate = profile.target_at(Duration::from_secs_f64(t + step / 2.0));
            if rate > 0.0 && owed + rate * step >= 1.0 {
                // The next arrival falls inside this step.
                t += (1.0 - owed) / rate;
                owed = 0.0;
                return Some(Duration::from_secs_f64(t));
            }
            owed += rate * step;
            t += step;
        }
        None
    })
}

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
    use super::*;
    use crate::load::profile::LoadOptions;

    #[test]
    fn arrivals_follow_the_rate_also_on_a_ramp_from_zero() {
        const S: u64 = 1_000_000_000;
        static RAMP: [(u64, f64); 2] = [(10 * S, 100.0), (10 * S, 500.0)];
        let options = LoadOptions {
            rate_stages: &RAMP,
            ..LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&options, 1.0).unwrap();
        let arrivals: Vec<Duration> = arrival_offsets(&profile).collect();
        // 0 -> 100/s over 10 s is 500 arrivals; 100 -> 500/s over 10 s, 3000.
        let first = arrivals.iter().filter(|t| t.as_secs_f64() < 10.0).count();
        assert!((495..=505).contains(&first), "{first}");
        assert!(
            (3490..=3510).contains(&arrivals.len()),
            "{}",
            arrivals.len()
        );
        assert!(arrivals.windows(2).all(|w| w[0] <= w[1]));
        let constant = LoadOptions {
            rate: Some(1000.0),
            duration_ns: Some(2 * S),
            ..LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&constant, 1.0).unwrap();
        let arrivals: Vec<Duration> = arrival_offsets(&profile).collect();
        assert!(
            (1999..=2000).contains(&arrivals.len()),
            "{}",
            arrivals.len()
        );
        let gap = arrivals[1] - arrivals[0];
        assert!((gap.as_secs_f64() - 0.001).abs() < 1e-6, "{gap:?}");
    }

    #[test]
    fn a_capped_test_whose_users_panic_stops_at_once_and_says_so() {
        fn boom(
            _: &mut User,
        ) -> Pin<Box<dyn Future<Output = crate::load::Result<()>> + Send + '_>> {
            Box::pin(async { panic!("boom") })
        }
        let options = LoadOptions {
            users: Some(2),
            ramp_up_ns: Some(0),
            hold_ns: Some(120_000_000_000),
            ..LoadOptions::default()
        };
        let mut profile = LoadProfile::resolve(&options, 1.0).unwrap();
        profile.max_iterations = Some(10);
        let target = resolve_target("http://127.0.0.1:9", false).unwrap();
        let started = Instant::now();
        let stats = run(boom, &profile, target, 1).unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "waited {:?} for users that had died",
            started.elapsed()
        );
        let panics = &stats.errors["panic"];
        assert_eq!(panics.count, 2, "{panics:?}");
        assert!(panics.first_messages[0].contains("boom"), "{panics:?}");
    }

    #[test]
    fn targets_must_be_loopback_http() {
        assert!(resolve_target("http://127.0.0.1:8080", false).is_ok());
        assert!(resolve_target("http://[::1]:8080/api", false).is_ok());
        assert!(resolve_target("http://localhost:9", false).is_ok());
        let remote = resolve_target("http://192.0.2.1:80", false).unwrap_err();
        assert!(
            remote.contains("not a loopback address") && remote.contains("PERF_ALLOW_REMOTE"),
            "{remote}"
        );
        assert!(resolve_target("http://192.0.2.1:80", true).is_ok());
        assert!(
            resolve_target("https://127.0.0.1", false)
                .unwrap_err()
                .contains("http://")
        );
    }
}
