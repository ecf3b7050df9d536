//! Reading a counter from a server's Prometheus text (the exposition
//! format, and OpenMetrics text, which extends it): one sample a line,
//! `name{label="value",...} value [timestamp]`, with `#` lines for help,
//! types and comments.

/// The sum of the samples of the metric `name` over its label sets;
/// `None` when the text has no sample of it. Other metrics are left out,
/// those whose name only starts with `name` too (`queries_total_created`),
/// and so are lines that are not a well-formed sample.
pub(super) fn counter_value(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .filter_map(sample)
        .filter(|sample| sample.name == name)
        .fold(None, |sum, sample| Some(sum.unwrap_or(0.0) + sample.value))
}

/// One sample: its metric's name and its value.
#[derive(Debug, PartialEq)]
struct Sample<'a> {
    name: &'a str,
    value: f64,
}

/// A line read as a sample: `name`, an optional label set, the value, an
/// optional timestamp and an optional OpenMetrics exemplar (`# {...} v`).
/// `None` for a `#` line, a blank line or anything malformed.
fn sample(line: &str) -> Option<Sample<'_>> {
    let line = line.trim();
    if line.starts_with('#') {
        return None;
    }
    let end = line
        .find(|c: char| c == '{' || c.is_ascii_whitespace())
        .unwrap_or(line.len());
    let (name, rest) = line.split_at(end);
    if name.is_empty() {
        return None;
    }
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('{') {
        Some(labels) => after_labels(labels)?,
        None => rest,
    };
    let mut fields = rest.split_ascii_whitespace();
    let value = fields.next()?.parse().ok()?;
    let mut next = fields.next();
    if let Some(timestamp) = next.filter(|field| *field != "#") {
        // Milliseconds in Prometheus text, seconds in OpenMetrics.
        timestamp.parse::<f64>().ok()?;
        next = fields.next();
    }
    match next {
        None | Some("#") => Some(Sample { name, value }),
        Some(_) => None,
    }
}

/// The text after a label set, read from just after its `{`: pairs of
/// `name="value"` separated by commas (a trailing one allowed), then `}`.
/// `None` when the set is malformed or never closed.
fn after_labels(text: &str) -> Option<&str> {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix('}') {
            return Some(after);
        }
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|&end| end > 0)?;
        let value = rest[name_end..]
            .trim_start()
            .strip_prefix('=')?
            .trim_start()
            .strip_prefix('"')?;
        rest = after_quoted(value)?.trim_start();
        if let Some(more) = rest.strip_prefix(',') {
            rest = more.trim_start();
        } else if !rest.starts_with('}') {
            return None;
        }
    }
}

/// The text after a quoted label value, read from just after its opening
/// quote: an escaped quote (`\"`) does not end it, nor does a `}` or `,`
/// inside it. `None` when it is never closed.
fn after_quoted(text: &str) -> Option<&str> {
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return Some(&text[at + 1..]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::counter_value;

    const NAME: &str = "queries_total";

    #[test]
    fn samples_are_summed_over_their_label_sets() {
        let text = "queries_total{table=\"a b\"} 40\nqueries_total{table=\"c\"} 2\nother_total 5\n";
        assert_eq!(counter_value(text, NAME), Some(42.0));
        assert_eq!(counter_value("queries_total 7", NAME), Some(7.0));
        assert_eq!(counter_value("queries_total{} 7", NAME), Some(7.0));
        assert_eq!(counter_value(text, "missing_total"), None);
        assert_eq!(counter_value("", NAME), None);
    }

    #[test]
    fn a_brace_or_comma_inside_a_quoted_value_is_part_of_the_value() {
        assert_eq!(
            counter_value("queries_total{path=\"/a}b\"} 3", NAME),
            Some(3.0)
        );
        assert_eq!(
            counter_value("queries_total{path=\"/a,b}\",method=\"GET\"} 3", NAME),
            Some(3.0)
        );
        assert_eq!(
            counter_value("queries_total{path=\"/a}\"} 3 1700000000000", NAME),
            Some(3.0)
        );
    }

    #[test]
    fn escaped_quotes_and_backslashes_do_not_end_a_value() {
        assert_eq!(
            counter_value(r#"queries_total{q="say \"hi\" }"} 4"#, NAME),
            Some(4.0)
        );
        // An escaped backslash, then the closing quote.
        assert_eq!(
            counter_value(r#"queries_total{dir="C:\\",x="y"} 5"#, NAME),
            Some(5.0)
        );
        assert_eq!(
            counter_value(r#"queries_total{q="a\nb"} 6"#, NAME),
            Some(6.0)
        );
    }

    #[test]
    fn help_type_and_comment_lines_are_not_samples() {
        let text = "# HELP queries_total 99 queries served, {so far}\n\
                    # TYPE queries_total counter\n\
                    # queries_total 1000\n\
                    queries_total 2\n\
                    # EOF\n";
        assert_eq!(counter_value(text, NAME), Some(2.0));
        assert_eq!(counter_value("# TYPE queries_total counter\n", NAME), None);
    }

    #[test]
    fn a_timestamp_or_an_exemplar_may_follow_the_value() {
        assert_eq!(
            counter_value("queries_total 7 1700000000000", NAME),
            Some(7.0)
        );
        assert_eq!(
            counter_value("queries_total{a=\"b\"} 7 1700000000.123", NAME),
            Some(7.0)
        );
        assert_eq!(
            counter_value("queries_total{a=\"b\"} 7 # {trace_id=\"x\"} 1.0", NAME),
            Some(7.0)
        );
        assert_eq!(
            counter_value("queries_total 7 1700000000000 # {trace_id=\"x\"} 1.0", NAME),
            Some(7.0)
        );
        assert_eq!(counter_value("queries_total\t7\r\n", NAME), Some(7.0));
    }

    #[test]
    fn metrics_that_only_start_with_the_name_are_other_metrics() {
        let text = "queries_total_created 1.7e9\n\
                    queries_total_created{table=\"a\"} 1.7e9\n\
                    queries_totals 100\n\
                    queries_total{table=\"a\"} 8\n";
        assert_eq!(counter_value(text, NAME), Some(8.0));
        assert_eq!(counter_value("queries_total_created 1.7e9", NAME), None);
        assert_eq!(counter_value(text, "queries"), None);
    }

    #[test]
    fn malformed_samples_are_left_out() {
        let bad = [
            // Never closed: the quote swallows the brace.
            "queries_total{path=\"/a} 3",
            "queries_total{path=\"/a\" 3",
            "queries_total{path=/a} 3",
            "queries_total{=\"a\"} 3",
            "queries_total{a=\"b\" c=\"d\"} 3",
            "queries_total many",
            "queries_total 3 yesterday",
            "queries_total 3 1700000000000 extra",
            "queries_total",
        ];
        for line in bad {
            let text = format!("{line}\nqueries_total 1\n");
            assert_eq!(counter_value(&text, NAME), Some(1.0), "{line}");
        }
    }
}
