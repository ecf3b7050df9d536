//! A soak test's analysis: the server's resident memory over the hold, and
//! the latency drift from its start to its end. It reads what cargo perf
//! sampled while the test ran (the perf binary cannot see the server), so
//! cargo perf runs it, when it finishes the test's record.

use crate::distribution::t_quantile;
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::load::{LoadStats, ServerStats};
use crate::record::TestRecord;

/// Below this growth (bytes per second) memory is steady whatever the
/// interval says: allocator and page-cache noise.
const STEADY_BYTES_PER_S: f64 = 1024.0;

/// Adds the soak analysis to a soak test's record; other records are left
/// alone.
pub fn analyse(record: &mut TestRecord) {
    let server = record.server.clone();
    let Some(load) = record.load.as_mut() else {
        return;
    };
    if load.sweep.as_ref().is_none_or(|s| s.kind != Kind::Soak) {
        return;
    }
    let drift = latency_drift(load);
    let Some(sweep) = load.sweep.as_mut() else {
        return;
    };
    let warm_up_s = sweep.metrics.get("warm_up_s").copied().unwrap_or(0.0);
    if let Some((first, last, drift_pct)) = drift {
        sweep
            .metrics
            .insert("latency_drift_pct".to_owned(), drift_pct);
        sweep.findings.push(Finding::LatencyDrift {
            first_us: first,
            last_us: last,
            drift_pct,
        });
    }
    let Some(server) = server else {
        sweep.findings.push(Finding::NoMemoryFigures);
        return;
    };
    match rss_slope(&server, warm_up_s) {
        None => sweep
            .findings
            .push(Finding::TooFewMemorySamples { warm_up_s }),
        Some(trend) => {
            sweep
                .metrics
                .insert("rss_growth_bytes_per_s".to_owned(), trend.slope);
            sweep
                .metrics
                .insert("rss_growth_ci_low".to_owned(), trend.low);
            sweep
                .metrics
                .insert("rss_growth_ci_high".to_owned(), trend.high);
            sweep.findings.push(Finding::MemoryTrend {
                first_bytes: trend.first,
                last_bytes: trend.last,
                seconds: trend.seconds,
                warm_up_s,
                bytes_per_s: trend.slope,
                low: trend.low,
                high: trend.high,
            });
            sweep
                .findings
                .push(match (trend.low > STEADY_BYTES_PER_S, trend.sustained) {
                    (true, true) => Finding::Leak {
                        bytes_per_s: trend.slope,
                    },
                    (true, false) => Finding::MemoryStep {
                        rise_bytes: trend.last - trend.first,
                    },
                    (false, _) => Finding::MemorySteady,
                });
        }
    }
}

/// A least-squares line through the memory samples, with a 95% interval
/// for its slope.
struct Trend {
    /// Whether the memory grows in both halves of the hold: a leak climbs
    /// all along, where one step (an arena, a buffer pool growing once)
    /// sits in one half and fits a line just as well over a short hold.
    sustained: bool,
    slope: f64,
    low: f64,
    high: f64,
    first: f64,
    last: f64,
    seconds: f64,
}

fn rss_slope(server: &ServerStats, warm_up_s: f64) -> Option<Trend> {
    let points: Vec<(f64, f64)> = server
        .samples
        .iter()
        .filter(|(t, _, _)| *t >= warm_up_s)
        .map(|&(t, _, rss)| (t, rss as f64))
        .collect();
    if points.len() < 4 {
        return None;
    }
    let line = crate::stats::fit_line(&points)?;
    let slope = line.slope;
    let half = t_quantile(0.975, points.len() as f64 - 2.0) * line.slope_se;
    let (first, last) = (points.first()?, points.last()?);
    let (early, late) = points.split_at(points.len() / 2);
    let grows = |half: &[(f64, f64)]| {
        half.len() < 3 || crate::stats::fit_line(half).is_none_or(|l| l.slope > STEADY_BYTES_PER_S)
    };
    Some(Trend {
        sustained: grows(early) && grows(late),
        slope,
        low: slope - half,
        high: slope + half,
        first: first.1,
        last: last.1,
        seconds: last.0 - first.0,
    })
}

/// Mean p95 of the first and last thirds of the seconds after the
/// warm-up, and the change between them in percent.
fn latency_drift(load: &LoadStats) -> Option<(f64, f64, f64)> {
    let warm_up_s = load
        .sweep
        .as_ref()
        .and_then(|s| s.metrics.get("warm_up_s").copied())
        .unwrap_or(0.0);
    let seconds: Vec<f64> = load
        .timeline
        .iter()
        .filter(|s| f64::from(s.t) >= warm_up_s && s.requests > 0)
        .map(|s| s.p95_us as f64)
        .collect();
    let third = seconds.len() / 3;
    if third == 0 {
        return None;
    }
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let first = mean(&seconds[..third]);
    let last = mean(&seconds[seconds.len() - third..]);
    (first > 0.0).then(|| (first, last, (last / first - 1.0) * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(rss: impl Fn(f64) -> u64) -> ServerStats {
        ServerStats {
            samples: (0..40)
                .map(|i| {
                    let t = f64::from(i) * 0.25;
                    (t, 10.0, rss(t))
                })
                .collect(),
            ..ServerStats::default()
        }
    }

    #[test]
    fn a_steady_growth_is_a_slope_with_an_interval_above_zero() {
        // 1 MiB a second, with page-sized jitter.
        let leaky = server(|t| (8 << 20) + (t * 1048576.0) as u64 + ((t * 7.0) as u64 % 3) * 4096);
        let trend = rss_slope(&leaky, 2.0).unwrap();
        assert!(
            (trend.slope - 1048576.0).abs() < 20_000.0,
            "{}",
            trend.slope
        );
        assert!(trend.low > STEADY_BYTES_PER_S);
        let steady = server(|t| (8 << 20) + ((t * 7.0) as u64 % 3) * 4096);
        let trend = rss_slope(&steady, 2.0).unwrap();
        assert!(trend.low <= STEADY_BYTES_PER_S, "{}", trend.low);
        assert!(rss_slope(&steady, 9.5).is_none(), "too few samples");
        assert!(rss_slope(&leaky, 2.0).unwrap().sustained);
        // One step of 64 KiB half-way: a line fits, but it is no climb.
        let step = server(|t| (8 << 20) + if t < 6.0 { 0 } else { 65_536 });
        let trend = rss_slope(&step, 2.0).unwrap();
        assert!(trend.low > STEADY_BYTES_PER_S, "{}", trend.low);
        assert!(!trend.sustained);
    }
}
