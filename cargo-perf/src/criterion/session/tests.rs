use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};

use ciborium::Value;

use super::*;

fn options(quick: bool) -> BudgetFlags {
    BudgetFlags {
        quick,
        ..BudgetFlags::default()
    }
}

#[test]
fn the_budget_is_a_runtime_benchmarks_split_over_the_processes() {
    assert_eq!(
        Budget::of(&options(false), 1),
        Budget {
            warm_up_ns: DEFAULT_WARM_UP_NS,
            measurement_ns: DEFAULT_MEASUREMENT_NS
        }
    );
    assert_eq!(
        Budget::of(&options(true), 5),
        Budget {
            warm_up_ns: QUICK_WARM_UP_NS / 5,
            measurement_ns: QUICK_MEASUREMENT_NS / 5
        }
    );
    let flags = BudgetFlags {
        warm_up: Some(Duration::from_millis(200)),
        measurement: Some(Duration::ZERO),
        ..BudgetFlags::default()
    };
    let budget = Budget::of(&flags, 2);
    assert_eq!(budget.warm_up_ns, 100_000_000);
    assert_eq!(
        budget.measurement_ns, 1_000_000,
        "never zero: criterion refuses it"
    );
    assert_eq!(seconds(budget.warm_up_ns), "0.1");
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}

fn duration(secs: u64) -> Value {
    map(vec![
        ("secs", Value::Integer(secs.into())),
        ("nanos", Value::Integer(0.into())),
    ])
}

/// A criterion benchmark process's side of the protocol, over a real
/// socket: the hellos, then its messages, answering as criterion does.
struct Benchmark {
    socket: TcpStream,
}

impl Benchmark {
    fn connect(port: u16) -> Self {
        let mut socket = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        let mut hello = [0u8; 18];
        socket.read_exact(&mut hello).unwrap();
        assert_eq!(&hello[..15], b"cargo-criterion");
        let mut answer = b"Criterion".to_vec();
        answer.extend_from_slice(&[0, 8, 2, 0, 1, 0, 1]);
        socket.write_all(&answer).unwrap();
        Self { socket }
    }

    fn send(&mut self, message: &Value) {
        let mut body = Vec::new();
        ciborium::ser::into_writer(message, &mut body).unwrap();
        self.socket
            .write_all(&u32::try_from(body.len()).unwrap().to_be_bytes())
            .unwrap();
        self.socket.write_all(&body).unwrap();
    }

    fn recv(&mut self) -> Value {
        let mut length = [0u8; 4];
        self.socket.read_exact(&mut length).unwrap();
        let mut body = vec![0u8; u32::from_be_bytes(length) as usize];
        self.socket.read_exact(&mut body).unwrap();
        ciborium::de::from_reader(&body[..]).unwrap()
    }

    /// Sends one benchmark's samples and serves the runner's requests as
    /// criterion's value formatter does, in `unit`, until `Continue`.
    fn measured(&mut self, value: &str, iters: &[f64], times: &[f64], unit: &str) {
        let floats = |v: &[f64]| Value::Array(v.iter().map(|&x| Value::Float(x)).collect());
        self.send(&map(vec![(
            "MeasurementComplete",
            map(vec![
                (
                    "id",
                    map(vec![
                        ("group_id", text("combine")),
                        ("function_id", Value::Null),
                        ("value_str", text(value)),
                        ("throughput", Value::Array(Vec::new())),
                    ]),
                ),
                ("iters", floats(iters)),
                ("times", floats(times)),
                ("plot_config", map(vec![("summary_scale", text("Linear"))])),
                ("sampling_method", text("Linear")),
                (
                    "benchmark_config",
                    map(vec![
                        ("measurement_time", duration(3)),
                        ("sample_size", Value::Integer(3.into())),
                        ("warm_up_time", duration(1)),
                    ]),
                ),
            ]),
        )]));
        loop {
            let request = self.recv();
            if request == text("Continue") {
                break;
            }
            let Value::Map(entries) = &request else {
                panic!("unexpected {request:?}");
            };
            assert_eq!(entries[0].0, text("ScaleForMachines"));
            self.send(&map(vec![(
                "ScaledValues",
                map(vec![
                    ("scaled_values", Value::Array(vec![Value::Float(1.0)])),
                    ("unit", text(unit)),
                ]),
            )]));
        }
    }
}

/// Runs the runner's side against `benchmark` and reads the result it
/// wrote for `name`.
fn conversation(
    name: &str,
    benchmark: impl FnOnce(Benchmark) + Send + 'static,
) -> Option<TestResult> {
    let dir = tempfile::tempdir().unwrap();
    let result_path = dir.path().join("result.json");
    let listener = Listener::open().unwrap();
    let port = listener.port().unwrap();
    let peer = std::thread::spawn(move || benchmark(Benchmark::connect(port)));
    let answer = Answer {
        name: name.into(),
        quick: false,
        result_path: result_path.clone(),
    };
    answer.serve(&listener, &AtomicBool::new(false));
    peer.join().unwrap();
    let text = std::fs::read_to_string(result_path).ok()?;
    Some(serde_json::from_str(text.trim_end()).unwrap())
}

#[test]
fn the_samples_of_the_benchmark_become_its_result() {
    let result = conversation("combine/32", |mut bench| {
        bench.send(&map(vec![(
            "BeginningBenchmarkGroup",
            map(vec![("group", text("combine"))]),
        )]));
        bench.measured("16", &[1.0, 2.0], &[5.0, 10.0], "ns");
        bench.measured("32", &[2.0, 4.0, 6.0], &[20.0, 44.0, 54.0], "ns");
        bench.send(&map(vec![(
            "FinishedBenchmarkGroup",
            map(vec![("group", text("combine"))]),
        )]));
        assert_eq!(bench.recv(), text("Continue"));
    })
    .unwrap();
    assert_eq!(result.outcome, TestOutcome::Passed);
    assert_eq!(result.name, "combine/32");
    assert_eq!(result.kind, TestKind::Bench);
    assert_eq!(result.samples_ns, [10.0, 11.0, 9.0]);
    let stats = result.stats.unwrap();
    assert_eq!(stats.median_ns, 10.0);
    assert_eq!((stats.rounds, stats.iterations_per_round), (3, 4));
    assert_eq!(result.config.warm_up_ns, 1_000_000_000);
    assert_eq!(result.config.measurement_ns, 3_000_000_000);
}

#[test]
fn another_unit_or_a_zero_time_fails_the_benchmark_in_one_line() {
    let cycles = conversation("combine/16", |mut bench| {
        bench.measured("16", &[1.0], &[5.0], "cycles");
    })
    .unwrap();
    let TestOutcome::Failed { message } = cycles.outcome else {
        panic!("passed");
    };
    assert!(message.contains("measured in `cycles`"), "{message}");
    let zero = conversation("combine/16", |mut bench| {
        bench.measured("16", &[1.0, 2.0], &[5.0, 0.0], "ns");
    })
    .unwrap();
    let TestOutcome::Failed { message } = zero.outcome else {
        panic!("passed");
    };
    assert!(message.contains("iter_custom"), "{message}");
    assert!(!message.contains('\n'));
}

#[test]
fn a_benchmark_never_measured_is_named() {
    let missing = conversation("combine/64", |mut bench| {
        bench.measured("16", &[1.0], &[5.0], "ns");
    })
    .unwrap();
    assert_eq!(
        missing.outcome,
        TestOutcome::Failed {
            message:
                "criterion measured no benchmark named `combine/64` (it measured `combine/16`)"
                    .into()
        }
    );
}
