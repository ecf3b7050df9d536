//! The connections a load test opened and what opening them took: TCP
//! connects and TLS handshakes, counted and timed apart from the requests
//! whose latency they are part of.

use serde::{Deserialize, Serialize};

/// Connections opened and their setup time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Connections {
    /// TCP connections opened.
    pub opened: u64,
    /// Their connects' mean time, µs.
    pub connect_mean_us: f64,
    /// TLS handshakes completed (`https://` targets).
    #[serde(default)]
    pub tls_handshakes: u64,
    /// Their mean time, µs.
    #[serde(default)]
    pub tls_handshake_mean_us: f64,
}

impl Connections {
    /// The figures of several runs or processes as one: counts summed,
    /// means weighted by them. `None` when none of them counted any.
    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Self>) -> Option<Self> {
        let mut total = Self::default();
        let (mut connect_us, mut handshake_us, mut any) = (0.0, 0.0, false);
        for part in parts {
            any = true;
            total.opened += part.opened;
            total.tls_handshakes += part.tls_handshakes;
            connect_us += part.connect_mean_us * part.opened as f64;
            handshake_us += part.tls_handshake_mean_us * part.tls_handshakes as f64;
        }
        total.connect_mean_us = connect_us / (total.opened.max(1) as f64);
        total.tls_handshake_mean_us = handshake_us / (total.tls_handshakes.max(1) as f64);
        any.then_some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_sum_with_means_weighted_by_their_counts() {
        let a = Connections {
            opened: 1,
            connect_mean_us: 100.0,
            tls_handshakes: 1,
            tls_handshake_mean_us: 1000.0,
        };
        let b = Connections {
            opened: 3,
            connect_mean_us: 200.0,
            tls_handshakes: 0,
            tls_handshake_mean_us: 0.0,
        };
        let total = Connections::sum([&a, &b]).unwrap();
        assert_eq!((total.opened, total.tls_handshakes), (4, 1));
        assert_eq!(total.connect_mean_us, 175.0);
        assert_eq!(total.tls_handshake_mean_us, 1000.0);
        assert_eq!(Connections::sum([]), None);
    }
}
