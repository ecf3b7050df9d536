//! The server's CPU and resident memory, sampled from /proc while a load
//! test runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use perf_record::load::ServerStats;
use perf_record::procfs;

/// Samples a process's CPU and resident memory from /proc, four times a
/// second, on a thread of its own.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    started_unix_ms: Option<u64>,
    thread: Option<std::thread::JoinHandle<Vec<(f64, f64, u64)>>>,
}

impl Sampler {
    pub(crate) fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let started_unix_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| u64::try_from(d.as_millis()).ok());
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            let mut samples = Vec::new();
            // The whole process group: a wrapper script's server is its child.
            let mut last = (Instant::now(), procfs::group_usage(pid).map(|(cpu, _)| cpu));
            loop {
                std::thread::sleep(Duration::from_millis(250));
                let now = Instant::now();
                let Some((cpu_time, rss)) = procfs::group_usage(pid) else {
                    break;
                };
                // Percent of one core.
                let cpu = match last.1 {
                    Some(before) => {
                        cpu_time.saturating_sub(before).as_secs_f64() * 100.0
                            / (now - last.0).as_secs_f64().max(1e-3)
                    }
                    None => 0.0,
                };
                samples.push(((now - start).as_secs_f64(), cpu, rss));
                last = (now, Some(cpu_time));
                if flag.load(Ordering::Relaxed) {
                    break;
                }
            }
            samples
        });
        Self {
            stop,
            started_unix_ms,
            thread: Some(thread),
        }
    }

    /// Stops sampling and summarises.
    pub fn finish(mut self) -> Option<ServerStats> {
        self.stop.store(true, Ordering::Relaxed);
        let samples = self.thread.take()?.join().ok()?;
        let first = samples.first()?;
        let last = samples.last()?;
        Some(ServerStats {
            cpu_pct_mean: samples.iter().map(|s| s.1).sum::<f64>() / samples.len() as f64,
            cpu_pct_max: samples.iter().map(|s| s.1).fold(0.0, f64::max),
            rss_start_bytes: first.2,
            rss_end_bytes: last.2,
            rss_peak_bytes: samples.iter().map(|s| s.2).max().unwrap_or(0),
            samples,
            started_unix_ms: self.started_unix_ms,
            parts: Vec::new(),
        })
    }
}
