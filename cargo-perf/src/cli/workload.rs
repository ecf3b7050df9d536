//! The workload flags of a run, as load testers type them: Locust's
//! `-u/-r/-t`, k6's `--stage D:TARGET`, oha's `--rate`. Each has a
//! `PERF_*` environment mirror; a flag wins over its variable, and both
//! over the test's code.

use std::time::Duration;

use clap::Args;
use perf_record::overrides::{LoadOverrides, MAX_TARGET, parse_stage};

const HEADING: &str = "Load tests: workload";

/// `-u`, `-r`, `--ramp-up`, `-t`, `--rate`, `--stage`.
#[derive(Debug, Clone, Default, Args)]
pub struct WorkloadArgs {
    /// Virtual users of every selected closed-model load test, instead of
    /// the test's own.
    #[arg(short = 'u', long, env = "PERF_USERS", value_name = "N", value_parser = clap::value_parser!(u32).range(1..=MAX_TARGET as i64), help_heading = HEADING)]
    pub users: Option<u32>,

    /// Users started per second during the ramp-up (the ramp lasts
    /// users / R seconds).
    #[arg(short = 'r', long, env = "PERF_SPAWN_RATE", value_name = "R", value_parser = parse_rate, conflicts_with = "ramp_up", help_heading = HEADING)]
    pub spawn_rate: Option<f64>,

    /// The ramp-up's length, e.g. 10s, instead of a spawn rate.
    #[arg(long, env = "PERF_RAMP_UP", value_name = "DURATION", value_parser = parse_duration, help_heading = HEADING)]
    pub ramp_up: Option<Duration>,

    /// How long the full load holds (closed model), or the whole test
    /// (open model), e.g. 2m.
    #[arg(short = 't', long, env = "PERF_RUN_TIME", value_name = "DURATION", value_parser = parse_run_time, help_heading = HEADING)]
    pub run_time: Option<Duration>,

    /// Arrivals per second of every selected open-model load test.
    #[arg(long, env = "PERF_RATE", value_name = "R", value_parser = parse_rate, conflicts_with_all = ["users", "spawn_rate", "ramp_up"], help_heading = HEADING)]
    pub rate: Option<f64>,

    /// A stage, DURATION:TARGET (k6's syntax: `30s:100` moves to 100 users,
    /// or arrivals per second under an open model, over 30 s); repeat it
    /// (or separate with commas) to replace the test's stages.
    #[arg(long = "stage", env = "PERF_STAGES", value_name = "D:TARGET", value_parser = parse_stage, value_delimiter = ',', conflicts_with_all = ["users", "spawn_rate", "ramp_up", "run_time", "rate"], help_heading = HEADING)]
    pub stages: Vec<(u64, f64)>,
}

impl WorkloadArgs {
    /// The flags as the harness takes them.
    pub fn overrides(&self) -> LoadOverrides {
        let ns = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        LoadOverrides {
            users: self.users,
            spawn_rate: self.spawn_rate,
            ramp_up_ns: self.ramp_up.map(ns),
            run_time_ns: self.run_time.map(ns),
            rate: self.rate,
            stages: self.stages.clone(),
        }
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    perf_record::parse_duration(text).map_err(|e| e.to_string())
}

fn parse_run_time(text: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        Duration::ZERO => Err(format!(
            "`{text}` would end every load test as it starts; give a time above zero, e.g. 30s"
        )),
        time => Ok(time),
    }
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 && r <= MAX_TARGET => Ok(r),
        _ => Err(format!(
            "`{text}` is not a number above zero and up to {MAX_TARGET}, e.g. 10"
        )),
    }
}
