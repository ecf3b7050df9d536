//! The catalogue's sweep kinds (`stress(...)`, `scalability(...)`,
//! `volume(...)`, `pagination(...)`, `spike(...)`) and its single-run
//! kinds (`response_time(...)`, `soak(...)`), checked at compile time.

use syn::meta::ParseNestedMeta;

use crate::load::{LoadSpec, duration, in_parentheses, option_value, string_of, think, whole};

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
    pub(crate) phases_ns: [u64; 3],
    /// Spike: the windows the recovery is read in, ns.
    pub(crate) window_ns: u64,
    /// Spike: how far above the pre-spike p95 counts as recovered, %.
    pub(crate) tolerance_pct: f64,
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
        in_parentheses(meta, kind, "options", example)?;
        meta.parse_nested_meta(|inner| {
            let key = inner
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let value = option_value(&inner, &key, &mut seen)?;
            let string = || string_of(&value, &key, " such as \"2s\"");
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
        Ok(Self::of_kind(
            think_ns,
            SweepSpec {
                kind: kind.clone(),
                levels,
                step_ns: hold,
                users,
                phases_ns: [warm_up_ns, hold, 0],
                ..SweepSpec::new(kind.clone())
            },
        ))
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
        in_parentheses(meta, kind, "levels", example)?;
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
            let value = option_value(&inner, &key, &mut seen)?;
            let string = || string_of(&value, &key, " such as \"2s\"");
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
        Ok(Self::of_kind(
            think_ns,
            SweepSpec {
                kind: kind.clone(),
                levels,
                step_ns,
                users,
                phases_ns,
                window_ns,
                tolerance_pct,
                ..SweepSpec::new(kind.clone())
            },
        ))
    }
}
