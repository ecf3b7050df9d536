//! How the CSV files' fields are written.

/// Rows as CSV text, quoted where a field needs it (RFC 4180).
pub(super) fn to_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only on a row of the wrong length, which
    // the callers build from the header.
    let _ = writer.write_record(header);
    for row in rows {
        debug_assert_eq!(row.len(), header.len(), "{row:?}");
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Microseconds as milliseconds, three decimals.
pub(super) fn ms(us: f64) -> String {
    format!("{:.3}", us / 1e3)
}
