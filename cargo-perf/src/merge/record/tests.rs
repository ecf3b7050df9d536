use hdrhistogram::Histogram;
use perf_record::load::{EndpointStats, LoadStats, Second};
use perf_record::shard::ShardKind;
use perf_record::{Environment, TestKind};

use super::*;
use crate::merge::latency::summary_of;

/// A fixed pseudo-random sequence (xorshift64*), so that the test is the
/// same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A latency with a long tail, µs: mostly 0.2 to 2 ms, one in ten a
    /// Pareto tail up to seconds.
    fn latency(&mut self) -> u64 {
        if self.unit() < 0.9 {
            200 + (self.unit() * 1_800.0) as u64
        } else {
            (2_000.0 / self.unit().max(1e-3).powf(0.8)) as u64
        }
    }
}

fn histogram(sigfig: u8) -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000, sigfig).unwrap()
}

/// A load test's figures from its requests `(second, µs)`, as the runtime
/// records them: one endpoint, a histogram per second.
fn load_of(requests: &[(u32, u64)], seconds: u32, started_unix_ms: u64) -> LoadStats {
    let mut all = histogram(3);
    let mut per_second: Vec<Histogram<u64>> = (0..seconds).map(|_| histogram(2)).collect();
    for &(t, us) in requests {
        all.record(us).unwrap();
        per_second[t as usize].record(us).unwrap();
    }
    let latency = summary_of(&all);
    let duration_s = f64::from(seconds);
    LoadStats {
        duration_s,
        requests: requests.len() as u64,
        iterations: requests.len() as u64,
        rps: requests.len() as f64 / duration_s,
        latency: latency.clone(),
        endpoints: vec![EndpointStats {
            name: "GET /items".into(),
            rps: requests.len() as f64 / duration_s,
            errors: 0,
            latency,
            transfer: perf_record::load::Transfer::default(),
            protocol: None,
        }],
        timeline: per_second
            .iter()
            .enumerate()
            .map(|(t, h)| Second {
                t: t as u32,
                requests: h.len(),
                errors: 0,
                p50_us: h.value_at_quantile(0.5),
                p95_us: h.value_at_quantile(0.95),
                p99_us: h.value_at_quantile(0.99),
                active: 2,
                histogram: crate::histogram::encode(h).unwrap_or_default(),
                part: 0,
            })
            .collect(),
        started_unix_ms: Some(started_unix_ms),
        ..LoadStats::default()
    }
}

fn test_record(name: &str, load: Option<LoadStats>) -> TestRecord {
    let mut record = crate::sample::bench(name, 1_000.0);
    if let Some(load) = load {
        record.kind = TestKind::Load;
        record.stats = None;
        record.samples_ns = Vec::new();
        record.load = Some(load);
    }
    record
}

fn shard(kind: ShardKind, index: u32, count: u32, tests: Vec<TestRecord>) -> (PathBuf, RunRecord) {
    let record = RunRecord {
        schema_version: SCHEMA_VERSION,
        cargo_perf_version: "0.1.0".into(),
        created_unix_s: 1_000 + u64::from(index),
        created_utc: format_utc(1_000),
        environment: Environment::default(),
        tests,
        split: None,
        shard: Some(ShardInfo {
            kind,
            index,
            count,
            run_hash: "0123456789abcdef".into(),
        }),
    };
    (PathBuf::from(format!("shard-{index}.json")), record)
}

/// Every percentile of two histograms, compared at 0.1% steps.
fn assert_same_distribution(merged: &str, whole: &str, what: &str) {
    let (merged, whole) = (
        crate::histogram::decode(merged).unwrap(),
        crate::histogram::decode(whole).unwrap(),
    );
    assert_eq!(merged.len(), whole.len(), "{what}");
    for step in 0..=1000 {
        let q = f64::from(step) / 1000.0;
        assert_eq!(
            merged.value_at_quantile(q),
            whole.value_at_quantile(q),
            "{what} at {q}"
        );
    }
}

#[test]
fn a_load_dealt_into_random_shards_merges_to_the_same_percentiles() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let seconds = 10;
    let requests: Vec<(u32, u64)> = (0..20_000)
        .map(|i| (i * seconds / 20_000, rng.latency()))
        .collect();
    let whole = load_of(&requests, seconds, 5_000);
    for count in [2u32, 4, 8] {
        // Each request to a shard drawn at random.
        let mut dealt: Vec<Vec<(u32, u64)>> = vec![Vec::new(); count as usize];
        for &request in &requests {
            dealt[(rng.next() % u64::from(count)) as usize].push(request);
        }
        let shards: Vec<(PathBuf, RunRecord)> = dealt
            .iter()
            .zip(1..)
            .map(|(part, index)| {
                // Each shard started within 300 ms of the shared instant.
                let start = 5_000 + rng.next() % 300;
                let load = load_of(part, seconds, start);
                shard(
                    ShardKind::Split,
                    index,
                    count,
                    vec![test_record("browse", Some(load))],
                )
            })
            .collect();
        let merged = merge(&shards).unwrap();
        let load = merged.tests[0].load.as_ref().unwrap();
        let l = &load.latency;
        let w = &whole.latency;
        assert_eq!(
            (
                l.count, l.min_us, l.p50_us, l.p90_us, l.p95_us, l.p99_us, l.p999_us, l.max_us
            ),
            (
                w.count, w.min_us, w.p50_us, w.p90_us, w.p95_us, w.p99_us, w.p999_us, w.max_us
            ),
            "{count} shards"
        );
        assert!((l.mean_us - w.mean_us).abs() < 1e-6 * w.mean_us);
        assert_same_distribution(&l.histogram, &w.histogram, "overall");
        assert_same_distribution(
            &load.endpoints[0].latency.histogram,
            &whole.endpoints[0].latency.histogram,
            "endpoint",
        );
        assert_eq!(load.requests, whole.requests);
        assert_eq!(load.timeline.len(), whole.timeline.len());
        for (m, w) in load.timeline.iter().zip(&whole.timeline) {
            assert_eq!(
                (m.t, m.requests, m.p50_us, m.p95_us, m.p99_us),
                (w.t, w.requests, w.p50_us, w.p95_us, w.p99_us),
                "second {} of {count} shards",
                w.t
            );
            assert_same_distribution(&m.histogram, &w.histogram, "a second");
            assert_eq!(m.active, 2 * u64::from(count));
        }
        // What averaging the shards' p99s, as tools without histograms
        // do, would have said.
        let shard_p99s: Vec<u64> = shards
            .iter()
            .map(|(_, r)| r.tests[0].load.as_ref().unwrap().latency.p99_us)
            .collect();
        let averaged = shard_p99s.iter().sum::<u64>() as f64 / f64::from(count);
        println!(
            "{count} shards: merged p99 {} us = unsplit p99 {} us; the shards' p99s {:?} average {:.0} us ({:+.1}%)",
            l.p99_us,
            w.p99_us,
            shard_p99s,
            averaged,
            (averaged / w.p99_us as f64 - 1.0) * 100.0
        );
    }
}

#[test]
fn test_list_shards_are_unioned() {
    let shards = [
        shard(
            ShardKind::Count,
            1,
            2,
            vec![test_record("a", None), test_record("c", None)],
        ),
        shard(ShardKind::Count, 2, 2, vec![test_record("b", None)]),
    ];
    let merged = merge(&shards).unwrap();
    let names: Vec<&str> = merged.tests.iter().map(|t| t.id.name.as_str()).collect();
    assert_eq!(names, ["a", "c", "b"]);
    assert_eq!(merged.shard, None);
    assert_eq!(merged.created_unix_s, 1_001);
    // In any order of the files.
    let reversed = [shards[1].clone(), shards[0].clone()];
    assert_eq!(merge(&reversed).unwrap().tests.len(), 3);
}

#[test]
fn what_is_not_one_run_is_refused_naming_the_file() {
    let one = |index, name: &str| shard(ShardKind::Hash, index, 3, vec![test_record(name, None)]);
    let refused = |shards: &[(PathBuf, RunRecord)]| merge(shards).unwrap_err();
    // A shard missing.
    let error = refused(&[one(1, "a"), one(3, "c")]);
    assert!(error.message.contains("shard(s) 2 of 3"), "{error}");
    // A shard twice.
    let error = refused(&[one(1, "a"), one(2, "b"), one(2, "b")]);
    assert!(error.message.contains("and so is shard-2.json"), "{error}");
    // A test in two shards.
    let error = refused(&[one(1, "a"), one(2, "a"), one(3, "c")]);
    assert_eq!(error.path, PathBuf::from("shard-2.json"));
    assert!(error.message.contains("so does shard-1.json"), "{error}");
    // Another run's shard.
    let mut foreign = one(2, "b");
    if let Some(info) = &mut foreign.1.shard {
        info.run_hash = "fedcba9876543210".into();
    }
    let error = refused(&[one(1, "a"), foreign, one(3, "c")]);
    assert_eq!(error.path, PathBuf::from("shard-2.json"));
    assert!(error.message.contains("another run"), "{error}");
    // Dealt another way.
    let other = shard(ShardKind::Count, 2, 3, vec![test_record("b", None)]);
    let error = refused(&[one(1, "a"), other, one(3, "c")]);
    assert!(error.message.contains("count:2/3"), "{error}");
    // A whole run's record.
    let mut whole = one(2, "b");
    whole.1.shard = None;
    let error = refused(&[one(1, "a"), whole]);
    assert!(error.message.contains("whole run"), "{error}");
    // A shard whose generator was saturated.
    let mut load = load_of(&[(0, 100)], 1, 0);
    load.warnings.push(Warning::GeneratorSaturated {
        cpu_pct: 97.0,
        threads: 2,
    });
    let hot = shard(ShardKind::Hash, 3, 3, vec![test_record("c", Some(load))]);
    let error = refused(&[one(1, "a"), one(2, "b"), hot]);
    assert_eq!(error.path, PathBuf::from("shard-3.json"));
    assert!(
        error.message.contains("saturated") && error.message.contains("97%"),
        "{error}"
    );
    // Split shards that ran different tests.
    let split = |index, name: &str| {
        let load = load_of(&[(0, 100)], 1, 0);
        shard(
            ShardKind::Split,
            index,
            2,
            vec![test_record(name, Some(load))],
        )
    };
    let error = refused(&[split(1, "a"), split(2, "b")]);
    assert!(error.message.contains("differ"), "{error}");
    assert!(merge(&[split(1, "a"), split(2, "a")]).is_ok());
}

#[test]
fn where_shards_differ_only_the_added_histograms_tell_the_truth() {
    // Four generators; one of them met the server during a 2-second stall
    // (every request of its seconds 4 and 5 took 40 to 80 ms).
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let seconds = 10;
    let dealt: Vec<Vec<(u32, u64)>> = (0..4)
        .map(|shard| {
            (0..5_000)
                .map(|i| {
                    let t = i * seconds / 5_000;
                    let stalled = shard == 3 && (4..6).contains(&t);
                    let us = if stalled {
                        40_000 + rng.next() % 40_000
                    } else {
                        200 + rng.next() % 1_800
                    };
                    (t, us)
                })
                .collect()
        })
        .collect();
    let whole = load_of(&dealt.concat(), seconds, 0);
    let shards: Vec<(PathBuf, RunRecord)> = dealt
        .iter()
        .zip(1..)
        .map(|(part, index)| {
            let load = load_of(part, seconds, 0);
            shard(
                ShardKind::Split,
                index,
                4,
                vec![test_record("browse", Some(load))],
            )
        })
        .collect();
    let merged = merge(&shards).unwrap();
    let load = merged.tests[0].load.as_ref().unwrap();
    let p99s: Vec<u64> = shards
        .iter()
        .map(|(_, r)| r.tests[0].load.as_ref().unwrap().latency.p99_us)
        .collect();
    let averaged = p99s.iter().sum::<u64>() as f64 / 4.0;
    println!(
        "a stalled shard of 4: merged p99 {} us = unsplit p99 {} us; the shards' p99s {p99s:?} average {averaged:.0} us ({:+.0}%)",
        load.latency.p99_us,
        whole.latency.p99_us,
        (averaged / whole.latency.p99_us as f64 - 1.0) * 100.0
    );
    assert_eq!(load.latency.p99_us, whole.latency.p99_us);
    assert_eq!(load.latency.p95_us, whole.latency.p95_us);
    assert!(averaged < whole.latency.p99_us as f64 * 0.5, "{averaged}");
}

#[test]
fn a_split_test_s_thresholds_are_checked_on_the_sum_and_every_server_kept() {
    use perf_record::metric::Metric;
    use perf_record::threshold::Threshold;
    // Shard 3's p95 is over 5 ms (a tenth of its requests took 9 ms);
    // the sum's is not (they are a thirtieth of all): the threshold is
    // the whole load's, checked on the sum.
    let fast: Vec<(u32, u64)> = (0..1_000).map(|i| (i / 500, 1_000)).collect();
    let slow: Vec<(u32, u64)> = (0..1_000)
        .map(|i| (i / 500, if i % 10 == 0 { 9_000 } else { 1_000 }))
        .collect();
    let p95 = Threshold::declared(Metric::P95.threshold_name(), "5ms", None).unwrap();
    let shards: Vec<(PathBuf, RunRecord)> = [fast.clone(), fast, slow]
        .iter()
        .zip(1..)
        .map(|(requests, index)| {
            let load = load_of(requests, 2, 0);
            let mut test = test_record("browse", Some(load));
            test.thresholds = vec![p95.check(test.load.as_ref().unwrap())];
            test.server = Some(perf_record::load::ServerStats {
                samples: vec![(0.5, f64::from(index), 1), (1.5, f64::from(index), 1)],
                ..perf_record::load::ServerStats::default()
            });
            shard(ShardKind::Split, index, 3, vec![test])
        })
        .collect();
    let passed: Vec<bool> = shards
        .iter()
        .map(|(_, r)| r.tests[0].thresholds[0].passed)
        .collect();
    assert_eq!(passed, [true, true, false]);
    let merged = merge(&shards).unwrap();
    let test = &merged.tests[0];
    assert_eq!(test.load.as_ref().unwrap().requests, 3_000);
    assert!(test.thresholds[0].passed, "{:?}", test.thresholds);
    assert!(test.thresholds[0].value < 5_000.0, "{:?}", test.thresholds);
    assert_eq!(test.server.as_ref().unwrap().parts.len(), 3);
}
