//! The two load models' loops: closed (virtual users looping with think
//! time) and open (iterations started on a schedule, timed from that
//! schedule). Every loop is bounded by the workload's end plus a grace
//! period.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use perf_record::load::RequestErrorKind;
use perf_record::split::Split;
use tokio::sync::Semaphore;

use crate::load::http::target::Target;
use crate::load::profile::LoadProfile;
use crate::load::recorder::Session;
use crate::load::user::LoadFn;
use crate::load::user::User;

/// How long iterations still running at the end may take to finish.
pub(crate) const GRACE: Duration = Duration::from_secs(5);
/// An iteration starting this much after its scheduled time is late.
const LATE: Duration = Duration::from_millis(10);
/// Lateness below this is the generator's scheduling noise, not queueing.
const TIMER_SLACK: Duration = Duration::from_micros(500);

/// What the loops count as they go, read by the engine's samplers and
/// at the end.
#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) iterations: AtomicU64,
    /// Iterations begun (closed model), for `max_iterations`.
    pub(crate) started: AtomicU64,
    pub(crate) active: AtomicU64,
    pub(crate) late: AtomicU64,
    pub(crate) dropped: AtomicU64,
    /// Iterations begun and not ended: those left when the runtime is shut
    /// down were still waiting for the server.
    pub(crate) in_flight: AtomicU64,
    /// A user's function panicked: the test is broken, not the server.
    pub(crate) panicked: AtomicBool,
}

/// Runs one iteration. A panic in the user's function is caught here, in
/// either model, and recorded; the caller stops that user (`false`).
async fn iterate(load_fn: LoadFn, user: &mut User, session: &Session, counters: &Counters) -> bool {
    // No timer per iteration: each request has its own timeout, and tasks
    // still running after the grace period are dropped with the runtime
    // (and counted as timed out from `in_flight`).
    counters.in_flight.fetch_add(1, Ordering::Relaxed);
    let mut iteration = load_fn(user);
    let outcome = std::future::poll_fn(|cx| {
        match catch_unwind(AssertUnwindSafe(|| iteration.as_mut().poll(cx))) {
            Ok(Poll::Ready(result)) => Poll::Ready(Ok(result)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload)),
        }
    })
    .await;
    drop(iteration);
    counters.in_flight.fetch_sub(1, Ordering::Relaxed);
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) if error.is_recorded() => {}
        Ok(Err(error)) => session.record_failure(None, error.kind(), error.to_string()),
        Err(payload) => {
            let message = crate::outcome::panic_message(payload.as_ref());
            session.record_failure(
                None,
                RequestErrorKind::Panic,
                format!("a virtual user {message}"),
            );
            counters.panicked.store(true, Ordering::Relaxed);
            return false;
        }
    }
    user.set_up = true;
    counters.iterations.fetch_add(1, Ordering::Relaxed);
    true
}

/// The closed model. Under a split, this generator runs the whole run's
/// users whose number is its share's ([`Split::takes`]): at every instant
/// the shares' users add up to the whole profile's.
pub(crate) async fn closed(
    load_fn: LoadFn,
    profile: &LoadProfile,
    split: Option<Split>,
    target: &Arc<Target>,
    session: &Arc<Session>,
    counters: &Arc<Counters>,
) {
    let start = session.start();
    let end = start + profile.total();
    let desired = Arc::new(AtomicU64::new(0));
    let mut users = Vec::new();
    let mut spawned: u64 = 0;
    let cap = profile
        .max_iterations
        .map(|cap| split.map_or(cap, |s| s.share_of(cap)));
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
        let whole = profile.target_at(now - start).round() as u64;
        let want = split.map_or(whole, |s| s.share_of(whole));
        desired.store(want, Ordering::Relaxed);
        counters
            .active
            .store(want.min(spawned.max(want)), Ordering::Relaxed);
        while spawned < want {
            let mut user = User::new(
                split.map_or(spawned, |s| s.whole_index(spawned)),
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
                    if !iterate(load_fn, &mut user, &session, &counters).await {
                        break;
                    }
                    // Without think time, no timer to set and cancel for
                    // every iteration.
                    if user.thinks() {
                        tokio::select! {
                            () = user.think() => {}
                            () = tokio::time::sleep_until(tokio::time::Instant::from_std(end)) => {}
                        }
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
        if tokio::time::timeout_at(deadline, handle).await.is_err() {
            break;
        }
    }
}

/// The open model. Under a split, this generator starts the whole
/// schedule's arrivals whose number is its share's ([`Split::takes`]):
/// the shares' schedules interleave into the whole rate.
pub(crate) async fn open(
    load_fn: LoadFn,
    profile: &LoadProfile,
    split: Option<Split>,
    target: &Arc<Target>,
    session: &Arc<Session>,
    counters: &Arc<Counters>,
) {
    let start = session.start();
    let end = start + profile.total();
    // The shares together hold no more iterations in flight than one
    // whole run would.
    let in_flight = split.map_or(profile.max_in_flight, |s| {
        s.share_of(profile.max_in_flight).max(1)
    });
    let cap = usize::try_from(in_flight)
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
        for at in share_of_arrivals(&schedule, split) {
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
        if counters.panicked.load(Ordering::Relaxed) {
            // The test's own function is broken: every further iteration
            // would panic the same way.
            break;
        }
        let now = Instant::now();
        if now >= end && now.saturating_duration_since(scheduled) > LATE {
            // Queued behind a full cap until the end: never started. (An
            // arrival due at the very end and received just after it is
            // the clock's own jitter: it starts, in the grace period, so
            // that every scheduled arrival is started or dropped, and the
            // shares of a split add up to the whole schedule.)
            counters.dropped.fetch_add(1, Ordering::Relaxed);
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
            let alive = iterate(load_fn, &mut user, &session, &counters).await;
            counters.active.fetch_sub(1, Ordering::Relaxed);
            if alive {
                idle.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(user);
            }
            drop(permit);
        });
    }
    // Its sends fail from now on, which ends it early after a panic.
    drop(arrivals);
    let _ = clock_thread.join();
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout_at(
        tokio::time::Instant::from_std(end + GRACE + Duration::from_secs(1)),
        permits.acquire_many(all),
    )
    .await;
}

/// When each of a share's iterations is due: the whole schedule's
/// arrivals numbered for it.
fn share_of_arrivals(
    profile: &LoadProfile,
    split: Option<Split>,
) -> impl Iterator<Item = Duration> + '_ {
    (0_u64..)
        .zip(arrival_offsets(profile))
        .filter(move |(k, _)| split.is_none_or(|s| s.takes(*k)))
        .map(|(_, at)| at)
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
    fn the_shares_arrivals_interleave_into_the_whole_schedule() {
        const S: u64 = 1_000_000_000;
        static RAMP: [(u64, f64); 2] = [(2 * S, 300.0), (S, 50.0)];
        let options = LoadOptions {
            rate_stages: &RAMP,
            ..LoadOptions::default()
        };
        let profile = LoadProfile::resolve(&options, 1.0).unwrap();
        let whole: Vec<Duration> = arrival_offsets(&profile).collect();
        for count in [1, 2, 3, 4, 7] {
            let mut merged: Vec<Duration> = (1..=count)
                .flat_map(|i| share_of_arrivals(&profile, Some(Split::new(i, count).unwrap())))
                .collect();
            merged.sort();
            assert_eq!(merged, whole, "{count} shares");
            let first = share_of_arrivals(&profile, Some(Split::new(1, count).unwrap())).count();
            assert_eq!(
                first as u64,
                Split::new(1, count).unwrap().share_of(whole.len() as u64)
            );
        }
    }
}
