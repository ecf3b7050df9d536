//! The options of `#[perf_test(...)]`, checked with spans so that a
//! mistake points at the offending token.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser as _;

/// Every option, for "expected one of" messages.
const OPTIONS: &str = "`ignore`, `ignore = \"reason\"`, `regression_threshold = \"10%\"`, \
                       `warm_up_time = \"1s\"`, `measurement_time = \"3s\"`, `instructions` (benchmarks); \
                       `load = \"normal_load\"` or `load(...)`, `stress(...)`, `scalability(...)`, `volume(...)`, \
                       `pagination(...)`, `spike(...)`, `response_time(...)`, `soak(...)`, `rate_limit(...)`, \
                       `caching(...)`, `n_plus_one(...)`, `pool(...)`, `timeout(...)`, `search(...)`, `websocket(...)`, \
                       `threshold(p95 = \"200ms\")`, `tasks(...)` (load tests)";

/// The checked options.
#[derive(Default)]
pub(crate) struct PerfTestOptions {
    pub(crate) ignore: bool,
    pub(crate) ignore_reason: Option<String>,
    pub(crate) regression_threshold_pct: Option<f64>,
    pub(crate) warm_up_ns: Option<u64>,
    pub(crate) measurement_ns: Option<u64>,
    /// `instructions`: count retired instructions too.
    pub(crate) instructions: bool,
    /// `load = "preset"` or `load(...)`.
    pub(crate) load: Option<crate::load::LoadSpec>,
    /// `threshold(p95 = "200ms", ...)`: (metric, value as written).
    pub(crate) thresholds: Vec<(String, String)>,
    /// Where each threshold's metric is written.
    threshold_spans: Vec<proc_macro2::Span>,
    /// `tasks(browse = 3, buy = 1)`: the functions a user picks from, by
    /// weight; the annotated function is then the user's setup.
    pub(crate) tasks: Vec<(syn::Ident, u32)>,
    seen: Vec<String>,
    /// Where a bench-only or load-only option was, for mismatch errors.
    bench_only: Option<proc_macro2::Span>,
    load_only: Option<proc_macro2::Span>,
}

impl PerfTestOptions {
    pub(crate) fn parse(attr: TokenStream) -> syn::Result<Self> {
        let mut options = Self::default();
        let parser = syn::meta::parser(|meta| options.parse_one(&meta));
        parser.parse2(attr)?;
        if options.load.is_none() {
            if let Some(span) = options.load_only {
                return Err(syn::Error::new(
                    span,
                    "`threshold(...)` and `tasks(...)` belong to load tests; add a workload with \
                     `load = \"normal_load\"` or `load(users = 10, hold = \"30s\")` (for a benchmark's regression \
                     gate, use `regression_threshold = \"10%\"`)",
                ));
            }
        } else if let Some(span) = options.bench_only {
            return Err(syn::Error::new(
                span,
                "`warm_up_time`, `measurement_time` and `instructions` apply to benchmarks; a load test's length \
                 is its workload's (`hold`, `duration` or `stages`)",
            ));
        }
        options.check_sweep()?;
        Ok(options)
    }

    /// A sweep's metrics belong to its kind; a stress test needs a
    /// threshold to break; scalability, volume and pagination get the
    /// threshold their analysis is for unless the test sets its own.
    fn check_sweep(&mut self) -> syn::Result<()> {
        let sweep = self.load.as_ref().and_then(|l| l.sweep.as_ref());
        let kind = sweep.map(|s| s.kind.to_string());
        for ((metric, _), span) in self.thresholds.iter().zip(&self.threshold_spans) {
            let Some(figure) = perf_record::kinds::by_threshold(metric) else {
                continue;
            };
            let belongs = figure.kinds;
            if !kind.as_deref().is_some_and(|k| belongs.contains(&k)) {
                return Err(syn::Error::new(
                    *span,
                    format!(
                        "`{metric}` is measured by {} tests only: add `{}(...)`, or remove this threshold",
                        belongs.join(" and "),
                        belongs[0]
                    ),
                ));
            }
        }
        let Some(sweep) = sweep else { return Ok(()) };
        if kind.as_deref() == Some("stress") {
            let breaks = self
                .thresholds
                .iter()
                .any(|(m, _)| perf_record::kinds::by_threshold(m).is_none());
            if !breaks {
                return Err(syn::Error::new(
                    sweep.kind.span(),
                    "a stress test steps the load up until a threshold breaks: give one, e.g. \
                     `threshold(p95 = \"200ms\", error_rate = \"1%\")`",
                ));
            }
        }
        let span = sweep.kind.span();
        for (metric, value) in perf_record::kinds::default_thresholds(kind.as_deref().unwrap_or(""))
        {
            if !self.thresholds.iter().any(|(m, _)| m == metric) {
                self.thresholds
                    .push(((*metric).to_owned(), (*value).to_owned()));
                self.threshold_spans.push(span);
            }
        }
        Ok(())
    }

    fn parse_one(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(ident) = meta.path.get_ident() else {
            return Err(meta.error(format!("unknown option; expected one of {OPTIONS}")));
        };
        let key = ident.to_string();
        if self.seen.contains(&key) {
            return Err(meta.error(format!("`{key}` is given twice; keep one")));
        }
        self.seen.push(key.clone());
        match key.as_str() {
            "ignore" => {
                self.ignore = true;
                if meta.input.peek(syn::Token![=]) {
                    let reason: syn::LitStr = meta.value()?.parse().map_err(|e| {
                        syn::Error::new(
                            e.span(),
                            "`ignore` takes a reason as a string: `ignore = \"reason\"`",
                        )
                    })?;
                    self.ignore_reason = Some(reason.value());
                }
            }
            "regression_threshold" => {
                let literal = string_value(meta, &key, "\"10%\"")?;
                let percent = perf_record::parse_percent(&literal.value()).map_err(|e| {
                    syn::Error::new(literal.span(), format!("invalid `{key}`: {e}"))
                })?;
                self.regression_threshold_pct = Some(percent);
            }
            "load" | "stress" | "scalability" | "volume" | "pagination" | "spike"
            | "response_time" | "soak" | "rate_limit" | "caching" | "n_plus_one" | "pool"
            | "timeout" | "search" | "websocket" => {
                if let Some(other) = self.seen.iter().find(|k| {
                    *k != &key && (*k == "load" || crate::sweep::SWEEPS.contains(&k.as_str()))
                }) {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!(
                            "`{other}` already gives this test its workload; a load test has one: `load(...)` \
                             or one kind of the catalogue ({})",
                            crate::sweep::SWEEPS
                                .iter()
                                .map(|k| format!("`{k}(...)`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                self.load = Some(match key.as_str() {
                    "load" => crate::load::LoadSpec::parse(meta)?,
                    "response_time" | "soak" => crate::load::LoadSpec::parse_single(meta, ident)?,
                    "rate_limit" | "caching" | "n_plus_one" | "pool" | "timeout" | "search"
                    | "websocket" => crate::load::LoadSpec::parse_catalog(meta, ident)?,
                    _ => crate::load::LoadSpec::parse_sweep(meta, ident)?,
                });
            }
            "instructions" => {
                if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                    return Err(meta.error(
                        "`instructions` takes no value: write `#[perf_test(instructions)]`",
                    ));
                }
                self.bench_only.get_or_insert(ident.span());
                self.instructions = true;
            }
            "tasks" => {
                self.load_only.get_or_insert(ident.span());
                meta.parse_nested_meta(|inner| {
                    let Some(task) = inner.path.get_ident() else {
                        return Err(
                            inner.error("expected the name of an async fn, e.g. `browse = 3`")
                        );
                    };
                    let weight: syn::LitInt = inner.value()?.parse().map_err(|e| {
                        syn::Error::new(e.span(), "a task's weight is a whole number: `browse = 3`")
                    })?;
                    let weight: u32 = weight.base10_parse()?;
                    if weight == 0 {
                        return Err(syn::Error::new(
                            task.span(),
                            "a task's weight must be at least 1",
                        ));
                    }
                    if self.tasks.iter().any(|(t, _)| t == task) {
                        return Err(syn::Error::new(
                            task.span(),
                            format!("`{task}` is given twice; keep one"),
                        ));
                    }
                    self.tasks.push((task.clone(), weight));
                    Ok(())
                })?;
                if self.tasks.is_empty() {
                    return Err(syn::Error::new(
                        ident.span(),
                        "`tasks(...)` needs at least one `name = weight`",
                    ));
                }
            }
            "threshold" if !meta.input.peek(syn::Token![=]) => {
                self.load_only.get_or_insert(ident.span());
                meta.parse_nested_meta(|inner| {
                    let Some(metric) = inner.path.get_ident() else {
                        return Err(inner.error("expected a metric such as `p95`"));
                    };
                    let name = metric.to_string();
                    let value = string_value(&inner, &name, "\"200ms\"")?;
                    perf_record::threshold::Threshold::parse(&name, &value.value()).map_err(
                        |e| {
                            let span = if matches!(
                                e,
                                perf_record::threshold::ThresholdError::UnknownMetric(_)
                            ) {
                                metric.span()
                            } else {
                                value.span()
                            };
                            syn::Error::new(span, e.to_string())
                        },
                    )?;
                    if self.thresholds.iter().any(|(m, _)| *m == name) {
                        return Err(syn::Error::new(
                            metric.span(),
                            format!("`{name}` is given twice; keep one"),
                        ));
                    }
                    self.thresholds.push((name, value.value()));
                    self.threshold_spans.push(metric.span());
                    Ok(())
                })?;
            }
            "warm_up_time" | "measurement_time" => {
                self.bench_only.get_or_insert(ident.span());
                let literal = string_value(meta, &key, "\"2s\"")?;
                let duration = perf_record::parse_duration(&literal.value()).map_err(|e| {
                    syn::Error::new(literal.span(), format!("invalid `{key}`: {e}"))
                })?;
                if key == "measurement_time" && duration.is_zero() {
                    return Err(syn::Error::new(
                        literal.span(),
                        "invalid `measurement_time`: it must be above zero, e.g. \"2s\"",
                    ));
                }
                let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
                if key == "warm_up_time" {
                    self.warm_up_ns = Some(nanos);
                } else {
                    self.measurement_ns = Some(nanos);
                }
            }
            _ => {
                let hint = match key.as_str() {
                    "threshold" => {
                        " (for the regression gate, write `regression_threshold = \"10%\"`; SLA limits of load tests are `threshold(p95 = \"200ms\")`)"
                    }
                    "regression" => {
                        " (for the regression gate, write `regression_threshold = \"10%\"`)"
                    }
                    "warmup" | "warm_up" => " (did you mean `warm_up_time`?)",
                    "measurement" | "time" | "budget" => " (did you mean `measurement_time`?)",
                    "ignored" | "skip" => " (did you mean `ignore`?)",
                    _ => "",
                };
                let kind = catalogue_kind_like(&key)
                    .map(|kind| format!(" (did you mean the catalogue kind `{kind}(...)`?)"))
                    .unwrap_or_default();
                return Err(syn::Error::new(
                    ident.span(),
                    format!("unknown option `{key}`{hint}{kind}; expected one of {OPTIONS}"),
                ));
            }
        }
        Ok(())
    }
}

/// The catalogue kind a misspelt or differently named option most likely
/// means: `ratelimit`, `rate_limiting`, `cache`, `endurance`, `ws`...
pub(crate) fn catalogue_kind_like(key: &str) -> Option<&'static str> {
    let bare: String = key
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    let alias = match bare.as_str() {
        "ratelimiting" | "ratelimiter" | "throttle" | "throttling" => Some("rate_limit"),
        "cache" | "cached" => Some("caching"),
        "nplus1" | "n1" | "queries" | "database" | "db" => Some("n_plus_one"),
        "connectionpool" | "connections" | "pooling" => Some("pool"),
        "timeouts" => Some("timeout"),
        "ws" | "websockets" => Some("websocket"),
        "endurance" => Some("soak"),
        "breakingpoint" => Some("stress"),
        "paging" | "pages" => Some("pagination"),
        "payload" | "payloads" => Some("volume"),
        "responsetimes" | "latency" => Some("response_time"),
        _ => None,
    };
    alias.or_else(|| {
        crate::sweep::SWEEPS
            .iter()
            .find(|kind| kind.replace('_', "") == bare && **kind != key)
            .copied()
    })
}

pub(crate) fn string_value(
    meta: &ParseNestedMeta<'_>,
    key: &str,
    example: &str,
) -> syn::Result<syn::LitStr> {
    if !meta.input.peek(syn::Token![=]) {
        return Err(meta.error(format!("`{key}` needs a value: `{key} = {example}`")));
    }
    let value = meta.value()?;
    let expr: syn::Expr = value.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(literal),
            ..
        }) => Ok(literal),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string: `{key} = {example}`"),
        )),
    }
}
