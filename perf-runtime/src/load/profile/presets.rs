//! The named workloads of the seeds' load-pattern table (`load = "name"`).

use std::time::Duration;

/// A named load pattern (the seeds' load-pattern table).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preset {
    /// Its name.
    pub name: &'static str,
    /// Users.
    pub users: u32,
    /// Total duration, ramp-up included.
    pub duration: Duration,
    /// Ramp-up.
    pub ramp_up: Duration,
    /// Think time.
    pub think: Duration,
}

const fn preset(name: &'static str, users: u32, secs: u64, ramp: u64, think_ms: u64) -> Preset {
    Preset {
        name,
        users,
        duration: Duration::from_secs(secs),
        ramp_up: Duration::from_secs(ramp),
        think: Duration::from_millis(think_ms),
    }
}

/// The presets.
pub const PRESETS: &[Preset] = &[
    preset("baseline", 1, 30, 5, 1000),
    preset("light_load", 5, 60, 10, 1000),
    preset("normal_load", 10, 120, 20, 1000),
    preset("heavy_load", 25, 180, 30, 500),
    preset("stress_test", 50, 300, 60, 200),
    preset("spike_test", 100, 60, 5, 100),
    preset("endurance_test", 10, 1800, 30, 2000),
];
