//! `load = "preset"` and `load(...)`: a load test's workload, checked at
//! compile time as far as it can be (the runtime checks the rest, such as
//! a think time longer than the test).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;

use crate::sweep::SweepSpec;

const PRESETS: &[&str] = &[
    "baseline",
    "light_load",
    "normal_load",
    "heavy_load",
    "stress_test",
    "spike_test",
    "endurance_test",
];

const KEYS: &str = "`preset`, `users`, `ramp_up`, `hold`, `rate`, `duration`, `max_in_flight`, \
                    `think`, `stages = [(\"10s\", 20), ...]`, `rate_stages = [(\"10s\", 100.0), ...]`";

/// A checked workload.
#[derive(Default)]
pub(crate) struct LoadSpec {
    preset: Option<String>,
    users: Option<u32>,
    ramp_up_ns: Option<u64>,
    hold_ns: Option<u64>,
    rate: Option<f64>,
    duration_ns: Option<u64>,
    max_in_flight: Option<u64>,
    think_ns: Option<(u64, u64)>,
    stages: Vec<(u64, f64)>,
    rate_stages: Vec<(u64, f64)>,
    pub(crate) sweep: Option<SweepSpec>,
}

/// Refuses a kind written without its parenthesised options
/// (`stress` alone): `what` they are, and an example.
pub(crate) fn in_parentheses(
    meta: &ParseNestedMeta<'_>,
    kind: &syn::Ident,
    what: &str,
    example: &str,
) -> syn::Result<()> {
    if meta.input.peek(syn::token::Paren) {
        return Ok(());
    }
    Err(syn::Error::new(
        kind.span(),
        format!("`{kind}` takes its {what} in parentheses: {example}"),
    ))
}

/// The value of one `key = value` of a workload's options, refusing a key
/// given twice.
pub(crate) fn option_value(
    inner: &ParseNestedMeta<'_>,
    key: &str,
    seen: &mut Vec<String>,
) -> syn::Result<syn::Expr> {
    if seen.iter().any(|k| k == key) {
        return Err(inner.error(format!("`{key}` is given twice; keep one")));
    }
    seen.push(key.to_owned());
    inner.value()?.parse()
}

/// `value` as a string literal, or an error that says what `key` takes
/// (`hint`: " such as \"2s\"").
pub(crate) fn string_of(value: &syn::Expr, key: &str, hint: &str) -> syn::Result<syn::LitStr> {
    match value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(s.clone()),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string{hint}"),
        )),
    }
}

/// A whole number of at least 1 (`users = 2`, a page, a user count).
pub(crate) fn whole(expr: &syn::Expr, key: &str) -> syn::Result<u64> {
    let value = number(expr, key)?;
    if value < 1.0 || value.fract() != 0.0 || value > f64::from(u32::MAX) {
        return Err(syn::Error::new_spanned(
            expr,
            format!("`{key}` takes whole numbers of at least 1"),
        ));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked just above"
    )]
    Ok(value as u64)
}

fn preset(literal: &syn::LitStr) -> syn::Result<String> {
    let name = literal.value();
    if PRESETS.contains(&name.as_str()) {
        Ok(name)
    } else {
        Err(syn::Error::new(
            literal.span(),
            format!(
                "unknown load preset `{name}`; the presets are {}",
                PRESETS.join(", ")
            ),
        ))
    }
}

pub(crate) fn duration(literal: &syn::LitStr, key: &str) -> syn::Result<u64> {
    let duration = perf_record::parse_duration(&literal.value())
        .map_err(|e| syn::Error::new(literal.span(), format!("invalid `{key}`: {e}")))?;
    Ok(u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX))
}

/// `think = "1s"` or `think = "0.5s..1.5s"`: (min ns, max ns).
pub(crate) fn think(literal: &syn::LitStr) -> syn::Result<(u64, u64)> {
    let text = literal.value();
    let (low, high) = text.split_once("..").unwrap_or((&text, &text));
    let parse = |t: &str| {
        perf_record::parse_duration(t)
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .map_err(|e| {
                syn::Error::new(
                    literal.span(),
                    format!("invalid `think`: {e}; a range is \"0.5s..1.5s\""),
                )
            })
    };
    let (low, high) = (parse(low)?, parse(high)?);
    if low > high {
        return Err(syn::Error::new(
            literal.span(),
            "invalid `think`: the range's start is after its end",
        ));
    }
    Ok((low, high))
}

pub(crate) fn number(expr: &syn::Expr, key: &str) -> syn::Result<f64> {
    let (negative, inner) = match expr {
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => (true, &**expr),
        other => (false, other),
    };
    let value = match inner {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse::<f64>()?,
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Float(float),
            ..
        }) => float.base10_parse::<f64>()?,
        other => {
            return Err(syn::Error::new_spanned(
                other,
                format!("`{key}` takes a number"),
            ));
        }
    };
    Ok(if negative { -value } else { value })
}

impl LoadSpec {
    /// A catalogue kind's workload.
    pub(crate) fn of_kind(think_ns: Option<(u64, u64)>, sweep: SweepSpec) -> Self {
        Self {
            think_ns,
            sweep: Some(sweep),
            ..Self::default()
        }
    }

    pub(crate) fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<Self> {
        let mut spec = Self::default();
        if meta.input.peek(syn::Token![=]) {
            let literal: syn::LitStr = meta.value()?.parse().map_err(|e| {
                syn::Error::new(e.span(), format!("`load` takes a preset name (`load = \"normal_load\"`) or a list: `load({KEYS})`"))
            })?;
            spec.preset = Some(preset(&literal)?);
            return Ok(spec);
        }
        let mut seen: Vec<String> = Vec::new();
        let mut first_closed: Option<Span> = None;
        let mut first_open: Option<Span> = None;
        meta.parse_nested_meta(|inner| {
            let Some(ident) = inner.path.get_ident() else {
                return Err(inner.error(format!("unknown workload option; expected one of {KEYS}")));
            };
            let key = ident.to_string();
            let value = option_value(&inner, &key, &mut seen)?;
            let string = || string_of(&value, &key, " such as \"30s\"");
            match key.as_str() {
                "preset" => spec.preset = Some(preset(&string()?)?),
                "users" => {
                    first_closed.get_or_insert(ident.span());
                    let users = number(&value, &key)?;
                    if users < 1.0 || users.fract() != 0.0 || users > f64::from(u32::MAX) {
                        return Err(syn::Error::new_spanned(&value, "`users` must be a whole number of at least 1"));
                    }
                    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "checked just above")]
                    let users = users as u32;
                    spec.users = Some(users);
                }
                "ramp_up" => spec.ramp_up_ns = Some(duration(&string()?, &key)?),
                "hold" => spec.hold_ns = Some(duration(&string()?, &key)?),
                "duration" => spec.duration_ns = Some(duration(&string()?, &key)?),
                "rate" => {
                    first_open.get_or_insert(ident.span());
                    let rate = number(&value, &key)?;
                    if rate <= 0.0 {
                        return Err(syn::Error::new_spanned(
                            &value,
                            "a `rate` of zero or less would start no iteration; give iterations per second above zero, e.g. `rate = 100`",
                        ));
                    }
                    spec.rate = Some(rate);
                }
                "max_in_flight" => {
                    let cap = number(&value, &key)?;
                    if cap < 1.0 || cap.fract() != 0.0 {
                        return Err(syn::Error::new_spanned(&value, "`max_in_flight` must be a whole number of at least 1"));
                    }
                    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "checked just above")]
                    let cap = cap as u64;
                    spec.max_in_flight = Some(cap);
                }
                "think" => spec.think_ns = Some(think(&string()?)?),
                "stages" | "rate_stages" => {
                    if key == "stages" {
                        first_closed.get_or_insert(ident.span());
                    } else {
                        first_open.get_or_insert(ident.span());
                    }
                    let stages = parse_stages(&value, &key)?;
                    if key == "stages" {
                        spec.stages = stages;
                    } else {
                        spec.rate_stages = stages;
                    }
                }
                _ => {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!("unknown workload option `{key}`; expected one of {KEYS}"),
                    ));
                }
            }
            Ok(())
        })?;
        if let (Some(_), Some(open)) = (first_closed, first_open) {
            return Err(syn::Error::new(
                open,
                "a workload is either closed (`users`, `stages`) or open (`rate`, `rate_stages`), not both",
            ));
        }
        Ok(spec)
    }

    pub(crate) fn to_tokens(&self, private: &TokenStream) -> TokenStream {
        let opt = |value: Option<TokenStream>| match value {
            Some(v) => quote! { ::core::option::Option::Some(#v) },
            None => quote! { ::core::option::Option::None },
        };
        let preset = opt(self.preset.as_ref().map(|p| quote! { #p }));
        let users = opt(self.users.map(|u| quote! { #u }));
        let ramp_up = opt(self.ramp_up_ns.map(|v| quote! { #v }));
        let hold = opt(self.hold_ns.map(|v| quote! { #v }));
        let rate = opt(self.rate.map(|v| quote! { #v }));
        let duration = opt(self.duration_ns.map(|v| quote! { #v }));
        let cap = opt(self.max_in_flight.map(|v| quote! { #v }));
        let think = opt(self.think_ns.map(|(l, h)| quote! { (#l, #h) }));
        let sweep = opt(self.sweep.as_ref().map(|sweep| {
            let kind = match sweep.kind.to_string().as_str() {
                "stress" => quote! { Stress },
                "scalability" => quote! { Scalability },
                "volume" => quote! { Volume },
                "spike" => quote! { Spike },
                "response_time" => quote! { ResponseTime },
                "soak" => quote! { Soak },
                "rate_limit" => quote! { RateLimit },
                "caching" => quote! { Caching },
                "n_plus_one" => quote! { NPlusOne },
                "pool" => quote! { Pool },
                "timeout" => quote! { Timeout },
                "search" => quote! { Search },
                "websocket" => quote! { WebSocket },
                _ => quote! { Pagination },
            };
            let labels = &sweep.labels;
            let header = opt(sweep.counter_header.as_ref().map(|h| quote! { #h }));
            let metrics_path = &sweep.metrics_path;
            let metric = opt(sweep
                .counter_metric
                .as_ref()
                .map(|m| quote! { (#m, #metrics_path) }));
            let (limit, factor, timeout, keys) =
                (sweep.limit, sweep.factor, sweep.timeout_ns, sweep.keys);
            let probe = &sweep.probe;
            let levels = &sweep.levels;
            let (step, users) = (sweep.step_ns, sweep.users);
            let [before, during, after] = sweep.phases_ns;
            let (window, tolerance) = (sweep.window_ns, sweep.tolerance_pct);
            quote! {
                #private::SweepOptions {
                    kind: #private::SweepKind::#kind,
                    levels: &[#(#levels),*],
                    step_ns: #step,
                    users: #users,
                    phases_ns: [#before, #during, #after],
                    window_ns: #window,
                    tolerance_pct: #tolerance,
                    labels: &[#(#labels),*],
                    counter_header: #header,
                    counter_metric: #metric,
                    limit: #limit,
                    factor: #factor,
                    timeout_ns: #timeout,
                    probe: #probe,
                    keys: #keys,
                }
            }
        }));
        let stages = self.stages.iter().map(|(d, t)| quote! { (#d, #t) });
        let rate_stages = self.rate_stages.iter().map(|(d, t)| quote! { (#d, #t) });
        quote! {
            #private::LoadOptions {
                preset: #preset,
                users: #users,
                ramp_up_ns: #ramp_up,
                hold_ns: #hold,
                rate: #rate,
                duration_ns: #duration,
                stages: &[#(#stages),*],
                rate_stages: &[#(#rate_stages),*],
                think_ns: #think,
                max_in_flight: #cap,
                sweep: #sweep,
            }
        }
    }
}

/// `[("10s", 20), ("30s", 50)]`
fn parse_stages(value: &syn::Expr, key: &str) -> syn::Result<Vec<(u64, f64)>> {
    let example = format!("`{key} = [(\"10s\", 20), (\"30s\", 50)]`");
    let syn::Expr::Array(array) = value else {
        return Err(syn::Error::new_spanned(
            value,
            format!("`{key}` takes a list of (duration, target): {example}"),
        ));
    };
    if array.elems.is_empty() {
        return Err(syn::Error::new(
            array.span(),
            format!("the stage list is empty; give at least one (duration, target): {example}"),
        ));
    }
    array
        .elems
        .iter()
        .map(|elem| {
            let syn::Expr::Tuple(tuple) = elem else {
                return Err(syn::Error::new_spanned(elem, format!("a stage is (duration, target): {example}")));
            };
            let (Some(first), Some(second), 2) = (tuple.elems.first(), tuple.elems.get(1), tuple.elems.len()) else {
                return Err(syn::Error::new_spanned(elem, format!("a stage is (duration, target): {example}")));
            };
            let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(d), .. }) = first else {
                return Err(syn::Error::new_spanned(first, "a stage's duration is a string such as \"30s\""));
            };
            let target = number(second, "a stage's target")?;
            if target < 0.0 {
                return Err(syn::Error::new_spanned(
                    second,
                    "a stage's target cannot be negative: it is users (or iterations per second), 0 or more",
                ));
            }
            Ok((duration(d, "stage duration")?, target))
        })
        .collect()
}
