//! Durations (`"200ms"`), percentages (`"10%"`), sizes (`"64KB"`) and
//! rates (`"100MiB/s"`) as users write them in attributes, `Cargo.toml`
//! and on the command line, and figures written back in their units.

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
    let scale = byte_scale(value, unit, "", BYTES_HINT)?;
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

/// The bytes in one `unit` of a size (`B`, `KiB`, ...; KB, MB and GB are
/// powers of 1024 too), which must end with `suffix` (`/s` for a rate);
/// `value` and `hint` name it in the error.
fn byte_scale(value: &str, unit: &str, suffix: &str, hint: &'static str) -> Result<u64, UnitError> {
    if unit.is_empty() {
        return Err(UnitError::MissingUnit {
            value: value.to_owned(),
            hint,
        });
    }
    match unit.strip_suffix(suffix) {
        Some("B") => Ok(1),
        Some("KB" | "KiB") => Ok(1 << 10),
        Some("MB" | "MiB") => Ok(1 << 20),
        Some("GB" | "GiB") => Ok(1 << 30),
        _ => Err(UnitError::UnknownUnit {
            value: value.to_owned(),
            unit: unit.to_owned(),
            hint,
        }),
    }
}

/// What a valid transfer rate looks like, for error messages.
pub const BYTE_RATE_HINT: &str = "write a number followed by B/s, KiB/s, MiB/s or GiB/s \
     (KB/s, MB/s and GB/s are the same powers of 1024), e.g. \"100MiB/s\"";

/// The largest rate accepted: a pebibyte a second is beyond any link.
const MAX_BYTE_RATE: f64 = (1u64 << 50) as f64;

/// Parses a rate such as `"100MiB/s"`, `"1.5 GiB/s"` or `"16KB/s"` into
/// bytes per second; KB, MB and GB are powers of 1024, as in
/// [`parse_bytes`]. A size without `/s` (`"16KB"`) is refused: its unit is
/// not a rate.
pub fn parse_byte_rate(text: &str) -> Result<f64, UnitError> {
    let value = text.trim();
    if value.is_empty() {
        return Err(UnitError::Empty {
            hint: BYTE_RATE_HINT,
        });
    }
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let scale = byte_scale(value, unit.trim(), "/s", BYTE_RATE_HINT)?;
    let number: f64 = number.parse().map_err(|_| UnitError::InvalidNumber {
        value: value.to_owned(),
        hint: BYTE_RATE_HINT,
    })?;
    let rate = number * scale as f64;
    if !rate.is_finite() || !(0.0..=MAX_BYTE_RATE).contains(&rate) {
        return Err(UnitError::OutOfRange {
            value: value.to_owned(),
            hint: BYTE_RATE_HINT,
        });
    }
    Ok(rate)
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
    fn rates_parse_in_powers_of_1024_per_second() {
        assert_eq!(parse_byte_rate("100MiB/s"), Ok(100.0 * 1_048_576.0));
        assert_eq!(parse_byte_rate("1.5 GiB/s"), Ok(1.5 * 1_073_741_824.0));
        assert_eq!(parse_byte_rate("16KB/s"), Ok(16_384.0));
        assert_eq!(parse_byte_rate("512B/s"), Ok(512.0));
        assert_eq!(parse_byte_rate("0B/s"), Ok(0.0));
        assert!(matches!(
            parse_byte_rate("100"),
            Err(UnitError::MissingUnit { .. })
        ));
        assert!(matches!(
            parse_byte_rate("16KB"),
            Err(UnitError::UnknownUnit { unit, .. }) if unit == "KB"
        ));
        assert!(matches!(
            parse_byte_rate("100Mbps"),
            Err(UnitError::UnknownUnit { unit, .. }) if unit == "Mbps"
        ));
        assert!(matches!(
            parse_byte_rate("1.2.3MiB/s"),
            Err(UnitError::InvalidNumber { .. })
        ));
        assert!(matches!(
            parse_byte_rate("-1MiB/s"),
            Err(UnitError::OutOfRange { .. })
        ));
        assert!(matches!(parse_byte_rate(" "), Err(UnitError::Empty { .. })));
        let message = parse_byte_rate("100Mbps").unwrap_err().to_string();
        assert!(message.contains("MiB/s"), "{message}");
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
}
