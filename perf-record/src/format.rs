//! Values written in their units, the same in every report (terminal,
//! HTML, CI formats, messages): the one place a number becomes text.

/// Formats nanoseconds with a unit that keeps three or four significant
/// digits, e.g. `1.234 µs`.
pub fn nanos(nanos: f64) -> String {
    let abs = nanos.abs();
    let (value, unit) = if abs < 1e3 {
        (nanos, "ns")
    } else if abs < 1e6 {
        (nanos / 1e3, "µs")
    } else if abs < 1e9 {
        (nanos / 1e6, "ms")
    } else {
        (nanos / 1e9, "s")
    };
    let decimals = if value.abs() >= 100.0 {
        1
    } else if value.abs() >= 10.0 {
        2
    } else {
        3
    };
    format!("{value:.decimals$} {unit}")
}

/// Formats a duration as a command line takes it back: `20s`, `1.5s`,
/// `250ms`, `10us`.
pub fn duration_ns(ns: u64) -> String {
    if ns >= 1_000_000_000 || ns == 0 {
        let secs = ns as f64 / 1e9;
        format!("{secs}s")
    } else if ns >= 1_000_000 && ns.is_multiple_of(1_000_000) {
        format!("{}ms", ns / 1_000_000)
    } else {
        format!("{}us", ns as f64 / 1e3)
    }
}

/// Formats a number of bytes in the largest binary unit that keeps it
/// at 1 or more, e.g. `512 B`, `64.00 KiB`, `1.25 GiB`.
pub fn bytes(bytes: f64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes.abs() < 1024.0 {
        return format!("{bytes:.0} B");
    }
    let mut value = bytes / 1024.0;
    let mut unit = UNITS[0];
    for next in &UNITS[1..] {
        if value.abs() < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    format!("{value:.2} {unit}")
}

/// Formats bytes per second as [`bytes`] does, e.g. `105.20 MiB/s`.
pub fn byte_rate(bytes_per_s: f64) -> String {
    format!("{}/s", bytes(bytes_per_s))
}

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

/// A ratio as `941x`, `66.4x`, `1.003x`: three decimals below 10, where
/// two would show an interval round 1 as `1.00x .. 1.00x`.
pub fn times(ratio: f64) -> String {
    match ratio {
        r if r >= 100.0 => format!("{r:.0}x"),
        r if r >= 10.0 => format!("{r:.1}x"),
        r => format!("{r:.3}x"),
    }
}

/// A signed change in percent, one decimal.
pub fn change_pct(v: f64) -> String {
    format!("{v:+.1}%")
}

/// Text that comes from a test (a panic or failure message, what a server
/// answered) as every report may show it: control characters other than
/// newline and tab, and the bidirectional controls that reorder what a
/// reader sees (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C),
/// become `\u{..}` escapes, so that a message cannot rewrite a terminal
/// line (`\r`) or hide text in a report (U+202E).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_rates_are_formatted_in_binary_units() {
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(65_536.0), "64.00 KiB");
        assert_eq!(bytes(3.5 * 1_048_576.0), "3.50 MiB");
        assert_eq!(bytes(1.25 * 1_073_741_824.0), "1.25 GiB");
        assert_eq!(byte_rate(105.2 * 1_048_576.0), "105.20 MiB/s");
        assert_eq!(byte_rate(0.0), "0 B/s");
    }

    #[test]
    fn nanos_are_formatted_with_a_fitting_unit() {
        assert_eq!(nanos(12.0), "12.00 ns");
        assert_eq!(nanos(1234.0), "1.234 µs");
        assert_eq!(nanos(123_456_789.0), "123.5 ms");
        assert_eq!(nanos(2.5e9), "2.500 s");
    }

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

    #[test]
    fn text_from_a_test_cannot_rewrite_a_line_or_reverse_one() {
        assert_eq!(
            printable("plain\nlines\tand tabs"),
            "plain\nlines\tand tabs"
        );
        assert_eq!(printable("ok\rFAILED"), "ok\\u{d}FAILED");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(printable("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert!(matches!(printable("é ✓"), std::borrow::Cow::Borrowed(_)));
    }
}
