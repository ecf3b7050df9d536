//! Connection pool: more users per level than a pool holds; the errors
//! and the latency knee.

use std::collections::BTreeMap;

use perf_record::finding::Finding;
use perf_record::kinds::PoolOptions;
use perf_record::kinds::{Kind, Think};
use perf_record::load::LevelStats;

use super::kind::{Analysis, CatalogueKind, Ran, Step};

/// A pool level whose p95 is more than this many times the first level's
/// is past the latency knee.
const KNEE_FACTOR: f64 = 1.5;

pub(super) fn pool(
    options: &PoolOptions,
    levels: &[LevelStats],
    metrics: &mut BTreeMap<String, f64>,
    findings: &mut Vec<Finding>,
) {
    let Some(first) = levels.first() else { return };
    let worst = levels.iter().map(|l| l.error_rate_pct).fold(0.0, f64::max);
    metrics.insert("pool_error_pct".to_owned(), worst);
    let fine = |l: &LevelStats| {
        l.error_rate_pct <= 1.0 && l.p95_us as f64 <= first.p95_us as f64 * KNEE_FACTOR
    };
    let knee = levels
        .iter()
        .take_while(|l| fine(l))
        .last()
        .map_or(0, |l| l.level);
    metrics.insert("knee_users".to_owned(), knee as f64);
    let size = options
        .size
        .map_or_else(String::new, |size| format!(" (a pool of {size})"));
    match levels.iter().find(|l| l.error_rate_pct > 1.0) {
        Some(failing) => findings.push(Finding::note("pool_errors", format!(
            "errors from {} users{size}: {:.1}% failed there, {worst:.1}% at worst (a pool that times \
             requests out instead of queueing them fails this way; the errors above say what failed)",
            failing.level, failing.error_rate_pct
        ))),
        None => findings.push(Finding::note("pool_no_errors", format!("no errors up to {} users{size}", levels.last().map_or(0, |l| l.level)))),
    }
    match levels.iter().find(|l| !fine(l)) {
        Some(past) if knee == 0 => findings.push(Finding::note(
            "pool_first_level_failed",
            format!(
                "no knee to find: the first level, {} users, already failed {:.1}% of its requests",
                past.level, past.error_rate_pct
            ),
        )),
        Some(past) => findings.push(Finding::note(
            "pool_knee",
            format!(
                "latency knee after {knee} users: p95 {:.2} ms at {} users against {:.2} ms at {}",
                past.p95_us as f64 / 1e3,
                past.level,
                first.p95_us as f64 / 1e3,
                first.level
            ),
        )),
        None => findings.push(Finding::note(
            "pool_no_knee",
            "no latency knee in the sweep: p95 stays within 1.5x of the first level".to_owned(),
        )),
    }
}

/// `pool(...)`: more users per level than the pool holds.
pub(crate) struct Pool(pub(crate) &'static PoolOptions);

impl CatalogueKind for Pool {
    fn kind(&self) -> Kind {
        Kind::Pool
    }

    fn think_ns(&self) -> Think {
        self.0.think_ns
    }

    fn plan(&self, _scale: f64) -> Vec<Step> {
        Step::by_users(&self.0.users, self.0.step_ns)
    }

    fn analyse(&self, ran: &Ran<'_>, out: &mut Analysis) -> Result<(), String> {
        pool(self.0, ran.levels, &mut out.metrics, &mut out.findings);
        Ok(())
    }
}
