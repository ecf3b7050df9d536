//! Durations (`"200ms"`) and percentages (`"10%"`) as users write them in
//! attributes, `Cargo.toml` and on the command line.

use std::time::Duration;

/// Why a duration or percentage could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    /// Nothing was given.
    #[error("the value is empty; {hint}")]
    Empty {
        /// What a valid value looks like.
        hint: &'static str,
    },
    /// A number without a unit.
    #[error("`{value}` has no unit; {hint}")]
    MissingUnit {
        /// The value as written.
        value: String,
        /// What a valid value looks like.
        hint: &'static str,
    },
    /// A unit that is not known.
    #[error("`{value}` has an unknown unit `{unit}`; {hint}")]
    UnknownUnit {
        /// The value as written.
        value: String,
        /// The unit as written.
        unit: String,
        /// What a valid value looks like.
        hint: &'static str,
    },
    /// The number part is not a number.
    #[error("`{value}` is not a number; {hint}")]
    InvalidNumber {
        /// The value as written.
        value: String,
        /// What a valid value looks like.
        hint: &'static str,
    },
    /// The value is out of the accepted range.
    #[error("`{value}` is out of range; {hint}")]
    OutOfRange {
        /// The value as written.
        value: String,
        /// What a valid value looks like.
        hint: &'static str,
    },
}

/// What a valid duration looks like, for error messages.
pub const DURATION_HINT: &str =
    "write a positive number followed by ns, us, ms, s, m or h, e.g. \"500ms\" or \"2.5s\"";
/// What a valid percentage looks like, for error messages.
pub const PERCENT_HINT: &str = "write a number from 0 to 1000 followed by %, e.g. \"10%\"";

/// Parses a duration such as `"500ms"`, `"2.5s"`, `"1m"` or `"250us"`.
///
/// Zero is accepted (`"0s"`); negative values are not.
pub fn parse_duration(text: &str) -> Result<Duration, UnitError> {
    let value = text.trim();
    if value.is_empty() {
        return Err(UnitError::Empty {
            hint: DURATION_HINT,
        });
    }
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let unit = unit.trim();
    if unit.is_empty() {
        return Err(UnitError::MissingUnit {
            value: value.to_owned(),
            hint: DURATION_HINT,
        });
    }
    let nanos_per_unit: f64 = match unit {
        "ns" => 1.0,
        "us" | "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" | "min" => 60e9,
        "h" => 3600e9,
        _ => {
            return Err(UnitError::UnknownUnit {
                value: value.to_owned(),
                unit: unit.to_owned(),
                hint: DURATION_HINT,
            });
        }
    };
    let number: f64 = number.parse().map_err(|_| UnitError::InvalidNumber {
        value: value.to_owned(),
        hint: DURATION_HINT,
    })?;
    let nanos = number * nanos_per_unit;
    // A year is far beyond any sensible perf budget; it also keeps the
    // conversion to u64 exact enough.
    if !nanos.is_finite() || !(0.0..=365.0 * 24.0 * 3600e9).contains(&nanos) {
        return Err(UnitError::OutOfRange {
            value: value.to_owned(),
            hint: DURATION_HINT,
        });
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked to be finite, non-negative and below a year of nanoseconds"
    )]
    Ok(Duration::from_nanos(nanos.round() as u64))
}

/// What a valid size looks like, for error messages.
pub const BYTES_HINT: &str =
    "write a whole number followed by B, KB, MB or GB (1 KB = 1024 B), e.g. \"64KB\"";

/// Parses a size such as `"512B"`, `"64KB"` or `"1MB"`; KB, MB and GB are
/// powers of 1024 (KiB, MiB and GiB are accepted too).
pub fn parse_bytes(text: &str) -> Result<u64, UnitError> {
    let value = text.trim();
    if value.is_empty() {
        return Err(UnitError::Empty { hint: BYTES_HINT });
    }
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let unit = unit.trim();
    let scale: u64 = match unit {
        "" => {
            return Err(UnitError::MissingUnit {
                value: value.to_owned(),
                hint: BYTES_HINT,
            });
        }
        "B" => 1,
        "KB" | "KiB" => 1 << 10,
        "MB" | "MiB" => 1 << 20,
        "GB" | "GiB" => 1 << 30,
        _ => {
            return Err(UnitError::UnknownUnit {
                value: value.to_owned(),
                unit: unit.to_owned(),
                hint: BYTES_HINT,
            });
        }
    };
    let number: u64 = number.parse().map_err(|_| UnitError::InvalidNumber {
        value: value.to_owned(),
        hint: BYTES_HINT,
    })?;
    number
        .checked_mul(scale)
        .filter(|&bytes| bytes <= 4 << 30)
        .ok_or_else(|| UnitError::OutOfRange {
            value: value.to_owned(),
            hint: BYTES_HINT,
        })
}

/// Parses a percentage such as `"10%"` or `"2.5%"` into the number before
/// the `%` sign.
pub fn parse_percent(text: &str) -> Result<f64, UnitError> {
    let value = text.trim();
    if value.is_empty() {
        return Err(UnitError::Empty { hint: PERCENT_HINT });
    }
    let Some(number) = value.strip_suffix('%') else {
        return if value.parse::<f64>().is_ok() {
            Err(UnitError::MissingUnit {
                value: value.to_owned(),
                hint: PERCENT_HINT,
            })
        } else {
            Err(UnitError::InvalidNumber {
                value: value.to_owned(),
                hint: PERCENT_HINT,
            })
        };
    };
    let number: f64 = number
        .trim()
        .parse()
        .map_err(|_| UnitError::InvalidNumber {
            value: value.to_owned(),
            hint: PERCENT_HINT,
        })?;
    if !number.is_finite() || !(0.0..=1000.0).contains(&number) {
        return Err(UnitError::OutOfRange {
            value: value.to_owned(),
            hint: PERCENT_HINT,
        });
    }
    Ok(number)
}

/// Formats nanoseconds with a unit that keeps three or four significant
/// digits, e.g. `1.234 µs`.
pub fn format_nanos(nanos: f64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_powers_of_1024() {
        assert_eq!(parse_bytes("512B"), Ok(512));
        assert_eq!(parse_bytes("64KB"), Ok(65_536));
        assert_eq!(parse_bytes("1 MiB"), Ok(1 << 20));
        assert!(matches!(
            parse_bytes("64"),
            Err(UnitError::MissingUnit { .. })
        ));
        assert!(matches!(
            parse_bytes("1.5MB"),
            Err(UnitError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_bytes("9GB"),
            Err(UnitError::OutOfRange { .. })
        ));
    }

    #[test]
    fn durations_in_every_unit() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2.5s"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_duration(" 1m "), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("250us"), Ok(Duration::from_micros(250)));
        assert_eq!(parse_duration("250µs"), Ok(Duration::from_micros(250)));
        assert_eq!(parse_duration("10ns"), Ok(Duration::from_nanos(10)));
        assert_eq!(parse_duration("1 h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn bad_durations_say_why() {
        assert!(matches!(
            parse_duration("200"),
            Err(UnitError::MissingUnit { .. })
        ));
        assert!(matches!(
            parse_duration("2x"),
            Err(UnitError::UnknownUnit { unit, .. }) if unit == "x"
        ));
        assert!(matches!(
            parse_duration("1.2.3s"),
            Err(UnitError::InvalidNumber { .. })
        ));
        assert!(matches!(
            parse_duration("-1s"),
            Err(UnitError::OutOfRange { .. })
        ));
        assert!(matches!(parse_duration(""), Err(UnitError::Empty { .. })));
        let message = parse_duration("2x").unwrap_err().to_string();
        assert!(message.contains("ms"), "{message}");
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("10%"), Ok(10.0));
        assert_eq!(parse_percent("2.5 %"), Ok(2.5));
        assert_eq!(parse_percent("0%"), Ok(0.0));
        assert!(matches!(
            parse_percent("10"),
            Err(UnitError::MissingUnit { .. })
        ));
        assert!(matches!(
            parse_percent("ten%"),
            Err(UnitError::InvalidNumber { .. })
        ));
        assert!(matches!(
            parse_percent("-5%"),
            Err(UnitError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_percent("abc"),
            Err(UnitError::InvalidNumber { .. })
        ));
    }

    #[test]
    fn nanos_are_formatted_with_a_fitting_unit() {
        assert_eq!(format_nanos(12.0), "12.00 ns");
        assert_eq!(format_nanos(1234.0), "1.234 µs");
        assert_eq!(format_nanos(123_456_789.0), "123.5 ms");
        assert_eq!(format_nanos(2.5e9), "2.500 s");
    }
}
