//! Values written in their units, the same in every report (terminal,
//! HTML, CI formats, messages): the one place a number becomes text.

pub use crate::units::{format_byte_rate as byte_rate, format_bytes, format_nanos as nanos};

/// A latency given in µs: in milliseconds, or in microseconds below 10 µs,
/// where two decimals of a millisecond would read 0.00 (a limit of `1us`
/// prints as `1 µs`).
pub fn latency(us: f64) -> String {
    if us.abs() >= 10.0 {
        format!("{:.2} ms", us / 1e3)
    } else {
        let text = format!("{us:.2}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        format!("{text} µs")
    }
}

/// Microseconds as milliseconds, two decimals.
pub fn ms(us: f64) -> String {
    format!("{:.2} ms", us / 1e3)
}

/// Bytes as MiB, one decimal.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A size as written in options: whole MB or KB where it is one, else
/// bytes.
pub fn size(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KB", n >> 10),
        n => format!("{n} B"),
    }
}

/// A percentage, two decimals.
pub fn percent(v: f64) -> String {
    format!("{v:.2}%")
}

/// A signed change in percent, one decimal.
pub fn change_pct(v: f64) -> String {
    format!("{v:+.1}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_latencies_keep_their_digits() {
        assert_eq!(latency(1.0), "1 µs");
        assert_eq!(latency(2.5), "2.5 µs");
        assert_eq!(latency(330.0), "0.33 ms");
        assert_eq!(latency(50_000.0), "50.00 ms");
    }

    #[test]
    fn sizes_are_whole_units_where_they_can_be() {
        assert_eq!(size(2 << 20), "2 MB");
        assert_eq!(size(64 << 10), "64 KB");
        assert_eq!(size(1000), "1000 B");
        assert_eq!(mib(3 << 19), "1.5 MiB");
        assert_eq!(ms(2500.0), "2.50 ms");
        assert_eq!(percent(1.0), "1.00%");
        assert_eq!(change_pct(-3.04), "-3.0%");
    }
}
