//! Why a micro-benchmark stopped measuring: its estimate was good enough
//! for its question, or its time ran out first.

use serde::{Deserialize, Serialize};

/// Why a benchmark's measurement (a process's samples, or a comparison's
/// paired rounds) stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The median's 95% interval became narrower than its target (a
    /// fraction of the test's threshold): a plain run's question answered.
    TargetReached,
    /// The change's interval lay clearly on one side of the threshold: a
    /// comparison's question answered.
    Decided,
    /// The time budget (or the most rounds) was spent first.
    TimeLimit,
}

impl StopReason {
    /// The reason of a measurement made of several parts (processes): the
    /// time limit when any part ran out of time, else the parts' own.
    pub fn combine(reasons: impl IntoIterator<Item = Self>) -> Option<Self> {
        reasons.into_iter().reduce(|a, b| {
            if a == Self::TimeLimit || b == Self::TimeLimit {
                Self::TimeLimit
            } else {
                a
            }
        })
    }

    /// How a report says it, after "stopped: ".
    pub fn describe(self) -> &'static str {
        match self {
            Self::TargetReached => "target reached",
            Self::Decided => "decided",
            Self::TimeLimit => "time limit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_limit_anywhere_is_the_whole_s() {
        use StopReason::*;
        assert_eq!(
            StopReason::combine([TargetReached, TargetReached]),
            Some(TargetReached)
        );
        assert_eq!(
            StopReason::combine([TargetReached, TimeLimit]),
            Some(TimeLimit)
        );
        assert_eq!(StopReason::combine([]), None);
    }

    #[test]
    fn written_in_snake_case() {
        let json = serde_json::to_string(&StopReason::TargetReached).unwrap();
        assert_eq!(json, "\"target_reached\"");
        let back: StopReason = serde_json::from_str("\"time_limit\"").unwrap();
        assert_eq!(back, StopReason::TimeLimit);
    }
}
