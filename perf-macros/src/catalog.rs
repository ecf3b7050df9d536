//! `rate_limit(...)`, `caching(...)`, `n_plus_one(...)`, `pool(...)`,
//! `timeout(...)`, `search(...)` and `websocket(...)`: the catalogue's kinds that read more
//! than timing, checked at compile time.

use syn::meta::ParseNestedMeta;

use crate::load::{LoadSpec, duration, in_parentheses, option_value, string_of, think, whole};
use crate::sweep::SweepSpec;

/// A kind's options, and an example of the whole option.
fn syntax(kind: &str) -> (&'static [&'static str], &'static str) {
    match kind {
        "rate_limit" => (
            &["limit", "over", "step"],
            "`rate_limit(limit = 50, over = 2, step = \"3s\")`",
        ),
        "caching" => (
            &["keys", "users", "step", "think"],
            "`caching(keys = 20, users = 1, step = \"2s\")`",
        ),
        "n_plus_one" => (
            &[
                "sizes",
                "header",
                "metric",
                "metrics_path",
                "users",
                "step",
                "think",
            ],
            "`n_plus_one(sizes = [10, 50, 100], header = \"x-db-queries\")` or \
             `n_plus_one(sizes = [10, 100], metric = \"db_queries_total\")`",
        ),
        "pool" => (
            &["users", "size", "step", "think"],
            "`pool(users = [2, 4, 8, 16], size = 4, step = \"1s\")`",
        ),
        "websocket" => (
            &["connections", "step", "think"],
            "`websocket(connections = [1, 8, 32], step = \"2s\", think = \"10ms..30ms\")`",
        ),
        "timeout" => (
            &["after", "users", "step", "probe", "think"],
            "`timeout(after = \"500ms\", users = 4, step = \"2s\", probe = \"/health\")`",
        ),
        _ => (
            &["queries", "users", "step", "think"],
            "`search(queries = [\"red chair\", \"oak table\", \"*oak\"], users = 1, step = \"1s\")`",
        ),
    }
}

fn positive(expr: &syn::Expr, key: &str, above: f64) -> syn::Result<f64> {
    let value = crate::load::number(expr, key)?;
    if !(value.is_finite() && value > above) {
        return Err(syn::Error::new_spanned(
            expr,
            format!("`{key}` must be a number above {above}"),
        ));
    }
    Ok(value)
}

fn path(literal: &syn::LitStr, key: &str) -> syn::Result<String> {
    let value = literal.value();
    if !value.starts_with('/') || value.bytes().any(|b| b.is_ascii_whitespace()) {
        return Err(syn::Error::new(
            literal.span(),
            format!("`{key}` is an absolute path such as \"/health\""),
        ));
    }
    Ok(value)
}

/// A list of whole numbers, each above the one before.
fn levels(value: &syn::Expr, key: &str, example: &str) -> syn::Result<Vec<u64>> {
    let syn::Expr::Array(array) = value else {
        return Err(syn::Error::new_spanned(
            value,
            format!("`{key}` takes a list: {example}"),
        ));
    };
    if array.elems.is_empty() {
        return Err(syn::Error::new_spanned(
            value,
            format!("the list `{key}` is empty: {example}"),
        ));
    }
    let mut list: Vec<u64> = Vec::new();
    for elem in &array.elems {
        let level = whole(elem, key)?;
        if list.last().is_some_and(|&last| level <= last) {
            return Err(syn::Error::new_spanned(
                elem,
                "the levels must go up, each above the one before",
            ));
        }
        list.push(level);
    }
    Ok(list)
}

impl LoadSpec {
    /// One of the kinds above.
    pub(crate) fn parse_catalog(
        meta: &ParseNestedMeta<'_>,
        kind: &syn::Ident,
    ) -> syn::Result<Self> {
        let name = kind.to_string();
        let (keys, example) = syntax(&name);
        let mut spec = SweepSpec::new(kind.clone());
        spec.step_ns = match name.as_str() {
            "rate_limit" => 3_000_000_000,
            "caching" | "timeout" => 2_000_000_000,
            _ => 1_000_000_000,
        };
        spec.users = if name == "timeout" { 4 } else { 1 };
        let mut think_ns = None;
        let mut seen: Vec<String> = Vec::new();
        in_parentheses(meta, kind, "options", example)?;
        meta.parse_nested_meta(|inner| {
            let key = inner.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if !keys.contains(&key.as_str()) {
                let expected: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                return Err(inner.error(format!(
                    "unknown `{name}` option `{key}`; expected {}: {example}",
                    expected.join(", ")
                )));
            }
            let value = option_value(&inner, &key, &mut seen)?;
            let string = || string_of(&value, &key, &format!(": {example}"));
            match key.as_str() {
                "limit" => spec.limit = positive(&value, "limit", 0.0)?,
                "over" => {
                    let over = positive(&value, "over", 0.0)?;
                    if over < 1.5 {
                        return Err(syn::Error::new_spanned(
                            &value,
                            "`over` must be at least 1.5: closer to the limit, a limiter that lets too much through \
                             could not be told from one that works (the default is 2)",
                        ));
                    }
                    spec.factor = over;
                }
                "size" => spec.limit = whole(&value, "size")? as f64,
                "keys" => spec.keys = whole(&value, "keys")?,
                "users" if name == "pool" => spec.levels = levels(&value, "users", example)?,
                "users" => spec.users = u32::try_from(whole(&value, "users")?).unwrap_or(u32::MAX),
                "sizes" => spec.levels = levels(&value, "sizes", example)?,
                "connections" => spec.levels = levels(&value, "connections", example)?,
                "step" | "after" => {
                    let ns = duration(&string()?, &key)?;
                    if ns == 0 {
                        return Err(syn::Error::new_spanned(&value, format!("`{key}` must be above zero, e.g. \"2s\"")));
                    }
                    if key == "step" {
                        spec.step_ns = ns;
                    } else {
                        spec.timeout_ns = ns;
                    }
                }
                "header" => {
                    let literal = string()?;
                    let header = literal.value().to_ascii_lowercase();
                    let valid = !header.is_empty()
                        && header.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                    if !valid {
                        return Err(syn::Error::new(literal.span(), "`header` is a header name such as \"x-db-queries\""));
                    }
                    spec.counter_header = Some(header);
                }
                "metric" => {
                    let literal = string()?;
                    let metric = literal.value();
                    let valid = metric.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                        && metric.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':');
                    if !valid {
                        return Err(syn::Error::new(
                            literal.span(),
                            "`metric` is a Prometheus counter's name such as \"db_queries_total\" (no labels)",
                        ));
                    }
                    spec.counter_metric = Some(metric);
                }
                "metrics_path" => spec.metrics_path = path(&string()?, "metrics_path")?,
                "probe" => spec.probe = path(&string()?, "probe")?,
                "queries" => {
                    let syn::Expr::Array(array) = &value else {
                        return Err(syn::Error::new_spanned(&value, format!("`queries` takes a list of strings: {example}")));
                    };
                    if array.elems.is_empty() {
                        return Err(syn::Error::new_spanned(&value, format!("the list of queries is empty: {example}")));
                    }
                    for elem in &array.elems {
                        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(query), .. }) = elem else {
                            return Err(syn::Error::new_spanned(elem, "a query is a string such as \"red chair\""));
                        };
                        let query = query.value();
                        if query.is_empty() {
                            return Err(syn::Error::new_spanned(elem, "a query cannot be empty"));
                        }
                        if spec.labels.contains(&query) {
                            return Err(syn::Error::new_spanned(elem, format!("the query \"{query}\" is listed twice")));
                        }
                        spec.labels.push(query);
                    }
                }
                _ => think_ns = Some(think(&string()?)?),
            }
            Ok(())
        })?;
        let missing = |what: &str| {
            Err(syn::Error::new(
                kind.span(),
                format!("`{name}` needs {what}: {example}"),
            ))
        };
        match name.as_str() {
            "rate_limit" if spec.limit <= 0.0 => {
                return missing("the declared limit, `limit = N` (requests per second)");
            }
            "n_plus_one" if spec.levels.is_empty() => {
                return missing("its page sizes, `sizes = [...]`");
            }
            "n_plus_one" if spec.counter_header.is_some() == spec.counter_metric.is_some() => {
                return missing("one query counter: `header = \"...\"` or `metric = \"...\"`");
            }
            "pool" if spec.levels.is_empty() => return missing("its levels, `users = [...]`"),
            "websocket" if spec.levels.is_empty() => {
                return missing("its levels, `connections = [...]`");
            }
            "timeout" if spec.timeout_ns == 0 => {
                return missing("the client's timeout, `after = \"500ms\"`");
            }
            "search" if spec.labels.is_empty() => return missing("its queries, `queries = [...]`"),
            _ => {}
        }
        let few = match name.as_str() {
            "n_plus_one" | "websocket" | "pool" if spec.levels.len() < 2 => {
                Some("two levels, to see how it grows")
            }
            "search" if spec.labels.len() < 3 => {
                Some("three queries, to have others to hold the slowest against")
            }
            _ => None,
        };
        if let Some(few) = few {
            return Err(syn::Error::new(
                kind.span(),
                format!("`{name}` needs at least {few}: {example}"),
            ));
        }
        if name == "websocket" && think_ns.is_none() {
            // Without think time every user sends again the moment its reply
            // comes: the round trip then grows with the connections on any
            // server that is busy, and the growth says nothing of the server.
            think_ns = Some((10_000_000, 30_000_000));
        }
        if name == "timeout" && spec.timeout_ns >= spec.step_ns {
            return Err(syn::Error::new(
                kind.span(),
                "`after` must be shorter than `step`, or no request could time out before the step ends",
            ));
        }
        Ok(Self::of_kind(think_ns, spec))
    }
}
