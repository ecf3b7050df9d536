//! The environment of a merged run: what its shards' environments say
//! together. The run hash already makes the commit, the toolchain, the
//! lock file and the flags agree; the machines need not (a CI matrix
//! gives each shard a runner of its own). So the merged environment is
//! the first shard's, except that every shard's calibration processes
//! are kept (a comparison takes the machine's state out of every test, not
//! only of the first shard's), and where the shards ran on different
//! machines, the host and CPU name each one, in shard order, and `cpus`
//! is the fewest any shard had.

use perf_record::Environment;
use perf_record::calibration::Calibration;

/// One environment for the shards' `environments`, in shard order
/// (none: the default).
pub(crate) fn merged<'a>(environments: impl IntoIterator<Item = &'a Environment>) -> Environment {
    let environments: Vec<&Environment> = environments.into_iter().collect();
    let Some(first) = environments.first() else {
        return Environment::default();
    };
    let mut merged = (*first).clone();
    merged.host = distinct(environments.iter().map(|e| e.host.as_str())).join(", ");
    let cpus: Vec<&str> = environments
        .iter()
        .filter_map(|e| e.cpu.as_deref())
        .collect();
    if !cpus.is_empty() {
        merged.cpu = Some(distinct(cpus).join(", "));
    }
    merged.cpus = environments
        .iter()
        .map(|e| e.cpus)
        .min()
        .unwrap_or(first.cpus);
    merged.calibration = calibration(environments.iter().map(|e| e.calibration.as_ref()));
    merged
}

/// The values once each, in their first order.
fn distinct<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// Every shard's calibration processes, where every shard kept one of the
/// same workload; otherwise none (a partial one would stand for the
/// whole run).
fn calibration<'a>(
    shards: impl IntoIterator<Item = Option<&'a Calibration>>,
) -> Option<Calibration> {
    let mut merged: Option<Calibration> = None;
    for shard in shards {
        let shard = shard?;
        match &mut merged {
            None => merged = Some(shard.clone()),
            Some(m) if m.workload == shard.workload => {
                m.process_medians_ns
                    .extend_from_slice(&shard.process_medians_ns);
            }
            Some(_) => return None,
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(host: &str, cpu: &str, cpus: usize, calibration: &[f64]) -> Environment {
        Environment {
            host: host.to_owned(),
            cpu: Some(cpu.to_owned()),
            cpus,
            rustc: "rustc 1.95.0".to_owned(),
            calibration: Calibration::of(calibration.iter().copied()),
            ..Environment::default()
        }
    }

    #[test]
    fn every_shard_s_calibration_and_machine_is_kept() {
        let a = environment("runner-a", "AMD EPYC", 4, &[30.0, 31.0]);
        let b = environment("runner-b", "AMD EPYC", 2, &[45.0]);
        let c = environment("runner-a", "Intel Xeon", 4, &[29.0, 33.0, 32.0]);
        let merged = merged([&a, &b, &c]);
        assert_eq!(merged.host, "runner-a, runner-b");
        assert_eq!(merged.cpu.as_deref(), Some("AMD EPYC, Intel Xeon"));
        assert_eq!(merged.cpus, 2);
        assert_eq!(merged.rustc, "rustc 1.95.0");
        assert_eq!(
            merged
                .calibration
                .expect("all shards calibrated")
                .process_medians_ns,
            [30.0, 31.0, 45.0, 29.0, 33.0, 32.0]
        );
    }

    #[test]
    fn one_machine_reads_as_one_and_a_partial_calibration_as_none() {
        let a = environment("ci", "AMD EPYC", 2, &[30.0]);
        let b = environment("ci", "AMD EPYC", 2, &[]);
        let merged = merged([&a, &b]);
        assert_eq!(merged.host, "ci");
        assert_eq!(merged.cpu.as_deref(), Some("AMD EPYC"));
        assert!(merged.calibration.is_none(), "one shard has none");
        let mut other = environment("ci", "AMD EPYC", 2, &[31.0]);
        other.calibration.as_mut().unwrap().workload = "another".to_owned();
        assert!(super::merged([&a, &other]).calibration.is_none());
        assert_eq!(super::merged([]), Environment::default());
    }
}
