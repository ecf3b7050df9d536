//! `load = "preset"` and `load(...)`: a load test's workload, checked at
//! compile time as far as it can be (the runtime checks the rest, such as
//! a think time longer than the test).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;

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
    pub(crate) think_ns: Option<(u64, u64)>,
    stages: Vec<(u64, f64)>,
    rate_stages: Vec<(u64, f64)>,
    pub(crate) sweep: Option<SweepSpec>,
}

/// The sweep kinds, as written.
pub(crate) const SWEEPS: &[&str] = &[
    "stress",
    "scalability",
    "volume",
    "pagination",
    "spike",
    "response_time",
    "soak",
    "rate_limit",
    "caching",
    "n_plus_one",
    "pool",
    "timeout",
    "search",
    "websocket",
];

/// `stress(users = [1, 2, 4], step = "2s")` and its siblings.
pub(crate) struct SweepSpec {
    /// One of [`SWEEPS`], with its span.
    pub(crate) kind: syn::Ident,
    pub(crate) levels: Vec<u64>,
    pub(crate) step_ns: u64,
    pub(crate) users: u32,
    /// Spike: before, during and after the spike, ns.
    phases_ns: [u64; 3],
    /// Spike: the windows the recovery is read in, ns.
    window_ns: u64,
    /// Spike: how far above the pre-spike p95 counts as recovered, %.
    tolerance_pct: f64,
    /// Search: the queries.
    pub(crate) labels: Vec<String>,
    /// N+1: the header, or the Prometheus counter, that counts queries.
    pub(crate) counter_header: Option<String>,
    pub(crate) counter_metric: Option<String>,
    pub(crate) metrics_path: String,
    /// Rate limit: requests per second; pool: its size (0: not given).
    pub(crate) limit: f64,
    /// Rate limit: how far above the limit to drive.
    pub(crate) factor: f64,
    /// Timeout: the client's timeout, ns.
    pub(crate) timeout_ns: u64,
    /// Timeout: the path probed afterwards.
    pub(crate) probe: String,
    /// Caching: the keys the warm phase cycles over.
    pub(crate) keys: u64,
}

impl SweepSpec {
    /// A kind with every option at its default.
    pub(crate) fn new(kind: syn::Ident) -> Self {
        Self {
            kind,
            levels: Vec::new(),
            step_ns: 2_000_000_000,
            users: 1,
            phases_ns: [0; 3],
            window_ns: 0,
            tolerance_pct: 0.0,
            labels: Vec::new(),
            counter_header: None,
            counter_metric: None,
            metrics_path: "/metrics".to_owned(),
            limit: 0.0,
            factor: 2.0,
            timeout_ns: 0,
            probe: "/".to_owned(),
            keys: 20,
        }
    }
}

/// The key that lists a kind's levels, and an example of the whole option.
fn sweep_keys(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "stress" => (
            "users",
            "`stress(users = [1, 2, 4, 8, 16], step = \"2s\")` with `threshold(p95 = \"200ms\")`",
        ),
        "scalability" => (
            "users",
            "`scalability(users = [1, 2, 4, 8], step = \"2s\")`",
        ),
        "spike" => (
            "spike_users",
            "`spike(users = 2, spike_users = 20, before = \"5s\", spike = \"3s\", after = \"10s\")`",
        ),
        "volume" => (
            "sizes",
            "`volume(sizes = [\"1KB\", \"64KB\", \"1MB\"], users = 1, step = \"2s\")`",
        ),
        _ => (
            "pages",
            "`pagination(pages = [1, 10, 100], users = 1, step = \"2s\")`",
        ),
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
    /// `response_time(requests = 100)` and `soak(users = 4, hold = "10m",
    /// warm_up = "1m")`: one run each.
    pub(crate) fn parse_single(meta: &ParseNestedMeta<'_>, kind: &syn::Ident) -> syn::Result<Self> {
        let name = kind.to_string();
        let response_time = name == "response_time";
        let example = if response_time {
            "`response_time(requests = 100)`"
        } else {
            "`soak(users = 4, hold = \"10m\", warm_up = \"1m\")`"
        };
        let mut requests: Option<u64> = None;
        let mut users: u32 = 1;
        let mut hold_ns: Option<u64> = None;
        let mut warm_up_ns: u64 = 0;
        let mut think_ns = None;
        let mut seen: Vec<String> = Vec::new();
        if !meta.input.peek(syn::token::Paren) {
            return Err(syn::Error::new(
                kind.span(),
                format!("`{name}` takes its options in parentheses: {example}"),
            ));
        }
        meta.parse_nested_meta(|inner| {
            let key = inner
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if seen.contains(&key) {
                return Err(inner.error(format!("`{key}` is given twice; keep one")));
            }
            seen.push(key.clone());
            let value: syn::Expr = inner.value()?.parse()?;
            let string = || match &value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Ok(s.clone()),
                other => Err(syn::Error::new_spanned(
                    other,
                    format!("`{key}` takes a string such as \"2s\""),
                )),
            };
            match key.as_str() {
                "requests" if response_time => requests = Some(whole(&value, "requests")?),
                "users" if !response_time => {
                    users = u32::try_from(whole(&value, "users")?).unwrap_or(u32::MAX)
                }
                "hold" if !response_time => {
                    let ns = duration(&string()?, "hold")?;
                    if ns == 0 {
                        return Err(syn::Error::new_spanned(
                            &value,
                            "`hold` must be above zero, e.g. \"10m\"",
                        ));
                    }
                    hold_ns = Some(ns);
                }
                "warm_up" if !response_time => warm_up_ns = duration(&string()?, "warm_up")?,
                "think" => think_ns = Some(think(&string()?)?),
                _ => {
                    let keys = if response_time {
                        "`requests`, `think`"
                    } else {
                        "`users`, `hold`, `warm_up`, `think`"
                    };
                    return Err(syn::Error::new_spanned(
                        &inner.path,
                        format!("unknown `{name}` option `{key}`; expected {keys}: {example}"),
                    ));
                }
            }
            Ok(())
        })?;
        let (levels, hold) = if response_time {
            let Some(requests) = requests else {
                return Err(syn::Error::new(
                    kind.span(),
                    format!("`response_time` needs `requests = N`: {example}"),
                ));
            };
            (vec![requests], 0)
        } else {
            let Some(hold) = hold_ns else {
                return Err(syn::Error::new(
                    kind.span(),
                    format!("`soak` needs a `hold` time: {example}"),
                ));
            };
            (vec![u64::from(users)], hold)
        };
        Ok(Self {
            think_ns,
            sweep: Some(SweepSpec {
                kind: kind.clone(),
                levels,
                step_ns: hold,
                users,
                phases_ns: [warm_up_ns, hold, 0],
                ..SweepSpec::new(kind.clone())
            }),
            ..Self::default()
        })
    }

    /// `stress(...)`, `scalability(...)`, `volume(...)`, `pagination(...)`.
    pub(crate) fn parse_sweep(meta: &ParseNestedMeta<'_>, kind: &syn::Ident) -> syn::Result<Self> {
        let name = kind.to_string();
        let (levels_key, example) = sweep_keys(&name);
        let mut levels: Option<Vec<u64>> = None;
        let mut step_ns: u64 = 2_000_000_000;
        let mut users: Option<u32> = None;
        let mut think_ns = None;
        let mut phases_ns: [u64; 3] = [5_000_000_000, 3_000_000_000, 10_000_000_000];
        let mut window_ns: u64 = 500_000_000;
        let mut tolerance_pct = 50.0;
        let spike = name == "spike";
        let mut seen: Vec<String> = Vec::new();
        if !meta.input.peek(syn::token::Paren) {
            return Err(syn::Error::new(
                kind.span(),
                format!("`{name}` takes its levels in parentheses: {example}"),
            ));
        }
        meta.parse_nested_meta(|inner| {
            let key = inner.path.get_ident().map(ToString::to_string).unwrap_or_default();
            let unknown = || {
                if spike {
                    return inner.error(format!(
                        "unknown `spike` option `{key}`; expected `users`, `spike_users`, `before`, `spike`, `after`, \
                         `window`, `tolerance`, `think`: {example}"
                    ));
                }
                let users_too = if levels_key == "users" { "" } else { ", `users`" };
                inner.error(format!(
                    "unknown `{name}` option `{key}`; expected `{levels_key}`{users_too}, `step`, `think`: {example}"
                ))
            };
            if seen.contains(&key) {
                return Err(inner.error(format!("`{key}` is given twice; keep one")));
            }
            seen.push(key.clone());
            let value: syn::Expr = inner.value()?.parse()?;
            let string = || match &value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Ok(s.clone()),
                other => Err(syn::Error::new_spanned(other, format!("`{key}` takes a string such as \"2s\""))),
            };
            match key.as_str() {
                "spike_users" if spike => {
                    levels = Some(vec![whole(&value, "spike_users")?]);
                }
                "before" | "spike" | "after" | "window" if spike => {
                    let ns = duration(&string()?, &key)?;
                    if ns == 0 {
                        return Err(syn::Error::new_spanned(&value, format!("`{key}` must be above zero, e.g. \"2s\"")));
                    }
                    match key.as_str() {
                        "before" => phases_ns[0] = ns,
                        "spike" => phases_ns[1] = ns,
                        "after" => phases_ns[2] = ns,
                        _ => window_ns = ns,
                    }
                }
                "tolerance" if spike => {
                    let literal = string()?;
                    tolerance_pct = perf_record::parse_percent(&literal.value())
                        .map_err(|e| syn::Error::new(literal.span(), format!("invalid `tolerance`: {e}")))?;
                }
                k if k == levels_key => {
                    let syn::Expr::Array(array) = &value else {
                        return Err(syn::Error::new_spanned(&value, format!("`{key}` takes a list of levels: {example}")));
                    };
                    if array.elems.is_empty() {
                        return Err(syn::Error::new_spanned(&value, format!("the list of levels is empty: {example}")));
                    }
                    let mut list: Vec<u64> = Vec::new();
                    for elem in &array.elems {
                        let level = if key == "sizes" {
                            let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(size), .. }) = elem else {
                                return Err(syn::Error::new_spanned(elem, "a size is a string such as \"64KB\""));
                            };
                            let bytes = perf_record::parse_bytes(&size.value())
                                .map_err(|e| syn::Error::new(size.span(), format!("invalid size: {e}")))?;
                            if bytes == 0 {
                                return Err(syn::Error::new(size.span(), "a size must be above zero"));
                            }
                            bytes
                        } else {
                            whole(elem, &key)?
                        };
                        if list.last().is_some_and(|&last| level <= last) {
                            return Err(syn::Error::new_spanned(elem, "the levels must go up, each above the one before"));
                        }
                        list.push(level);
                    }
                    levels = Some(list);
                }
                "users" if levels_key != "users" || spike => {
                    users = Some(u32::try_from(whole(&value, "users")?).unwrap_or(u32::MAX));
                }
                "step" => {
                    step_ns = duration(&string()?, "step")?;
                    if step_ns == 0 {
                        return Err(syn::Error::new_spanned(&value, "`step` must be above zero, e.g. \"2s\""));
                    }
                }
                "think" => think_ns = Some(think(&string()?)?),
                _ => return Err(unknown()),
            }
            Ok(())
        })?;
        let Some(mut levels) = levels else {
            let wanted = if spike {
                "`spike_users = N`".to_owned()
            } else {
                format!("its levels, `{levels_key} = [...]`")
            };
            return Err(syn::Error::new(
                kind.span(),
                format!("`{name}` needs {wanted}: {example}"),
            ));
        };
        let users = users.unwrap_or(1);
        if spike {
            // The levels of a spike: the users before and after, then at the top.
            if levels[0] <= u64::from(users) {
                return Err(syn::Error::new(
                    kind.span(),
                    format!(
                        "`spike_users` ({}) must be above `users` ({users}): the spike is more load",
                        levels[0]
                    ),
                ));
            }
            if window_ns > phases_ns[2] {
                return Err(syn::Error::new(
                    kind.span(),
                    "`window` must not be longer than `after`",
                ));
            }
            levels.insert(0, u64::from(users));
        }
        Ok(Self {
            think_ns,
            sweep: Some(SweepSpec {
                kind: kind.clone(),
                levels,
                step_ns,
                users,
                phases_ns,
                window_ns,
                tolerance_pct,
                ..SweepSpec::new(kind.clone())
            }),
            ..Self::default()
        })
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
            if seen.contains(&key) {
                return Err(syn::Error::new(ident.span(), format!("`{key}` is given twice; keep one")));
            }
            seen.push(key.clone());
            let value: syn::Expr = inner.value()?.parse()?;
            let string = || match &value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Ok(s.clone()),
                other => Err(syn::Error::new_spanned(other, format!("`{key}` takes a string such as \"30s\""))),
            };
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
