//! The server's samples of several parts of one test as one: each part's
//! samples placed on the merged timeline, the figures over all of them,
//! and each part's own figures and samples kept.

use perf_record::load::ServerStats;

/// A part's server samples and where its load's second 0 lies: `offset_s`
/// on the merged timeline, `load_started_unix_ms` on the wall clock.
pub(crate) struct ServerPart<'a> {
    /// What the server did while the part ran.
    pub(crate) stats: &'a ServerStats,
    /// Where the part's timeline begins on the merged one, seconds.
    pub(crate) offset_s: f64,
    /// Its timeline's second 0 on the wall clock, when known.
    pub(crate) load_started_unix_ms: Option<u64>,
    /// How long the part's load ran, seconds (its samples beyond are the
    /// server idle after it, or starting before it, and are not charted
    /// over the next part's time).
    pub(crate) duration_s: f64,
}

/// The parts' server figures as one: CPU mean over every sample, the
/// highest CPU and memory of any, memory at the first part's start and the
/// last part's end; samples on the merged timeline; each part kept.
pub(crate) fn combine(parts: &[ServerPart<'_>]) -> Option<ServerStats> {
    let (first, last) = (parts.first()?, parts.last()?);
    if parts.len() == 1 {
        return Some(first.stats.clone());
    }
    let all = || parts.iter().flat_map(|p| &p.stats.samples);
    let count = all().count();
    let mut samples: Vec<(f64, f64, u64)> = parts
        .iter()
        .flat_map(|part| {
            // The sampler starts before the test's process does: its
            // second 0 is a little before the load's.
            let lead_s = match (part.stats.started_unix_ms, part.load_started_unix_ms) {
                (Some(server), Some(load)) => (server as f64 - load as f64) / 1000.0,
                _ => 0.0,
            };
            part.stats.samples.iter().filter_map(move |&(t, cpu, rss)| {
                let on_part = t + lead_s;
                (-0.5..=part.duration_s + 0.5)
                    .contains(&on_part)
                    .then_some((part.offset_s + on_part.max(0.0), cpu, rss))
            })
        })
        .collect();
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    Some(ServerStats {
        cpu_pct_mean: if count > 0 {
            all().map(|s| s.1).sum::<f64>() / count as f64
        } else {
            0.0
        },
        cpu_pct_max: all().map(|s| s.1).fold(0.0, f64::max),
        rss_start_bytes: first.stats.rss_start_bytes,
        rss_end_bytes: last.stats.rss_end_bytes,
        rss_peak_bytes: parts
            .iter()
            .map(|p| p.stats.rss_peak_bytes)
            .max()
            .unwrap_or(0),
        samples,
        started_unix_ms: parts.iter().filter_map(|p| p.stats.started_unix_ms).min(),
        parts: parts
            .iter()
            .flat_map(|p| {
                // A part that was itself merged keeps its own parts.
                if p.stats.parts.is_empty() {
                    vec![p.stats.clone()]
                } else {
                    p.stats.parts.clone()
                }
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(cpu: f64, rss: u64, started_unix_ms: u64) -> ServerStats {
        let samples: Vec<(f64, f64, u64)> = (0..8)
            .map(|i| (0.25 * f64::from(i + 1), cpu, rss + i as u64))
            .collect();
        ServerStats {
            cpu_pct_mean: cpu,
            cpu_pct_max: cpu,
            rss_start_bytes: rss,
            rss_end_bytes: rss + 7,
            rss_peak_bytes: rss + 7,
            samples,
            started_unix_ms: Some(started_unix_ms),
            parts: Vec::new(),
        }
    }

    #[test]
    fn every_process_s_server_is_kept_and_charted_over_its_own_time() {
        let (a, b, c) = (
            server(10.0, 100, 0),
            server(20.0, 200, 5_000),
            server(30.0, 300, 9_000),
        );
        let part = |stats, offset_s, start| ServerPart {
            stats,
            offset_s,
            load_started_unix_ms: Some(start),
            duration_s: 2.0,
        };
        // Each load started 250 ms after its sampler.
        let merged = combine(&[
            part(&a, 0.0, 250),
            part(&b, 2.0, 5_250),
            part(&c, 4.0, 9_250),
        ])
        .unwrap();
        assert_eq!(merged.parts, [a.clone(), b.clone(), c.clone()]);
        assert_eq!(merged.cpu_pct_mean, 20.0);
        assert_eq!(merged.cpu_pct_max, 30.0);
        assert_eq!((merged.rss_start_bytes, merged.rss_end_bytes), (100, 307));
        assert_eq!(merged.rss_peak_bytes, 307);
        // The second process's samples lie over its seconds 2 to 4.
        let second: Vec<f64> = merged
            .samples
            .iter()
            .filter(|s| s.1 == 20.0)
            .map(|s| s.0)
            .collect();
        assert_eq!(second.len(), 8);
        assert!(second.iter().all(|t| (2.0..=4.0).contains(t)), "{second:?}");
        assert_eq!(merged.samples.len(), 24);
    }
}
