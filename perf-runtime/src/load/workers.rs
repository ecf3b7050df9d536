//! The generator's threads: one current-thread runtime per thread, each
//! running its own share of the users (or of the arrivals) by the rule
//! that splits a test over processes ([`Split`]). No task is ever woken
//! from another thread and no counter is shared between them; each
//! thread records into its own recorder, and the session merges them
//! exactly at the end.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use perf_record::split::Split;

use crate::load::http::target::Target;
use crate::load::models::{Counters, closed, open};
use crate::load::profile::{LoadProfile, Model};
use crate::load::recorder::Session;
use crate::load::user::LoadFn;

/// Thread `t` (from 0) of `threads`, inside this generator's own share
/// `split` (or the whole run): the whole run's items `k` whose share of
/// the process is `split`, and then every `threads`-th of those from the
/// `t`-th. The threads' shares add up to the process's, as the processes'
/// add up to the whole.
pub(crate) fn thread_share(
    split: Option<Split>,
    t: u32,
    threads: u32,
) -> Result<Option<Split>, String> {
    if threads <= 1 {
        return Ok(split);
    }
    let (index, count) = split.map_or((1, 1), |s| (s.index, s.count));
    let whole = count
        .checked_mul(threads)
        .ok_or_else(|| format!("{threads} generator threads in {count} shares are too many"))?;
    Split::new(index + count * t, whole)
        .map(Some)
        .map_err(|e| format!("{threads} generator threads in {count} shares: {e}"))
}

/// How many threads a workload can use: no more than its share's users
/// (closed model) or iterations in flight (open model), so that every
/// thread has at least one, and an open model's cap on iterations in
/// flight stays the whole cap.
pub(crate) fn threads_for(profile: &LoadProfile, split: Option<Split>, threads: usize) -> u32 {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a peak of users is a whole, non-negative number well inside u64"
    )]
    let users = profile.peak().ceil().max(0.0) as u64;
    let room = match profile.model {
        Model::Closed => split.map_or(users, |s| s.share_of(users)),
        Model::Open => split.map_or(profile.max_in_flight, |s| {
            s.share_of(profile.max_in_flight).max(1)
        }),
    };
    let threads = u64::try_from(threads).unwrap_or(u64::MAX);
    u32::try_from(threads.min(room).max(1)).unwrap_or(u32::MAX)
}

/// What every thread counts, read together.
#[derive(Clone)]
pub(crate) struct AllCounters(pub(crate) Arc<[Arc<Counters>]>);

impl AllCounters {
    /// One set of counters for each of `threads` threads.
    pub(crate) fn new(threads: u32) -> Self {
        Self((0..threads).map(|_| Arc::default()).collect())
    }

    /// A counter summed over the threads.
    pub(crate) fn sum(&self, counter: impl Fn(&Counters) -> &AtomicU64) -> u64 {
        self.0
            .iter()
            .map(|c| counter(c).load(Ordering::Relaxed))
            .sum()
    }
}

/// Runs each thread's share of a workload on its own current-thread
/// runtime, while `monitor` runs on the calling thread; returns when
/// every share has ended (and its runtime has been shut down, which ends
/// the iterations still waiting), with the instant the last share's
/// workload ended.
pub(crate) fn run_shares(
    load_fn: LoadFn,
    profile: &LoadProfile,
    split: Option<Split>,
    target: &Arc<Target>,
    session: &Arc<Session>,
    counters: &AllCounters,
    monitor: impl FnOnce(tokio::sync::mpsc::UnboundedReceiver<()>),
) -> std::io::Result<Instant> {
    let threads = u32::try_from(counters.0.len()).unwrap_or(u32::MAX);
    let shares = (0..threads)
        .map(|t| thread_share(split, t, threads))
        .collect::<Result<Vec<_>, _>>()
        .map_err(std::io::Error::other)?;
    let (done, ended) = tokio::sync::mpsc::unbounded_channel();
    std::thread::scope(|scope| {
        let workers: Vec<_> = shares
            .into_iter()
            .zip(counters.0.iter())
            .map(|(share, counters)| {
                let done = done.clone();
                scope.spawn(move || {
                    // Said when the thread ends, whichever way it ends.
                    let _done = Done(done);
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    let finished = runtime.block_on(async {
                        match profile.model {
                            Model::Closed => {
                                closed(load_fn, profile, share, target, session, counters).await;
                            }
                            Model::Open => {
                                open(load_fn, profile, share, target, session, counters).await;
                            }
                        }
                        Instant::now()
                    });
                    runtime.shutdown_timeout(Duration::from_secs(1));
                    Ok(finished)
                })
            })
            .collect();
        drop(done);
        monitor(ended);
        let mut last = session.start();
        for worker in workers {
            let finished: std::io::Result<Instant> = worker
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a generator thread panicked")));
            last = last.max(finished?);
        }
        Ok(last)
    })
}

/// Tells the monitor that a thread has ended when dropped.
struct Done(tokio::sync::mpsc::UnboundedSender<()>);

impl Drop for Done {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threads_shares_add_up_to_the_process_share() {
        for (split, threads) in [(None, 1), (None, 3), (Split::new(2, 3).ok(), 4)] {
            let shares: Vec<Option<Split>> = (0..threads)
                .map(|t| thread_share(split, t, threads).unwrap())
                .collect();
            for k in 0..1000_u64 {
                let process = split.is_none_or(|s| s.takes(k));
                let takers = shares
                    .iter()
                    .filter(|s| s.is_none_or(|s| s.takes(k)))
                    .count();
                assert_eq!(
                    takers,
                    usize::from(process),
                    "item {k}, {split:?} x {threads}"
                );
            }
            // Users numbered in the process's order are dealt round the
            // threads: thread 0 runs its share's users 0, T, 2T, ...
            if threads > 1 {
                let process = split.unwrap_or(Split::new(1, 1).unwrap());
                let first = shares[0].unwrap();
                assert_eq!(
                    first.whole_index(1),
                    process.whole_index(u64::from(threads))
                );
            }
        }
    }

    #[test]
    fn a_workload_gets_no_more_threads_than_it_has_users() {
        let closed = LoadProfile::resolve(
            &crate::load::profile::LoadOptions {
                users: Some(5),
                hold_ns: Some(1_000_000_000),
                ..crate::load::profile::LoadOptions::default()
            },
            1.0,
        )
        .unwrap();
        assert_eq!(threads_for(&closed, None, 8), 5);
        assert_eq!(threads_for(&closed, None, 2), 2);
        // Share 2 of 3 runs users 1 and 4.
        assert_eq!(threads_for(&closed, Split::new(2, 3).ok(), 8), 2);
        let mut open = LoadProfile::resolve(
            &crate::load::profile::LoadOptions {
                rate: Some(100.0),
                duration_ns: Some(1_000_000_000),
                ..crate::load::profile::LoadOptions::default()
            },
            1.0,
        )
        .unwrap();
        open.max_in_flight = 1;
        // One iteration in flight at most: one thread, or the threads
        // would hold one each.
        assert_eq!(threads_for(&open, None, 4), 1);
    }
}
