//! The options of `#[perf_test(...)]`, checked with spans so that a
//! mistake points at the offending token.

use perf_record::kinds::Kind;
use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser as _;

use crate::workload::LoadSpec;

/// The checked options.
#[derive(Default)]
pub(crate) struct PerfTestOptions {
    pub(crate) ignore: bool,
    pub(crate) ignore_reason: Option<String>,
    pub(crate) regression_threshold_pct: Option<f64>,
    pub(crate) warm_up_ns: Option<u64>,
    pub(crate) measurement_ns: Option<u64>,
    pub(crate) time_limit_ns: Option<u64>,
    /// `instructions`: count retired instructions too.
    pub(crate) instructions: bool,
    /// `load = "preset"`, `load(...)` or a kind's options.
    pub(crate) load: Option<LoadSpec>,
    /// `threshold(p95 = "200ms" as "Requirement 9.3", ...)`: (metric, value
    /// as written, the requirement's name).
    pub(crate) thresholds: Vec<(String, String, Option<String>)>,
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

    /// A kind's figures belong to it; some kinds need a threshold of the
    /// test's own, and each gets its default thresholds unless the test
    /// sets its own.
    fn check_sweep(&mut self) -> syn::Result<()> {
        let kind = self.load.as_ref().and_then(|l| l.kind.as_ref());
        let metrics: Vec<&str> = self.thresholds.iter().map(|(m, ..)| m.as_str()).collect();
        let defaults = perf_record::kinds::check_thresholds(kind.map(|(o, _)| o.kind()), &metrics)
            .map_err(|error| {
                let span = match error.spot {
                    perf_record::attr::Spot::Key(i) => self.threshold_spans.get(i).copied(),
                    _ => kind.map(|(_, span)| *span),
                };
                syn::Error::new(
                    span.unwrap_or_else(proc_macro2::Span::call_site),
                    error.message,
                )
            })?;
        let span = kind.map_or_else(proc_macro2::Span::call_site, |(_, span)| *span);
        for (metric, value) in defaults {
            self.thresholds
                .push((metric.to_owned(), value.to_owned(), None));
            self.threshold_spans.push(span);
        }
        Ok(())
    }

    fn parse_one(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(ident) = meta.path.get_ident() else {
            return Err(meta.error(perf_record::attr::not_an_option()));
        };
        let key = ident.to_string();
        if self.seen.contains(&key) {
            return Err(meta.error(format!("`{key}` is given twice; keep one")));
        }
        self.seen.push(key.clone());
        if let Some(kind) = Kind::from_name(&key) {
            self.one_workload(ident)?;
            self.load = Some(LoadSpec::parse_kind(meta, ident, kind)?);
            return Ok(());
        }
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
            "load" => {
                self.one_workload(ident)?;
                self.load = Some(LoadSpec::parse(meta)?);
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
                    let value = threshold_value(&inner, &name)?;
                    let requirement = requirement_name(&inner)?;
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
                    if self.thresholds.iter().any(|(m, ..)| *m == name) {
                        return Err(syn::Error::new(
                            metric.span(),
                            format!("`{name}` is given twice; keep one"),
                        ));
                    }
                    self.thresholds.push((name, value.value(), requirement));
                    self.threshold_spans.push(metric.span());
                    Ok(())
                })?;
            }
            "time_limit" => {
                let literal = string_value(meta, &key, "\"30s\"")?;
                let duration = perf_record::parse_duration(&literal.value())
                    .ok()
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| {
                        syn::Error::new(
                            literal.span(),
                            "invalid `time_limit`: write a duration above zero, e.g. \"30s\"",
                        )
                    })?;
                self.time_limit_ns = Some(u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX));
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
                return Err(syn::Error::new(
                    ident.span(),
                    perf_record::attr::unknown_option(&key),
                ));
            }
        }
        Ok(())
    }

    /// Refuses a second workload (`load(...)` and a kind, or two kinds).
    fn one_workload(&self, ident: &syn::Ident) -> syn::Result<()> {
        let key = ident.to_string();
        let Some(other) = self
            .seen
            .iter()
            .find(|k| **k != key && (*k == "load" || Kind::from_name(k).is_some()))
        else {
            return Ok(());
        };
        Err(syn::Error::new(
            ident.span(),
            format!(
                "`{other}` already gives this test its workload; a load test has one: `load(...)` \
                 or one kind of the catalogue ({})",
                Kind::listed()
            ),
        ))
    }
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

/// A threshold's limit: a string literal, which `as "name"` may follow
/// (so it is not read as an expression, which would take `as` for a cast).
fn threshold_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<syn::LitStr> {
    if meta.input.peek(syn::Token![=]) && meta.input.peek2(syn::LitStr) {
        meta.input.parse::<syn::Token![=]>()?;
        return meta.input.parse();
    }
    string_value(meta, key, "\"200ms\"")
}

/// The name of the requirement a threshold checks, after its value:
/// `p95 = "5s" as "Requirement 9.3"`.
fn requirement_name(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
    if !meta.input.peek(syn::Token![as]) {
        return Ok(None);
    }
    meta.input.parse::<syn::Token![as]>()?;
    let name: syn::LitStr = meta.input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "`as` names the requirement with a string: `p95 = \"5s\" as \"Requirement 9.3\"`",
        )
    })?;
    perf_record::threshold::check_requirement_name(&name.value())
        .map_err(|message| syn::Error::new(name.span(), message))?;
    Ok(Some(name.value()))
}
